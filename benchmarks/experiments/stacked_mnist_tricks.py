r"""Do feature matching or minibatch discrimination change DCGAN's mode coverage on Stacked MNIST?

Salimans et al. 2016 ("Improved Techniques for Training GANs", §3.1, §3.2)
propose both against mode collapse. This trains `dcgan-mnist`'s networks on
Stacked MNIST (three MNIST digits as R, G, B: 1,000 modes; `data.load
("stacked_mnist")`) once per variant, with the same seed, data order and
number of steps:

    baseline   the preset as it is (non-saturating loss)
    fm         feature_matching="features": the generator matches the batch
               mean of the discriminator's flattened features (openai/improved-gan)
    mbd        minibatch_kernels=100: minibatch discrimination (B = 100, C = 5)
               before the discriminator's logit

and scores each as VEEGAN/PacGAN do (`keras-gan evaluate` on stacked_mnist):
modes (of 1,000) and KL(q ‖ uniform) over 26,000 samples, each channel
labelled by the MNIST classifier. Prints one JSON line per variant and
writes them all to `--out`.

Usage:
    python -m benchmarks.experiments.stacked_mnist_tricks --data-dir ../shared/data/mnist \
        --steps 3000 \
        --out benchmarks/results/tricks/stacked_mnist.json
"""

import argparse
import json
import time

import keras

from keras_gan import data, files, zoo
from keras_gan.metrics import evaluate_model
from keras_gan.metrics.features import DomainClassifier

VARIANTS = {
    "baseline": {},
    "fm": {"feature_matching": "features"},
    "mbd": {"minibatch_kernels": 100},
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="folder of the MNIST files")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n", type=int, default=26000, help="samples scored per variant")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--out", help="JSON file for the results")
    args = parser.parse_args(argv)
    spec = zoo.spec("dcgan-mnist")
    x, y = data.load_arrays("mnist", data_dir=args.data_dir)
    classifier = DomainClassifier(x, y, key="mnist")
    results = []
    for variant in args.variants:
        keras.utils.set_random_seed(args.seed)
        model = zoo.build(
            "dcgan-mnist",
            steps=args.steps,
            seed=args.seed,
            image_shape=(28, 28, 3),
            **VARIANTS[variant],
        )
        dataset = data.load(
            "stacked_mnist", spec.batch_size, data_dir=args.data_dir, seed=args.seed, repeat=True
        )
        cpu, wall = time.process_time(), time.time()
        model.fit(dataset, steps_per_epoch=args.steps, epochs=1, verbose=0)
        cpu, wall = time.process_time() - cpu, time.time() - wall
        scores = evaluate_model(
            model,
            "stacked_mnist",
            data_dir=args.data_dir,
            n=args.n,
            seed=args.seed + 1,
            classifier=classifier,
        )["generated"]
        row = {
            "variant": variant,
            "overrides": VARIANTS[variant],
            "steps": args.steps,
            "batch_size": spec.batch_size,
            "seed": args.seed,
            "samples": args.n,
            **scores,
            "train_cpu_seconds": round(cpu, 1),
            "train_wall_seconds": round(wall, 1),
        }
        print(json.dumps(row), flush=True)
        results.append(row)
    if args.out:
        files.write_json(args.out, results)


if __name__ == "__main__":
    main()
