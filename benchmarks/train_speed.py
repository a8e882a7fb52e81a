"""Training speed per preset: steps/s without XLA, with XLA, and with mixed precision.

Each preset is built at full size with its own batch size and n_critic, fed
synthetic data of its data's shape, and timed over `--steps` train steps
after `--warmup` steps (which include tracing and XLA compilation). Each
configuration runs in its own process, so a dtype policy or a compiled
function never leaks into the next one. The load average at the start and
the end of each measurement is printed: figures taken while other jobs ran
are upper bounds on time.

Usage:
    python benchmarks/train_speed.py [--presets a,b,...] [--configs graph,xla,mixed_float16]
        [--steps 10] [--warmup 3] [--out speed.json]
"""

import argparse
import json
import os
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGS = ("graph", "xla", "mixed_float16", "xla_mixed_float16")

_ONE = r"""
import json, os, sys, time
import keras
import numpy as np
import tensorflow as tf
from keras_gan import zoo

name, config, steps, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if "mixed_float16" in config:
    keras.config.set_dtype_policy("mixed_float16")
model = zoo.build(name, jit_compile=config.startswith("xla"))
spec = zoo.spec(name)
shape = model.discriminator.inputs[0].shape[1:]
n = spec.batch_size * model.n_critic
rng = np.random.default_rng(0)
x = rng.uniform(-1, 1, size=(n, *shape)).astype("float32")
if model.conditional:
    ds = tf.data.Dataset.from_tensors((x, rng.integers(0, model.num_classes, n).astype("int32")))
else:
    ds = tf.data.Dataset.from_tensors(x)
ds = ds.repeat()
load0 = os.getloadavg()[0]
model.fit(ds, epochs=1, steps_per_epoch=warmup, verbose=0)
start = time.perf_counter()
model.fit(ds, epochs=1, steps_per_epoch=steps, verbose=0)
seconds = time.perf_counter() - start
print(json.dumps({"preset": name, "config": config, "jit_compile": bool(model.jit_compile),
                  "steps_per_s": steps / seconds, "load": [load0, os.getloadavg()[0]]}))
"""


def main(argv=None):
    from keras_gan import zoo

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presets", help="comma-separated preset names (default: all)")
    parser.add_argument("--configs", default="graph,xla,mixed_float16")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--out", help="JSON file for the results")
    args = parser.parse_args(argv)
    names = args.presets.split(",") if args.presets else zoo.names()
    configs = args.configs.split(",")
    for config in configs:
        if config not in CONFIGS:
            parser.error(f"unknown config {config!r}; choose from {', '.join(CONFIGS)}")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=REPO)
    results = []
    for name in names:
        row = {"preset": name}
        for config in configs:
            done = subprocess.run([sys.executable, "-c", _ONE, name, config, str(args.steps), str(args.warmup)],
                                  env=env, capture_output=True, text=True, cwd=REPO)
            if done.returncode != 0:
                row[config] = None
                print(f"{name} {config}: failed\n{done.stderr[-1500:]}", file=sys.stderr)
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            row[config] = round(result["steps_per_s"], 2)
            row[f"{config}_load"] = [round(v, 1) for v in result["load"]]
        results.append(row)
        print(json.dumps(row), flush=True)
    header = "| preset | " + " | ".join(f"{c} steps/s" for c in configs) + " |"
    print("\n" + header + "\n|" + "---|" * (len(configs) + 1))
    for row in results:
        print(f"| {row['preset']} | " + " | ".join("failed" if row[c] is None else f"{row[c]:.2f}" for c in configs)
              + " |")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"time": time.strftime("%Y-%m-%d %H:%M"), "steps": args.steps, "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
