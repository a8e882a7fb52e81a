"""One-off experiments behind figures in BENCHMARKS.md and `benchmarks/results/`: each runs as
`python -m benchmarks.experiments.NAME` and says in its docstring what it measured. The suites
(`benchmarks.quality`, `benchmarks.speed`) are one level up."""
