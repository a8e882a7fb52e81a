r"""Where XLA wins or loses on this CPU: each layer of a preset, forward and backward, with and
without XLA.

For every layer of the preset's networks that takes one tensor (InputLayer
and layers with several inputs skipped), at the preset's batch, one tf.function
computes the layer's output and the gradients of a squared-sum loss with
respect to its input and its trainable weights, once plain and once with
`jit_compile=True`. The two run in alternating windows (A B A B ..., after a
warm-up) and each layer's row is the median ratio of CPU-seconds per call, XLA
over plain (> 1: XLA is slower), with both CPU-milliseconds per call. Layers
run one by one, so fusion across layers (XLA's main gain) is not counted here:
the whole train step's ratio is in `python -m benchmarks.speed`; this says
which layers make it.

Usage:
    python -m benchmarks.experiments.xla_ops dcgan-mnist [--windows 5] [--calls 20] \
        [--out FILE.json]
"""

import argparse
import statistics
import time


def _gradient_step(layer):
    """`x -> gradients of sum(layer(x)²) with respect to x and the layer's trainable weights`."""
    import tensorflow as tf

    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x, training=True)
            loss = tf.reduce_sum(tf.square(tf.cast(y, tf.float32)))
        return tape.gradient(loss, [x, *layer.trainable_variables])

    return step


def layer_rows(name, windows, calls):
    import keras
    import numpy as np
    import tensorflow as tf

    from keras_gan import zoo

    spec = zoo.spec(name)
    model = zoo.build(name)
    rows = []
    for network in model.generator_networks() + model.discriminator_networks():
        for layer in network.layers:
            if isinstance(layer, keras.layers.InputLayer) or isinstance(
                layer.input, (list, tuple, dict)
            ):
                continue
            shape = tuple(int(d) for d in layer.input.shape[1:])
            x = tf.constant(
                np.random.default_rng(0).normal(size=(spec.batch_size, *shape)).astype("float32")
            )
            step = _gradient_step(layer)
            fns = {"plain": tf.function(step), "xla": tf.function(step, jit_compile=True)}
            for fn in fns.values():
                for _ in range(3):
                    tf.nest.map_structure(lambda t: t.numpy(), fn(x))
            cpu = {key: [] for key in fns}
            for _ in range(windows):
                for key, fn in fns.items():
                    start = time.process_time()
                    for _ in range(calls):
                        out = fn(x)
                    tf.nest.map_structure(lambda t: t.numpy(), out)
                    cpu[key].append((time.process_time() - start) / calls)
            ratio = statistics.median(a / b for a, b in zip(cpu["xla"], cpu["plain"]))
            rows.append(
                {
                    "network": network.name,
                    "layer": layer.name,
                    "type": type(layer).__name__,
                    "input": shape,
                    "plain_cpu_ms": 1e3 * statistics.median(cpu["plain"]),
                    "xla_cpu_ms": 1e3 * statistics.median(cpu["xla"]),
                    "xla_over_plain": ratio,
                }
            )
            r = rows[-1]
            print(
                f"| {r['network']} | {r['layer']} | {r['type']} | {r['input']} | "
                f"{r['plain_cpu_ms']:.3f} | {r['xla_cpu_ms']:.3f} | {ratio:.2f} |",
                flush=True,
            )
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("preset")
    parser.add_argument("--windows", type=int, default=5)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--out")
    args = parser.parse_args()
    print(
        "| network | layer | type | input | plain CPU-ms/call | XLA CPU-ms/call | XLA / plain |\n"
        "|---|---|---|---|---|---|---|",
        flush=True,
    )
    rows = layer_rows(args.preset, args.windows, args.calls)
    plain, xla = sum(r["plain_cpu_ms"] for r in rows), sum(r["xla_cpu_ms"] for r in rows)
    print(f"| all layers, one by one | | | | {plain:.3f} | {xla:.3f} | {xla / plain:.2f} |")
    if args.out:
        from keras_gan.files import write_json

        write_json(args.out, {"preset": args.preset, "rows": rows})


if __name__ == "__main__":
    main()
