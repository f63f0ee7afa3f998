"""Benchmarks: ``python -m bench`` generates big survey exports and times the engine on them."""
