"""Stage 3, survey: a table and its detection made into one tidy frame of answers; waves stacked; the parse worker."""
