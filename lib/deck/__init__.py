"""Stage 7, deck: the meeting deck: its slides decided from the figures, written as PowerPoint or PDF."""
