r"""Latency and throughput of an exported generator against the Keras generator in-process.

Measures, for a run directory (default: a freshly built, untrained preset):
  - median latency of `serving_default` at batch 1 over 100 calls, through the
    SavedModel loaded with `tf.saved_model.load` (TensorFlow's own loader);
  - the same for calling the Keras generator directly (`generator(z, training=False)`);
  - throughput at batch 256 (images/s) for both.

Usage: python -m benchmarks.experiments.serving_latency [--run RUN_DIR | --preset dcgan-mnist] \
        [--calls 100]
"""

import argparse
import json
import tempfile
import time

import numpy as np
import tensorflow as tf

from keras_gan import export, zoo
from keras_gan.runs import load_run


def timed(fn, calls):
    fn()  # warm up (tracing)
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return np.array(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--run")
    parser.add_argument("--preset", default="dcgan-mnist")
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    model = load_run(args.run) if args.run else zoo.build(args.preset)
    path = export.export_generator(model, tempfile.mkdtemp(), "bench")
    serving = tf.saved_model.load(path).signatures["serving_default"]
    generator = model.generator
    keras_fn = tf.function(lambda z: generator(z, training=False))  # what a Keras user would serve

    result = {
        "model": args.run or args.preset,
        "device": tf.config.list_logical_devices()[-1].device_type,
    }
    for batch in (1, 256):
        z = tf.constant(model.sample_latents(batch, seed=0))
        calls = args.calls if batch == 1 else max(10, args.calls // 10)
        saved = timed(lambda: serving(z=z)["images"].numpy(), calls)
        eager = timed(lambda: generator(z, training=False).numpy(), calls)
        compiled = timed(lambda: keras_fn(z).numpy(), calls)
        if batch == 1:
            result["latency_ms_b1"] = {
                "saved_model": 1e3 * float(np.median(saved)),
                "keras_eager": 1e3 * float(np.median(eager)),
                "keras_tf_function": 1e3 * float(np.median(compiled)),
            }
        else:
            result["images_per_s_b256"] = {
                "saved_model": batch / float(np.median(saved)),
                "keras_eager": batch / float(np.median(eager)),
                "keras_tf_function": batch / float(np.median(compiled)),
            }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
