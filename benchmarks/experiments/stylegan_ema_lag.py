"""StyleGAN: the served (EMA) generator beside the trained (online) one, for the same latents and
noise.

Writes OUT (a PNG: the online grid above the EMA grid) and prints the step
and the mean absolute difference of the two sets of images. A large gap early
in training means the average still holds the generator of many steps ago
(`ema_decay` 0.999 without a ramp-up has a half-life of 693 steps from the first
step; the preset now ramps the horizon up with the images seen, `ema_rampup`).

Usage:
    python -m benchmarks.experiments.stylegan_ema_lag runs/stylegan-mnist --out online_vs_ema.png
"""

import argparse

import numpy as np
import tensorflow as tf

from keras_gan import images
from keras_gan.runs import load_run


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("run_dir")
    parser.add_argument("--out", required=True)
    parser.add_argument("--n", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    model = load_run(args.run_dir)
    z = model.sample_latents(args.n, args.seed)
    noise = model.noise_images(args.n, tf.constant(args.seed), "random")
    ws = model.truncate(tf.cast(model.trained_mapping(z, training=False), tf.float32), 1.0)
    online = (
        tf.cast(model.trained_synthesis([ws, *noise], training=False), tf.float32)
        .numpy()
        .clip(-1, 1)
    )
    ema = model.generate(args.n, seed=args.seed)  # the same latents and noise, through the averages
    gap = float(np.abs(online - ema).mean())
    columns = 8
    picture = np.concatenate(
        [
            images.picture(online, columns=columns, scale=4, title=f"online, step {model.step}"),
            images.picture(ema, columns=columns, scale=4, title=f"EMA, step {model.step}"),
        ]
    )
    images.write_png(args.out, picture)
    print(
        f"step {model.step}: mean |online - EMA| = {gap:.4f} (images in [-1, 1]); wrote {args.out}"
    )


if __name__ == "__main__":
    main()
