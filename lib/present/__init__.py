"""Stage 6, present: figures made into what a person reads: the presentation model every face renders (model),
tables, charts and downloads."""
