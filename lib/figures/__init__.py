"""Stage 5, figures: filters, NPS and engagement, the linkage, periods, comparisons, drivers, the Nordic indices."""
