"""Stage 6, present: figures made into what a person reads: tables, charts, text output and downloads."""
