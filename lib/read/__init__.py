"""Stage 1, read: bytes to a table. File formats, header rows, encodings, long layouts, big sheets in slices,
and the guards that refuse hostile files. Knows nothing of what the columns mean."""
