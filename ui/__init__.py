"""Streamlit glue: session state, cached loading, shared widgets. The engine is in lib/."""
