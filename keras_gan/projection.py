"""Projection (GAN inversion): latents whose generated images match given images.

`project(model, images)` runs Adam on one latent per image, all images at once, minimizing

    pixel MSE(G(z), x) + feature_weight · MSE(F(G(z)), F(x)) + prior_weight · ½ mean(z²)

where F is the feature network the model declares (`model.projection_features()`: the
discriminator's penultimate layer for a discriminator that takes images alone; none where it
takes more, e.g. labels or BiGAN's pairs), or VGG16's LPIPS layers (`features="vgg16"`,
`keras_gan.perceptual`; ImageNet weights, downloaded once), and the last term is the N(0, I)
prior's negative log-density per dimension (for other priors z is kept inside the prior's box
instead). Each image's loss depends on its own latent only, and the Adam update is elementwise,
so the batch may be split anywhere: under a `tf.distribute` strategy each replica projects its
slice and the result equals one device's. The optimizer is written out (no optimizer
variables), so one `tf.function` runs it on any replica.

Reference:
    Zhu et al., "Generative Visual Manipulation on the Natural Image Manifold", ECCV 2016
    (projection by optimization, with a feature loss); Karras et al., "Analyzing and Improving
    the Image Quality of StyleGAN", CVPR 2020, §5 (projection in W from the average w);
    Kingma & Ba, "Adam", ICLR 2015 (the update).

Formula:
    Adam: `m ← β1 m + (1 − β1) g`, `v ← β2 v + (1 − β2) g²`,
    `z ← z − lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)`.
"""

import numpy as np
import tensorflow as tf


def _loss_fn(decode, features, targets, target_features, feature_weight, prior_weight):
    def per_image(z):
        images = decode(z)
        axes = list(range(1, len(images.shape)))
        loss = tf.reduce_mean(tf.square(images - targets), axis=axes)
        if features is not None and feature_weight:
            f = features(images)
            f_axes = list(range(1, len(f.shape)))
            loss += feature_weight * tf.reduce_mean(tf.square(f - target_features), axis=f_axes)
        if prior_weight:
            loss += prior_weight * 0.5 * tf.reduce_mean(tf.square(z), axis=-1)
        return loss

    return per_image


def adam_steps(
    per_image,
    z,
    steps,
    learning_rate,
    clip=None,
    beta_1=0.9,
    beta_2=0.999,
    epsilon=1e-8,
    constrain=None,
):
    """`steps` Adam updates of `z` minimizing `sum(per_image(z))`.

    `clip`: `(low, high)` bounds z is kept inside after each update (a uniform prior's box).
    `constrain`: a function applied to z after each update (e.g. renormalizing noise images).

    Returns:
        `(z, best_z, best_loss)`: the last iterate, and each row's latent with the lowest
        `per_image` seen among the start, the iterates and the last one, with that loss. Adam's
        steps have a fixed size near the optimum, so from a start already close (BiGAN's E(x))
        the last iterate may be worse than the start; `best_z` never is.
    """
    lr = tf.cast(learning_rate, z.dtype)

    def keep_best(z, loss, best_z, best_loss):
        better = loss < best_loss
        return tf.where(better[:, None], z, best_z), tf.where(better, loss, best_loss)

    def body(t, z, m, v, best_z, best_loss):
        with tf.GradientTape() as tape:
            tape.watch(z)
            rows = per_image(z)
            loss = tf.reduce_sum(rows)
        best_z, best_loss = keep_best(z, rows, best_z, best_loss)
        g = tape.gradient(loss, z)
        m = beta_1 * m + (1.0 - beta_1) * g
        v = beta_2 * v + (1.0 - beta_2) * tf.square(g)
        step = tf.cast(t + 1, z.dtype)
        m_hat = m / (1.0 - tf.pow(beta_1, step))
        v_hat = v / (1.0 - tf.pow(beta_2, step))
        z = z - lr * m_hat / (tf.sqrt(v_hat) + epsilon)
        if clip is not None:
            z = tf.clip_by_value(z, clip[0], clip[1])
        if constrain is not None:
            z = constrain(z)
        return t + 1, z, m, v, best_z, best_loss

    zeros = tf.zeros_like(z)
    infinite = tf.fill(tf.shape(z)[:1], tf.constant(np.inf, z.dtype))
    start = (tf.constant(0), z, zeros, zeros, z, infinite)
    _, z, _, _, best_z, best_loss = tf.while_loop(lambda t, *_: t < steps, body, start)
    best_z, best_loss = keep_best(z, per_image(z), best_z, best_loss)
    return z, best_z, best_loss


FEATURES = ("model", "vgg16", "none")
# stylegan2-ada's projector: `regularize_noise_weight`, and its (initial) learning rate, used for
# the noise images.
NOISE_WEIGHT = 1e5
NOISE_RATE = 0.1


def noise_regularization(noise):
    """stylegan2-ada's projector's noise regularizer, per image: the squared mean product of a
    noise image with itself shifted by one pixel, down and across, summed over scales (halved by
    2x2 average pooling while larger than 8x8). Low for white noise, high where the optimizer
    has drawn image structure into the noise.

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of StyleGAN", CVPR 2020, §5;
        NVlabs/stylegan2-ada-pytorch `projector.py`.

    Args:
        noise: `[n, H, W, C]` noise images.

    Returns:
        `[n]`.
    """
    reg = 0.0
    while True:
        for axis in (1, 2):
            shifted = noise * tf.roll(noise, shift=1, axis=axis)
            reg += tf.square(tf.reduce_mean(shifted, axis=[1, 2, 3]))
        if noise.shape[1] <= 8:
            return reg
        noise = tf.nn.avg_pool2d(noise, 2, 2, "VALID")


def _noise_parts(flat, shapes):
    """`[n, Σ|shape|]` -> one `[n, *shape]` tensor per shape."""
    sizes = [int(np.prod(shape)) for shape in shapes]
    return [
        tf.reshape(part, [-1, *shape])
        for part, shape in zip(tf.split(flat, sizes, axis=-1), shapes)
    ]


def _normalize_noise(flat, shapes):
    """Each image's noise images to zero mean and unit variance (after every step, as
    stylegan2-ada's projector)."""
    sizes = [int(np.prod(shape)) for shape in shapes]
    parts = []
    for part in tf.split(flat, sizes, axis=-1):
        part = part - tf.reduce_mean(part, axis=-1, keepdims=True)
        variance = tf.reduce_mean(tf.square(part), axis=-1, keepdims=True)
        parts.append(part * tf.math.rsqrt(variance + 1e-12))
    return tf.concat(parts, axis=-1)


def feature_network(model, features="model"):
    """The feature function of `features`: `"model"` (the model's `projection_features()`, None
    where it declares none), `"vgg16"` (`keras_gan.perceptual.vgg16_features()`), `"none"`, or
    a callable `images -> [n, ...]` (returned as it is)."""
    if callable(features):
        return features
    if features == "model":
        return model.projection_features()
    if features == "vgg16":
        from keras_gan import perceptual

        return perceptual.vgg16_features()
    if features in ("none", None):
        return None
    raise ValueError(
        f"features must be one of {FEATURES} or a function of images. Received: {features!r}"
    )


def projector(
    model,
    space="z",
    learning_rate=None,
    feature_weight=1.0,
    prior_weight=1e-3,
    features="model",
    noise_weight=NOISE_WEIGHT,
):
    """A graph function `(images, init, labels, steps) -> {"latents", "reconstructions",
    "start_loss", "loss"}` (+ `"noise"`, one `[n, *shape]` per noise input, where they are
    optimized): `steps` (a Python int or an int32 tensor) Adam updates from `init`, each image's
    best latent kept (see `project` for the arguments). The `project` serving signature runs
    it."""
    caps = model.capabilities()
    if space not in caps.latent_spaces:
        raise ValueError(
            f"{model.name} projects into {', '.join(caps.latent_spaces) or 'no latent space'}. "
            f"Received: space={space!r}"
        )
    if learning_rate is None:
        learning_rate = 0.01 if space == "w" else 0.05
    decode = model.space_decoder(space)
    features = feature_network(model, features) if feature_weight else None
    clip = None if space == "w" or caps.latent_path == "slerp" else (-1.0, 1.0)
    prior = prior_weight if space == "z" and caps.latent_path == "slerp" else 0.0

    noisy = model.noise_decoder() if space == "w" and noise_weight is not None else None

    def run(x, z, y, steps):
        target_features = None if features is None else features(x)
        if noisy is None:

            def generate(z):
                return decode(z, y)

            per_image = _loss_fn(generate, features, x, target_features, feature_weight, prior)
            start = per_image(z)
            _, z, loss = adam_steps(per_image, z, steps, learning_rate, clip)
            return {"latents": z, "reconstructions": generate(z), "start_loss": start, "loss": loss}
        # W and the noise images in one vector per image (Adam is elementwise, so this is one
        # Adam on each), from the fixed noise buffers the model samples with.
        shapes, decode_noisy = noisy
        width = int(z.shape[-1])
        n = tf.shape(z)[0]
        buffers = model.noise_images(n, tf.constant(0), "const")
        extended = tf.concat([z] + [tf.reshape(b, [n, -1]) for b in buffers], axis=-1)
        v_noise_size = sum(int(np.prod(shape)) for shape in shapes)

        def generate(v):
            return decode_noisy(v[:, :width], _noise_parts(v[:, width:], shapes), y)

        pixel_and_features = _loss_fn(generate, features, x, target_features, feature_weight, 0.0)

        def per_image(v):
            reg = tf.add_n([noise_regularization(p) for p in _noise_parts(v[:, width:], shapes)])
            return pixel_and_features(v) + noise_weight * tf.cast(reg, v.dtype)

        def constrain(v):
            return tf.concat([v[:, :width], _normalize_noise(v[:, width:], shapes)], axis=-1)

        # The noise at stylegan2-ada's rate (0.1): its regularizer is large at the start (the
        # buffers' autocorrelation on 4x4 and 8x8 maps) and must fall within a few steps.
        rates = tf.concat(
            [tf.fill([width], float(learning_rate)), tf.fill([int(v_noise_size)], NOISE_RATE)],
            axis=0,
        )
        start = per_image(extended)
        _, v, loss = adam_steps(per_image, extended, steps, rates, constrain=constrain)
        return {
            "latents": v[:, :width],
            "reconstructions": generate(v),
            "start_loss": start,
            "loss": loss,
            "noise": _noise_parts(v[:, width:], shapes),
        }

    return run


def project(
    model,
    images,
    steps=200,
    learning_rate=None,
    feature_weight=1.0,
    prior_weight=1e-3,
    labels=None,
    init=None,
    space="z",
    seed=0,
    strategy=None,
    features="model",
    noise_weight=NOISE_WEIGHT,
):
    """Latents of `model` whose samples match `images`, for every image at once.

    Args:
        model: a model with a latent space (`model.capabilities().latent_spaces`).
        images: `[n, ...]` in [-1, 1], the shape the model generates.
        steps: Adam updates.
        learning_rate: Adam's rate (default: 0.05 in z, 0.01 in W).
        feature_weight: weight of the feature loss (0: pixels only).
        prior_weight: weight of the prior's negative log-density (N(0, I) priors).
        labels: class labels `[n]` of a class-conditional model.
        init: starting latents `[n, d]` (default: the model's `projection_start`: a draw from
            the prior, BiGAN's E(x), StyleGAN's average w).
        space: `"z"`, or `"w"` for StyleGAN.
        seed: seeds the starting draw.
        strategy: a `tf.distribute` strategy whose replicas each project a slice of the batch
            (default: the current one).
        features: the feature loss's network: `"model"` (the model's own, e.g. its
            discriminator's features), `"vgg16"` (LPIPS's VGG16 layers with uniform weights;
            needs Keras's ImageNet weights), `"none"`, or a function of images.
        noise_weight: in W of a generator with noise inputs (StyleGAN), the noise images are
            optimized too, from the fixed buffers, with stylegan2-ada's regularizer at this
            weight and renormalized after each step (its projector's 1e5); None: the noise
            stays fixed.

    Returns:
        A dict: `latents` `[n, d]` (each image's best latent seen in the run: never worse than
        its start), `reconstructions` (the samples of `latents`), `start_loss` and `loss` `[n]`
        (each image's objective at the start and at `latents`), and `noise` (a list of
        `[n, *shape]`) where the noise images were optimized.
    """
    run_projection = projector(
        model, space, learning_rate, feature_weight, prior_weight, features, noise_weight
    )
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer. Received: steps={steps!r}")
    images = np.asarray(images, np.float32)
    if labels is not None:
        labels = np.asarray(labels, np.int32)
    if init is None:
        init = model.projection_start(images, space, seed)
    init = np.asarray(init, np.float32)

    def run(x, z, y):
        return run_projection(x, z, y, steps)

    strategy = strategy or tf.distribute.get_strategy()
    replicas = strategy.num_replicas_in_sync
    n = len(images)
    if n % replicas:
        raise ValueError(
            f"Under {replicas} replicas the number of images must be a multiple of {replicas}. "
            f"Received: {n}"
        )
    per = n // replicas

    def split(array):
        if array is None:
            return None
        return strategy.experimental_distribute_values_from_function(
            lambda ctx: tf.constant(array[ctx.replica_id_in_sync_group * per :][:per])
        )

    step = tf.function(run)
    parts = strategy.run(step, args=(split(images), split(init), split(labels)))
    return tf.nest.map_structure(
        lambda p: np.concatenate([np.asarray(t) for t in strategy.experimental_local_results(p)]),
        parts,
    )
