"""Speed and quality benchmarks, run by hand as `python -m benchmarks.NAME` from the repository
root (not by CI). The suites are `benchmarks.quality` and `benchmarks.speed`; the other modules
are the experiments whose results BENCHMARKS.md and `benchmarks/results/` report."""
