"""XLA on or off, per preset: images per CPU-second in alternating windows of one process.

The machine's wall clock is unreliable (a timed window takes either its compute
time or jumps to a multiple of ~5.1 s), while process CPU time is stable. So the
two configurations of a preset are built side by side in one process (same
weights, same synthetic batches), warmed up (tracing and XLA compilation), and
timed in alternating windows A B A B ...; each window's figure is images per
CPU-second (`time.process_time()`), with wall-clock images/s beside it. The
ratio XLA / no-XLA is the median of the per-pair ratios.

Usage:
    python benchmarks/xla_ab.py --presets sagan-mnist,biggan-mnist [--windows 6] [--steps 20]
        [--out benchmarks/results/xla]
"""

import argparse
import json
import os
import resource
import statistics
import time


def _dataset(model, spec, steps):
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)
    n = spec.batch_size * model.n_critic * steps
    x = rng.uniform(-1, 1, size=(n, *model.discriminator.inputs[0].shape[1:])).astype("float32")
    if model.conditional:
        y = rng.integers(0, model.num_classes, size=n).astype("int32")
        ds = tf.data.Dataset.from_tensor_slices((x, y))
    else:
        ds = tf.data.Dataset.from_tensor_slices(x)
    return ds.batch(spec.batch_size * model.n_critic, drop_remainder=True).cache().repeat()


def measure(name, windows, steps, warmup):
    from keras_gan import zoo

    spec = zoo.spec(name)
    models = {"graph": zoo.build(name, jit_compile=False), "xla": zoo.build(name, jit_compile=True)}
    models["xla"].set_weights(models["graph"].get_weights())
    data = _dataset(models["graph"], spec, steps)
    for model in models.values():
        model.fit(data, steps_per_epoch=warmup, epochs=1, verbose=0)
    rows = {key: [] for key in models}
    for _ in range(windows):
        for key, model in models.items():
            cpu, wall = time.process_time(), time.perf_counter()
            model.fit(data, steps_per_epoch=steps, epochs=1, verbose=0)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            images = steps * spec.batch_size
            rows[key].append({"cpu_s": cpu, "wall_s": wall, "images_per_cpu_s": images / cpu,
                              "images_per_s": images / wall})
    ratios = [x["images_per_cpu_s"] / g["images_per_cpu_s"] for g, x in zip(rows["graph"], rows["xla"])]
    return {
        "preset": name, "batch_size": spec.batch_size, "n_critic": spec.n_critic, "steps_per_window": steps,
        "windows": rows,
        "median_images_per_cpu_s": {k: statistics.median(r["images_per_cpu_s"] for r in v) for k, v in rows.items()},
        "median_images_per_s": {k: statistics.median(r["images_per_s"] for r in v) for k, v in rows.items()},
        "xla_over_graph_median_ratio": statistics.median(ratios),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presets", required=True, help="comma-separated preset names")
    parser.add_argument("--windows", type=int, default=6, help="timed windows per configuration")
    parser.add_argument("--steps", type=int, default=20, help="train steps per window")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps first (tracing, compilation)")
    parser.add_argument("--out", default=os.path.join("benchmarks", "results", "xla"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in args.presets.split(","):
        result = measure(name, args.windows, args.steps, args.warmup)
        with open(os.path.join(args.out, f"{name}.json"), "w") as f:
            json.dump(result, f, indent=1)
        cpu, wall = result["median_images_per_cpu_s"], result["median_images_per_s"]
        print(f"{name}: images per CPU-second {cpu['graph']:.1f} without XLA, {cpu['xla']:.1f} with "
              f"(median ratio {result['xla_over_graph_median_ratio']:.3f}); wall images/s {wall['graph']:.1f} / "
              f"{wall['xla']:.1f}; peak RSS {result['peak_rss_mib']:.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
