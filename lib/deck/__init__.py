"""Stage 7, deck: the meeting deck: its slides decided from the presentation model, written as PowerPoint or PDF."""
