r"""Time and peak memory of the papers' evaluation protocol (#32): `keras-gan stats` on a
10,000-image source, and `keras-gan evaluate --n 50000` with the Inception path.

    python -m benchmarks.experiments.evaluation_memory --mnist ../shared/data/mnist \
        --out benchmarks/results/evaluation

The real `classify_image_graph_def.pb` cannot be downloaded here: the network is the miniature
of tests/miniature_inception.py at 2,048 features (the graph's own input, bilinear resize to
299x299, scaling, `pool_3` and softmax nodes; one strided convolution instead of the Inception
blocks), so the figures measure the protocol's own cost (streaming, resize, feature matrices,
FID/KID/precision-recall), not the real network's convolutions. Each command runs in a fresh
process; peak RSS is that process's `ru_maxrss`. Writes `memory.json` and `memory.md`.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from tests import miniature_inception

# The command in a process that reports its own peak RSS (kB) as the last line of stderr.
_LAUNCH = (
    "import resource, sys\n"
    "from keras_gan.cli import main\n"
    "rc = main(sys.argv[1:])\n"
    "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(rc)\n"
)


def _run(argv, env):
    wall, before = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCH, *argv], env=env, capture_output=True, text=True
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"{argv} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    peak = int(done.stderr.strip().splitlines()[-1].split()[-1])
    return {
        "command": "keras-gan " + " ".join(argv),
        "wall_s": time.monotonic() - wall,
        "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_rss_mib": peak / 1024,
        "stdout_tail": done.stdout.strip().splitlines()[-12:],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", required=True, help="folder of the MNIST IDX files")
    parser.add_argument("--out", required=True)
    parser.add_argument("--n", type=int, default=50_000)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp()
    graph = os.path.join(work, "classify_image_graph_def.pb")
    miniature_inception.write(graph, dimension=2048)
    env = dict(os.environ, KERAS_GAN_CACHE=os.path.join(work, "cache"), TF_CPP_MIN_LOG_LEVEL="2")
    rows = []
    stats = os.path.join(work, "mnist_test.npz")
    argv = ["stats", "mnist", "--data-dir", args.mnist, "--split", "test"]
    rows.append(_run([*argv, "--features-file", graph, "--out", stats], env))
    print(json.dumps(rows[-1]), flush=True)
    run_dir = os.path.join(work, "run")
    argv = ["train", "dcgan-mnist", "--steps", "2", "--data-dir", args.mnist, "--out", run_dir]
    _run(argv, env)
    argv = ["evaluate", run_dir, "--n", str(args.n), "--features-file", graph]
    rows.append(_run(argv, env))
    print(json.dumps(rows[-1]), flush=True)
    with open(os.path.join(args.out, "memory.json"), "w") as f:
        json.dump(rows, f, indent=1)
    lines = ["| command | wall s | CPU s | peak RSS MiB |", "|---|---|---|---|"]
    for row in rows:
        command = row["command"].replace(work, "…")
        lines.append(
            f"| `{command}` | {row['wall_s']:.0f} | {row['cpu_s']:.0f} | "
            f"{row['peak_rss_mib']:,.0f} |"
        )
    with open(os.path.join(args.out, "memory.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
