"""`keras-gan stats SOURCE --out FILE.npz`: feature statistics of any data source in TTUR's
format (`mu`, `sigma`), streamed in batches, for `keras-gan evaluate --reference-stats`."""

import time

from keras_gan.cli.common import (
    CLIError,
    FeatureProgress,
    add_command,
    add_features_options,
)


def add_parser(subparsers, parents):
    p = add_command(
        subparsers,
        "stats",
        parents,
        "feature statistics of a data source -> FILE.npz (TTUR's format: mu, sigma)",
        [
            "keras-gan stats folder:my_images --out my_images.npz",
            "keras-gan stats tfds:cifar10 --features-file classify_image_graph_def.pb --out "
            "cifar10_train.npz",
        ],
    )
    p.add_argument("source", help="a data source, as `keras-gan train --data` takes it")
    p.add_argument("--out", required=True, metavar="FILE.npz", help="the statistics file")
    add_features_options(p)
    p.add_argument("--data-dir", help="folder of the data files (mnist, tfds)")
    p.add_argument("--split", default="train", help="the split read (default: %(default)s)")
    p.add_argument(
        "--image-size",
        metavar="HxW",
        help="resize folder: images to this size, as the model sees them (default: the first "
        "image's size)",
    )
    p.add_argument(
        "--batch-size", type=int, default=500, help="images read at once (default: %(default)s)"
    )


def _image_size(text):
    if text is None:
        return None
    parts = text.lower().split("x")
    if len(parts) != 2 or not all(p.isdigit() and int(p) > 0 for p in parts):
        raise CLIError(f"--image-size takes HxW, e.g. 64x64. Received: {text!r}")
    return int(parts[0]), int(parts[1])


def run(args):
    from keras_gan import data
    from keras_gan.metrics.features import load_features
    from keras_gan.metrics.statistics import StreamingStatistics, save_statistics

    if args.features == "classifier":
        raise CLIError(
            "Statistics files hold Inception features, as the papers' files do; choose "
            "--features inception-2015 or keras-inception."
        )
    if args.batch_size < 1:
        raise CLIError(f"--batch-size must be positive. Received: {args.batch_size}")
    if not args.out.endswith(".npz"):
        raise CLIError(f"--out must name an .npz file. Received: {args.out}")
    size = _image_size(args.image_size)
    net = load_features(args.features or "inception-2015", args.features_file)
    moments, progress, start = StreamingStatistics(), FeatureProgress(), time.monotonic()
    cpu = time.process_time()
    for batch in data.image_batches(
        args.source, args.batch_size, args.data_dir, split=args.split, image_size=size
    ):
        features, _ = net(batch)
        moments.update(features)
        progress("real images", moments.count, None)
    mu, sigma = moments.result()
    metadata = dict(features=net.name, source=args.source, split=args.split, count=moments.count)
    if net.sha256:
        metadata["sha256"] = net.sha256
    save_statistics(args.out, mu, sigma, **metadata)
    print(
        f"Wrote {args.out}: {net.name} statistics of {moments.count:,} images of {args.source} "
        f"({time.monotonic() - start:.1f} s, {time.process_time() - cpu:.1f} CPU-s)"
    )
    return 0
