"""CycleGAN's image-pool query with and without XLA, in CPU-milliseconds per call.

    python -m benchmarks.experiments.image_pool_xla [--calls 20] [--out
    benchmarks/results/xla_ops/image_pool.json]

Run by hand. Compares `keras_gan.image_pool.query_pool` (no loop) with the
image-by-image `tf.while_loop` it replaced (the authors' order of operations,
kept here as the baseline), the same loop with `tf.where` instead of `tf.cond`,
and the loop unrolled in Python over a static batch. Each variant updates a
`[50, 8, 8, 1]` pool variable from batches of 16 inside one `tf.function`,
with `jit_compile` False and True; 5 warm-up calls, then `--calls` timed
calls, each configuration in turn (BENCHMARKS.md, "Why XLA loses").
"""

import argparse
import os
import time


def loop_query(pool, count, images, uniforms, indices, *, cond=True):
    """The replaced implementation: a `tf.while_loop` over the batch."""
    import tensorflow as tf

    size = tf.shape(pool)[0]
    batch = tf.shape(images)[0]

    def body(i, pool, count, returned):
        image = images[i]
        filling = count < size
        swap = tf.logical_and(tf.logical_not(filling), uniforms[i] > 0.5)
        slot = tf.where(filling, count, indices[i])
        out = tf.where(swap, pool[slot], image)
        store = tf.logical_or(filling, swap)
        updated = lambda: tf.tensor_scatter_nd_update(pool, [[slot]], image[None])  # noqa: E731
        pool = tf.cond(store, updated, lambda: pool) if cond else tf.where(store, updated(), pool)
        return i + 1, pool, count + tf.cast(filling, tf.int32), returned.write(i, out)

    returned = tf.TensorArray(pool.dtype, size=batch, element_shape=images.shape[1:])
    _, pool, count, returned = tf.while_loop(
        lambda i, *_: i < batch, body, (0, pool, count, returned)
    )
    return returned.stack(), pool, count


def unrolled_query(pool, count, images, uniforms, indices):
    """The loop unrolled in Python (needs a static batch)."""
    import tensorflow as tf

    size, outs = pool.shape[0], []
    for i in range(images.shape[0]):
        filling = count < size
        swap = tf.logical_and(tf.logical_not(filling), uniforms[i] > 0.5)
        slot = tf.where(filling, count, indices[i])
        outs.append(tf.where(swap, tf.gather(pool, slot), images[i]))
        row = tf.logical_and(tf.logical_or(filling, swap), tf.range(size) == slot)
        pool = tf.where(tf.reshape(row, [-1] + [1] * (pool.shape.rank - 1)), images[i][None], pool)
        count = count + tf.cast(filling, tf.int32)
    return tf.stack(outs), pool, count


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument(
        "--out", default=os.path.join("benchmarks", "results", "xla_ops", "image_pool.json")
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    from keras_gan.files import write_json
    from keras_gan.image_pool import query_pool

    variants = {
        "query_pool (no loop)": query_pool,
        "while_loop + tf.cond (replaced)": loop_query,
        "while_loop + tf.where": lambda *a: loop_query(*a, cond=False),
        "unrolled": unrolled_query,
    }
    rows = []
    for name, query in variants.items():
        row = {"variant": name}
        for jit in (False, True):
            pool, count = tf.Variable(tf.zeros([50, 8, 8, 1])), tf.Variable(0)

            def step(images, uniforms, indices, query=query, pool=pool, count=count):
                out, new_pool, new_count = query(pool, count, images, uniforms, indices)
                pool.assign(new_pool)
                count.assign(new_count)
                return out

            call = tf.function(step, jit_compile=jit)
            rng = tf.random.Generator.from_seed(0)

            def draw():
                return (
                    rng.normal([16, 8, 8, 1]),
                    rng.uniform([16]),
                    rng.uniform([16], 0, 50, dtype=tf.int32),
                )

            for _ in range(5):
                call(*draw())
            start = time.process_time()
            for _ in range(args.calls):
                call(*draw())
            row["xla_cpu_ms" if jit else "cpu_ms"] = (
                1000 * (time.process_time() - start) / args.calls
            )
        row["xla_ratio"] = row["xla_cpu_ms"] / row["cpu_ms"]
        rows.append(row)
        print(
            f"{name:34s} {row['cpu_ms']:8.2f} CPU-ms  XLA {row['xla_cpu_ms']:8.2f} CPU-ms  "
            f"({row['xla_ratio']:.2f}x)",
            flush=True,
        )
    write_json(args.out, {"pool": [50, 8, 8, 1], "batch": 16, "calls": args.calls, "rows": rows})


if __name__ == "__main__":
    main()
