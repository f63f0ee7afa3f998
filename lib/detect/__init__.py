"""Stage 2, detect: what each column of a table is (its role, its scale, reverse wording), with the reason."""
