"""The national-scale benchmark (``scripts/dev bench``, ``python -m bench.run``): see
:mod:`bench.run` and docs/performance.md."""
