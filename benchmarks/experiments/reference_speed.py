"""keras-gan's train step against the reference code's on the same networks, per CPU-second.

    python -m benchmarks.experiments.reference_speed --reference "PYTHON WORKER.py ARGS" \\
        [--presets biggan-cifar10,sagan-cifar10] [--windows 5] [--steps 1] \\
        [--out benchmarks/results/parity]

One full step: `n_critic` = 5 discriminator updates and one generator update, batch 64 per update,
one thread (TensorFlow's intra- and inter-op pools of 1; the reference worker sets
`torch.set_num_threads(1)`). Each side runs in a process of its own that the driver keeps open and
asks for one window at a time, alternating A B A B ...; each window reports the process CPU time
(`time.process_time()`) and wall time of `steps` full steps. The ratio is the median over rounds
of reference CPU-seconds per step / keras-gan's (above 1: keras-gan is faster).

The reference worker is a script outside this repository (the reference code never enters it):
it reads `PRESET STEPS` lines and answers one JSON line `{"cpu_s": ..., "wall_s": ...}` per window
after building the reference networks of `PRESET` at full size and warming up. `--self-check`
runs keras-gan's own worker as the reference (a ratio of ~1 checks the harness).
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time

OUT = os.path.join("benchmarks", "results", "parity")
BATCH = 64
N_CRITIC = 5


def worker(warmup=1):
    """keras-gan's side: `PRESET STEPS` lines in, one JSON line out per window."""
    import numpy as np
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    from keras_gan import zoo

    models, data = {}, {}
    for line in sys.stdin:
        name, steps = line.split()
        if name not in models:
            model = zoo.build(name, n_critic=N_CRITIC)
            rng = np.random.default_rng(0)
            x = rng.uniform(-1, 1, (N_CRITIC * BATCH, *model.data_spec()[0].shape[1:]))
            y = rng.integers(0, model.num_classes, N_CRITIC * BATCH)
            ds = tf.data.Dataset.from_tensors((x.astype("float32"), y.astype("int32")))
            data[name] = ds.cache().repeat()
            model.fit(data[name], steps_per_epoch=warmup, epochs=1, verbose=0)
            models[name] = model
        cpu, wall = time.process_time(), time.perf_counter()
        models[name].fit(data[name], steps_per_epoch=int(steps), epochs=1, verbose=0)
        result = {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}
        print(json.dumps(result), flush=True)


def _start(command):
    return subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
    )


def _window(process, name, steps):
    process.stdin.write(f"{name} {steps}\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        raise RuntimeError(f"A worker stopped (exit {process.wait()}) while timing {name}.")
    return json.loads(line)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", help="the reference worker's command line")
    parser.add_argument("--self-check", action="store_true")
    parser.add_argument("--presets", default="biggan-cifar10,sagan-cifar10")
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("--steps", type=int, default=1)
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args(argv)
    ours_command = [sys.executable, "-m", "benchmarks.experiments.reference_speed", "--worker"]
    if args.self_check:
        reference_command = ours_command
    elif args.reference:
        reference_command = shlex.split(args.reference)
    else:
        parser.error("give --reference COMMAND (or --self-check)")
    ours, reference = _start(ours_command), _start(reference_command)
    rows = {}
    try:
        for name in args.presets.split(","):
            rounds = []
            for _ in range(args.windows):
                a = _window(ours, name, args.steps)
                b = _window(reference, name, args.steps)
                rounds.append({"keras-gan": a, "reference": b})
            ratio = statistics.median(
                r["reference"]["cpu_s"] / r["keras-gan"]["cpu_s"] for r in rounds
            )
            rows[name] = {
                "reference_cpu_s_per_keras_gan_cpu_s": ratio,
                "keras_gan_cpu_s_per_step": statistics.median(
                    r["keras-gan"]["cpu_s"] / args.steps for r in rounds
                ),
                "reference_cpu_s_per_step": statistics.median(
                    r["reference"]["cpu_s"] / args.steps for r in rounds
                ),
                "keras_gan_wall_s_per_step": statistics.median(
                    r["keras-gan"]["wall_s"] / args.steps for r in rounds
                ),
                "reference_wall_s_per_step": statistics.median(
                    r["reference"]["wall_s"] / args.steps for r in rounds
                ),
                "rounds": rounds,
            }
            print(name, json.dumps({k: v for k, v in rows[name].items() if k != "rounds"}))
    finally:
        for process in (ours, reference):
            process.stdin.close()
            process.wait()
    os.makedirs(args.out, exist_ok=True)
    result = {
        "command": "python -m benchmarks.experiments.reference_speed "
        + " ".join(argv or sys.argv[1:]),
        "batch": BATCH,
        "n_critic": N_CRITIC,
        "threads": 1,
        "steps_per_window": args.steps,
        "rows": rows,
    }
    name = "speed_self_check.json" if args.self_check else "speed.json"
    with open(os.path.join(args.out, name), "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker()
    else:
        sys.exit(main())
