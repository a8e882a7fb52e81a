"""`keras-gan project RUN_DIR --input IMAGE_OR_FOLDER`: latents whose samples match given images."""

import os

from keras_gan.cli.common import (
    CLIError,
    add_command,
    add_run_dir,
    check_at_most,
    check_label,
    check_positive,
    check_space,
)

MAX_IMAGES = 4096  # projected at once, in memory


def add_parser(subparsers, parents):
    p = add_command(
        subparsers,
        "project",
        parents,
        "find latents whose generated images match given images (GAN inversion)",
        [
            "keras-gan project runs/dcgan-mnist --input my_digits/ --out projected/",
            "keras-gan project runs/stylegan-mnist --input seven.png --space w --steps 500",
        ],
    )
    add_run_dir(p)
    p.add_argument("--input", required=True, help="an image file or a folder of images")
    p.add_argument("--out", help="folder (default: RUN_DIR/projected)")
    p.add_argument("--steps", type=int, default=200, help="Adam updates (default: %(default)s)")
    p.add_argument("--space", default="z", help="z, or w for StyleGAN (default: %(default)s)")
    p.add_argument(
        "--learning-rate", type=float, help="Adam's rate (default: 0.05 in z, 0.01 in W)"
    )
    p.add_argument(
        "--feature-weight",
        type=float,
        default=1.0,
        help="weight of the feature loss beside the pixel loss (default: %(default)s; 0: pixels "
        "only)",
    )
    p.add_argument(
        "--features",
        choices=("model", "vgg16", "none"),
        default="model",
        help="the feature loss's network: model (the discriminator's features, where it takes "
        "images alone), vgg16 (LPIPS's VGG16 layers; Keras downloads ImageNet weights once), "
        "none (default: %(default)s)",
    )
    p.add_argument("--label", type=int, help="class-conditional models: the images' class")
    p.add_argument("--seed", type=int, default=0, help="seeds the starting latents (default: 0)")


def _read(path, shape):
    import numpy as np

    from keras_gan import data

    files = data.image_files(path)
    if len(files) > MAX_IMAGES:
        raise CLIError(f"--input holds {len(files)} images; project at most {MAX_IMAGES} at once.")
    images = []
    for f in files:
        image = data.read_image(f)
        if image.shape != shape:
            raise CLIError(
                f"{f} is {image.shape[0]}x{image.shape[1]} with {image.shape[2]} channel(s); the "
                f"model generates {shape[0]}x{shape[1]} with {shape[2]} channel(s). Resize or "
                "convert it first."
            )
        images.append(image.astype(np.float32) / 127.5 - 1.0)
    return files, np.stack(images)


def run(args):
    import numpy as np

    from keras_gan import images, projection, runs

    check_positive(args, "steps")
    check_at_most(args, "steps", 100_000, "a projection that long is a training run")
    run_dir = runs.RunDir(args.run_dir)
    model = run_dir.load_model()
    caps = model.capabilities()
    check_space(model, caps, args.space)
    check_label(model, caps, args.label, required=True)
    shape = runs.image_shape(model)
    if shape is None:
        raise CLIError(f"{model.name} generates points, not images: nothing to project.")
    files, x = _read(args.input, shape)
    labels = None if args.label is None else np.full(len(x), args.label)
    result = projection.project(
        model,
        x,
        steps=args.steps,
        learning_rate=args.learning_rate,
        feature_weight=args.feature_weight,
        features=args.features,
        labels=labels,
        space=args.space,
        seed=args.seed,
    )
    out = args.out or os.path.join(run_dir.path, "projected")
    recon = np.clip(result["reconstructions"], -1.0, 1.0)
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "latents.npy"), result["latents"])
    if "noise" in result:  # StyleGAN in W: the noise images found with the latents
        np.savez(os.path.join(out, "noise.npz"), *result["noise"])
    for f, image in zip(files, recon):
        name = os.path.splitext(os.path.basename(f))[0] + ".png"
        images.write_png(os.path.join(out, "reconstructions", name), images.to_uint8(image))
    shown = min(len(x), 32)
    pairs = np.stack([x[:shown], recon[:shown]], axis=1).reshape(-1, *x.shape[1:])
    grid = images.picture(
        pairs,
        columns=2,
        column_labels=["input", "projection"],
        title=f"{args.steps} steps in {args.space}",
    )
    images.write_png(os.path.join(out, "comparison.png"), grid)
    l1 = np.mean(np.abs(recon - x), axis=tuple(range(1, x.ndim)))
    print(
        f"Projected {len(x)} image(s) into {args.space}: pixel L1 {l1.mean():.4f} (mean; "
        f"images in [-1, 1]), loss {result['start_loss'].mean():.4g} -> "
        f"{result['loss'].mean():.4g}."
    )
    print(
        f"Latents: {out}/latents.npy; reconstructions: {out}/reconstructions/; {out}/comparison.png"
    )
    return 0
