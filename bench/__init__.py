"""Benchmarks of issue 7: `python -m bench.run [--smoke] [--only NAME]` (see bench/README.md)."""
