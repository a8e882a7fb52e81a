"""Mode coverage of a trained 2-D mixture run (PacGAN protocol, 2,500 samples).

Usage: python benchmarks/mode_coverage.py RUN_DIR [--seed 0]
"""

import argparse
import json

from keras_gan import data, metrics
from keras_gan.cli import _run_preset, load_run

parser = argparse.ArgumentParser()
parser.add_argument("run_dir")
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--n", type=int, default=2500)
args = parser.parse_args()
mix = data.mixture(_run_preset(args.run_dir)["data"])
model = load_run(args.run_dir)
result = metrics.mode_coverage(model.generate(args.n, seed=args.seed), mix.centers, mix.std)
print(json.dumps({"run": args.run_dir, **result}))
