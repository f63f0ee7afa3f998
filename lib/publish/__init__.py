"""Publishing an analysis: a snapshot of what the privacy module released (snapshot.py), kept in a store (store.py)."""
