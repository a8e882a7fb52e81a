"""Training and serving speed per preset, in images per CPU-second.

    python -m benchmarks.speed [--presets dcgan-mnist,gan-ring8] [--windows 5] [--steps 10]
        [--mixed-precision {float16,bfloat16}] [--out benchmarks/results/speed]

Run by hand, not in CI. The machine's wall clock is unreliable (on the shared
2-core VM a timed window takes either its compute time or jumps to a multiple
of ~5.1 s), process CPU time is stable, so the unit is images per CPU-second
(`time.process_time()` over a window), with wall-clock images/s beside it.

For each preset, in a process of its own:
- training: the preset's model without XLA ("keras-gan"), the same with
  `jit_compile=True` ("xla") and, for unconditional, unpacked `GAN` presets,
  keras.io's DCGAN `train_step` on copies of the very same networks ("plain":
  the code a user would otherwise write). All start from the same weights and
  train on the same synthetic batches, are warmed up (tracing, compilation),
  then timed in alternating windows A B C A B C ...; ratios are medians of
  the per-round ratios. Peak resident memory is the process's (all three).
- FLOPs per train step: TensorFlow's profiler (`float_operation`) on the
  traced `train_step` at the preset's batch. It counts 2 FLOPs per
  multiply-add, a transposed convolution as the `Conv2DBackpropInput` it runs
  (2 * input pixels * k_h * k_w * C_in * C_out), and only the ops of the
  step's own graph: ops inside `tf.cond`/`tf.while_loop` branch functions (the
  lazy R1 of StyleGAN) are not counted. For `GAN` presets a hand count sits
  beside it: per example, G forward g and D forward d FLOPs (Dense and
  convolution layers only), the D update costs g + 6d (G forward, D forward on
  a real and a fake example, their backward passes at twice the forward) and
  the G update 3g + 2d (D backward to its input only): 4g + 8d.
- the achieved FLOP per CPU-second as a fraction of the float32 matmul peak of
  one core (2048 x 2048, best of 5, measured in a one-thread process).
- serving: the exported `serving_default` (loaded with
  `tf.saved_model.load`): p50 and p99 latency at batch 1 (wall clock, 200
  calls), throughput at batch 256 (images per second and per CPU-second).

`--mixed-precision float16|bfloat16` builds every configuration under Keras's
`mixed_float16` / `mixed_bfloat16` policy (as `keras-gan train
--mixed-precision`), for accelerators; results are written as
`PRESET-mixed_float16.json` etc. beside the float32 ones. The plain step is
left out there (keras.io's step has no loss scaling). On a CPU float16 is
emulated: the float32 table is the one to read.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join("benchmarks", "results", "speed")


# --------------------------------------------------------------------- helpers
def _random(spec, n, rng, num_classes):
    if spec.dtype.is_integer:
        return rng.integers(0, num_classes or 1, size=n).astype(spec.dtype.as_numpy_dtype)
    return rng.uniform(-1, 1, size=(n, *spec.shape[1:])).astype(spec.dtype.as_numpy_dtype)


def _dataset(model, batch, steps):
    """`steps` distinct global batches shaped like the model's data, cached and repeated."""
    import numpy as np
    import tensorflow as tf

    rng = np.random.default_rng(0)
    spec = model.data_spec()
    n = batch * steps
    parts = tuple(
        _random(s, n, rng, getattr(model, "num_classes", None)) for s in tf.nest.flatten(spec)
    )
    ds = tf.data.Dataset.from_tensor_slices(parts if isinstance(spec, tuple) else parts[0])
    return ds.batch(batch, drop_remainder=True).cache().repeat()


def plain_gan(model):
    """keras.io's DCGAN `train_step` (keras.io/examples/generative/dcgan_overriding_train_step) on
    copies
    of `model`'s networks, with the same weights and optimizers' settings; None where it does not
    apply
    (other schemes, conditional or packed GANs, several D steps, a mixed-precision policy)."""
    import keras
    import tensorflow as tf

    from keras_gan.models import GAN

    if (
        type(model) is not GAN
        or model.conditional
        or model.pack != 1
        or model.n_critic != 1
        or keras.config.dtype_policy().name != "float32"
    ):
        return None

    class PlainGAN(keras.Model):
        def __init__(self, discriminator, generator, latent_dim):
            super().__init__()
            self.discriminator, self.generator, self.latent_dim = (
                discriminator,
                generator,
                latent_dim,
            )
            self.seed_generator = keras.random.SeedGenerator(1337)

        def compile(self, d_optimizer, g_optimizer, loss_fn):
            super().compile()
            self.d_optimizer, self.g_optimizer, self.loss_fn = d_optimizer, g_optimizer, loss_fn

        def train_step(self, real):
            batch_size = tf.shape(real)[0]
            z = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
            combined = tf.concat([self.generator(z), real], axis=0)
            labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
            labels += 0.05 * tf.random.uniform(tf.shape(labels))
            with tf.GradientTape() as tape:
                d_loss = self.loss_fn(labels, self.discriminator(combined))
            grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
            self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
            z = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
            with tf.GradientTape() as tape:
                g_loss = self.loss_fn(
                    tf.zeros((batch_size, 1)), self.discriminator(self.generator(z))
                )
            grads = tape.gradient(g_loss, self.generator.trainable_weights)
            self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
            return {"d_loss": d_loss, "g_loss": g_loss}

    generator = keras.models.clone_model(model.trained_generator)
    generator.set_weights(model.trained_generator.get_weights())
    discriminator = keras.models.clone_model(model.discriminator)
    discriminator.set_weights(model.discriminator.get_weights())
    plain = PlainGAN(discriminator, generator, model.latent_dim)
    plain.compile(
        d_optimizer=keras.optimizers.Adam.from_config(model.d_optimizer.get_config()),
        g_optimizer=keras.optimizers.Adam.from_config(model.g_optimizer.get_config()),
        loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
    )
    return plain


def profiled_flops(model, batch):
    """Float operations of one traced `train_step` at global batch `batch` (TensorFlow's
    profiler)."""
    import tensorflow as tf
    from tensorflow.python.profiler import model_analyzer, option_builder

    specs = tf.nest.map_structure(
        lambda s: tf.TensorSpec([batch, *s.shape[1:]], s.dtype), model.data_spec()
    )
    graph = tf.function(model.train_step).get_concrete_function(specs).graph
    options = option_builder.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    return int(model_analyzer.profile(graph, options=options).total_float_ops)


def forward_flops(network):
    """FLOPs of one example through `network`'s Dense and convolution layers (wrappers looked
    through)."""
    import keras

    total = 0
    for layer in network._flatten_layers(include_self=False):
        inner = getattr(layer, "layer", layer)
        if isinstance(inner, keras.layers.Dense):
            total += 2 * int(inner.kernel.shape[0]) * int(inner.kernel.shape[1])
        elif isinstance(inner, keras.layers.Conv2DTranspose):
            h, w = inner.input.shape[1:3] if hasattr(inner, "input") else layer.input.shape[1:3]
            kh, kw, c_out, c_in = inner.kernel.shape
            total += 2 * int(h) * int(w) * int(kh) * int(kw) * int(c_in) * int(c_out)
        elif isinstance(inner, keras.layers.Conv2D):
            h, w = layer.output.shape[1:3]
            kh, kw, c_in, c_out = inner.kernel.shape
            total += 2 * int(h) * int(w) * int(kh) * int(kw) * int(c_in) * int(c_out)
    return total


def matmul_peak():
    """float32 FLOP per CPU-second of one core: a 2048² matmul, best of 5, in a one-thread
    process."""
    code = (
        "import time, tensorflow as tf\n"
        "tf.config.threading.set_intra_op_parallelism_threads(1)\n"
        "tf.config.threading.set_inter_op_parallelism_threads(1)\n"
        "a = tf.random.normal([2048, 2048]); b = tf.random.normal([2048, 2048])\n"
        "f = tf.function(lambda: tf.reduce_sum(tf.matmul(a, b)))\nf().numpy()\nbest = 0\n"
        "for _ in range(5):\n"
        "    t = time.process_time(); f().numpy(); best = max(best, 2 * 2048 ** 3 / "
        "(time.process_time() - t))\n"
        "print(best)\n"
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def serving(model):
    """p50/p99 latency (ms) of the exported serving_default at batch 1, images/s at batch 256."""
    import numpy as np
    import tensorflow as tf

    from keras_gan import export

    path = export.export_generator(model, tempfile.mkdtemp(), "speed")
    fn = tf.saved_model.load(path).signatures["serving_default"]
    specs = fn.structured_input_signature[1]
    rng = np.random.default_rng(0)

    def feed(n):
        return {
            k: tf.constant(_random(s, n, rng, getattr(model, "num_classes", None)))
            for k, s in specs.items()
        }

    one = feed(1)
    for _ in range(10):
        fn(**one)
    times = []
    for _ in range(200):
        t = time.perf_counter()
        tf.nest.map_structure(lambda x: x.numpy(), fn(**one))
        times.append(time.perf_counter() - t)
    big = feed(256)
    fn(**big)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(5):
        tf.nest.map_structure(lambda x: x.numpy(), fn(**big))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "p50_ms_b1": 1e3 * float(np.percentile(times, 50)),
        "p99_ms_b1": 1e3 * float(np.percentile(times, 99)),
        "images_per_s_b256": 5 * 256 / wall,
        "images_per_cpu_s_b256": 5 * 256 / cpu,
    }


# ------------------------------------------------------------------ one preset
def measure(name, windows, steps, warmup, peak, mixed_precision=None):
    import keras

    from keras_gan import zoo

    if mixed_precision:
        keras.mixed_precision.set_global_policy(f"mixed_{mixed_precision}")
    spec = zoo.spec(name)
    models = {
        "keras-gan": zoo.build(name, jit_compile=False),
        "xla": zoo.build(name, jit_compile=True),
    }
    models["xla"].set_weights(models["keras-gan"].get_weights())
    plain = plain_gan(models["keras-gan"])
    if plain is not None:
        models["plain"] = plain
    batch = spec.batch_size * models["keras-gan"].n_critic
    data = _dataset(models["keras-gan"], batch, 4)
    for model in models.values():
        model.fit(data, steps_per_epoch=warmup, epochs=1, verbose=0)
    rows = {key: [] for key in models}
    for _ in range(windows):
        for key, model in models.items():
            cpu, wall = time.process_time(), time.perf_counter()
            model.fit(data, steps_per_epoch=steps, epochs=1, verbose=0)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            images = steps * spec.batch_size
            rows[key].append(
                {
                    "cpu_s": cpu,
                    "wall_s": wall,
                    "images_per_cpu_s": images / cpu,
                    "images_per_s": images / wall,
                }
            )

    def ratio(key):
        return statistics.median(
            a["images_per_cpu_s"] / b["images_per_cpu_s"]
            for a, b in zip(rows[key], rows["keras-gan"])
        )

    model = models["keras-gan"]
    result = {
        "preset": name,
        "dtype_policy": keras.config.dtype_policy().name,
        "batch_size": spec.batch_size,
        "n_critic": model.n_critic,
        "steps_per_window": steps,
        "windows": rows,
        "jit_compile_default": bool(spec.jit_compile),
        "median_images_per_cpu_s": {
            k: statistics.median(r["images_per_cpu_s"] for r in v) for k, v in rows.items()
        },
        "median_images_per_s": {
            k: statistics.median(r["images_per_s"] for r in v) for k, v in rows.items()
        },
        "xla_over_keras_gan": ratio("xla"),
        "plain_over_keras_gan": ratio("plain") if "plain" in rows else None,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "matmul_peak_flop_per_cpu_s": peak,
    }
    try:
        result["flops_per_step"] = profiled_flops(model, batch)
    except Exception as e:  # a step the profiler cannot trace outside fit: say so, keep the timings
        result["flops_per_step"] = None
        result["flops_error"] = f"{type(e).__name__}: {str(e)[:200]}"
    if plain is not None:
        g, d = forward_flops(model.trained_generator), forward_flops(model.discriminator)
        result["hand_flops_per_step"] = (4 * g + 8 * d) * spec.batch_size
    if result["flops_per_step"]:
        per_cpu_s = (
            result["flops_per_step"]
            / spec.batch_size
            * result["median_images_per_cpu_s"]["keras-gan"]
        )
        result["flop_per_cpu_s"] = per_cpu_s
        result["fraction_of_matmul_peak"] = per_cpu_s / peak
    result["serving"] = serving(model)
    return result


def row(r):
    cpu, wall = r["median_images_per_cpu_s"], r["median_images_per_s"]
    plain = "" if r["plain_over_keras_gan"] is None else f"{r['plain_over_keras_gan']:.3f}"
    flops = "" if not r.get("flops_per_step") else f"{r['flops_per_step'] / 1e9:.3g}"
    hand = "" if not r.get("hand_flops_per_step") else f"{r['hand_flops_per_step'] / 1e9:.3g}"
    frac = (
        "" if not r.get("fraction_of_matmul_peak") else f"{100 * r['fraction_of_matmul_peak']:.1f}%"
    )
    s = r["serving"]
    return (
        f"| {r['preset']} | {cpu['keras-gan']:.1f} | {cpu['xla']:.1f} | "
        f"{r['xla_over_keras_gan']:.3f} | {plain} | {wall['keras-gan']:.1f} | {flops} | {hand} | "
        f"{frac} | {r['peak_rss_mib']:.0f} | {s['p50_ms_b1']:.2f} / {s['p99_ms_b1']:.2f} | "
        f"{s['images_per_s_b256']:.0f} |"
    )


HEADER = (
    "| preset | img/CPU-s | img/CPU-s XLA | XLA ratio | plain ratio | wall img/s | GFLOP/step "
    "(profiler) "
    "| GFLOP/step (hand) | of matmul peak | peak RSS MiB | serving p50 / p99 ms (b1) | serving "
    "img/s (b256) |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--presets",
        help="comma-separated preset names (default: every preset whose data is "
        "not a TFDS download)",
    )
    parser.add_argument("--windows", type=int, default=5, help="timed windows per configuration")
    parser.add_argument("--steps", type=int, default=10, help="train steps per window")
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed steps first (tracing, compilation)"
    )
    parser.add_argument(
        "--mixed-precision",
        choices=["float16", "bfloat16"],
        help="build every configuration under Keras's mixed_float16 / mixed_bfloat16 policy "
        "(for accelerators; float16 is emulated on CPUs)",
    )
    parser.add_argument("--out", default=OUT)
    # internal: measure one preset in this process
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--peak", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = measure(
            args.one, args.windows, args.steps, args.warmup, args.peak, args.mixed_precision
        )
        from keras_gan.files import write_json

        suffix = f"-mixed_{args.mixed_precision}" if args.mixed_precision else ""
        write_json(os.path.join(args.out, f"{args.one}{suffix}.json"), result)
        print(row(result), flush=True)
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from keras_gan import zoo

    names = (
        args.presets.split(",")
        if args.presets
        else [n for n in zoo.names() if not zoo.spec(n).dataset.startswith(("tfds:", "celeba"))]
    )
    peak = matmul_peak()
    print(f"float32 matmul peak of one core: {peak / 1e9:.1f} GFLOP per CPU-second", flush=True)
    print(HEADER, flush=True)
    failed = []
    for name in names:
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.speed",
            "--one",
            name,
            "--windows",
            str(args.windows),
            "--steps",
            str(args.steps),
            "--warmup",
            str(args.warmup),
            "--out",
            os.path.abspath(args.out),
            "--peak",
            str(peak),
        ]
        if args.mixed_precision:
            cmd += ["--mixed-precision", args.mixed_precision]
        done = subprocess.run(
            cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        if done.returncode:
            failed.append(name)
            errors = [
                line for line in done.stderr.splitlines() if "Error" in line or "error:" in line
            ]
            print(
                f"| {name} | failed (exit status "
                f"{done.returncode}){': ' + errors[-1] if errors else ''} |",
                flush=True,
            )
        else:
            print(done.stdout.strip().splitlines()[-1], flush=True)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
