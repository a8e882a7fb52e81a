"""Differentiable augmentation of the discriminator's inputs (DiffAugment).

The same random transformation family is applied to real and generated images
before every discriminator call, in both the discriminator's and the
generator's updates, and gradients flow through it to the generator. The
discriminator then cannot memorise a small training set, and since it only
ever sees augmented images of both kinds, the generator is not pushed to
produce augmented-looking images.

Each transformation draws its parameters per example from uniforms `[batch,
k]` that the caller passes in (`uniforms`), so a model can draw them for the
global batch from a stateless seed and give each replica its slice: one
device and N replicas then augment each example identically.

Reference:
    Zhao, Liu, Lin, Zhu & Han, "Differentiable Augmentation for
    Data-Efficient GAN Training", NeurIPS 2020; reference implementation
    `DiffAugment_tf.py` of mit-han-lab/data-efficient-gans (policies
    `color`, `translation` (ratio 1/8), `cutout` (ratio 1/2)).
"""

import tensorflow as tf

# Policy name -> the transformations it applies, in order.
POLICIES = {
    "color": ("brightness", "saturation", "contrast"),
    "translation": ("translation",),
    "cutout": ("cutout",),
}
# Uniforms each transformation consumes per example.
_DRAWS = {"brightness": 1, "saturation": 1, "contrast": 1, "translation": 2, "cutout": 2}
TRANSLATION_RATIO = 0.125
CUTOUT_RATIO = 0.5


def parse_policy(policy):
    """The policy names as a tuple, validated; `None`, `""` or `()` is no augmentation.

    Args:
        policy: names from `POLICIES`, as a sequence or a comma-separated
            string (`"translation,cutout"`, the reference's notation).
    """
    if policy is None:
        return ()
    names = policy.split(",") if isinstance(policy, str) else list(policy)
    names = tuple(n.strip() for n in names if n.strip())
    unknown = [n for n in names if n not in POLICIES]
    if unknown:
        raise ValueError(
            f"Unknown augmentation policy {unknown}; choose from {sorted(POLICIES)}. Received: "
            f"policy={policy!r}"
        )
    return names


def num_draws(policy):
    """How many uniforms per example `diff_augment` consumes for `policy`."""
    return sum(_DRAWS[t] for name in parse_policy(policy) for t in POLICIES[name])


def _per_example(values, x):
    return tf.cast(values, x.dtype)[:, None, None, None]


def _brightness(x, u):
    return x + _per_example(u[:, 0] - 0.5, x)


def _saturation(x, u):
    mean = tf.reduce_mean(x, axis=3, keepdims=True)
    return (x - mean) * _per_example(2.0 * u[:, 0], x) + mean


def _contrast(x, u):
    mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
    return (x - mean) * _per_example(u[:, 0] + 0.5, x) + mean


def _integers(u, low, high):
    """Integers uniform on [low, high] from uniforms u in [0, 1)."""
    span = high - low + 1
    return tf.minimum(tf.cast(tf.floor(u * span), tf.int32), span - 1) + low


def _translation(x, u):
    """Shifts each image by whole pixels in [-s, s] per axis, s = round(ratio * size); zeros
    fill."""
    height, width = x.shape[1], x.shape[2]
    sy, sx = int(height * TRANSLATION_RATIO + 0.5), int(width * TRANSLATION_RATIO + 0.5)
    ty, tx = _integers(u[:, 0], -sy, sy), _integers(u[:, 1], -sx, sx)
    padded = tf.pad(x, [[0, 0], [sy, sy], [sx, sx], [0, 0]])
    rows = tf.range(height)[None, :] + sy - ty[:, None]  # out[i] = x[i - t]
    cols = tf.range(width)[None, :] + sx - tx[:, None]
    shifted = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(shifted, cols, axis=2, batch_dims=1)


def _cutout(x, u):
    """Zeros one square of side round(ratio * size) per image, centred anywhere on it."""
    height, width = x.shape[1], x.shape[2]
    cy, cx = int(height * CUTOUT_RATIO + 0.5), int(width * CUTOUT_RATIO + 0.5)
    oy = _integers(u[:, 0], 0, height - cy % 2)  # the reference's range [0, size + (1 - cut % 2))
    ox = _integers(u[:, 1], 0, width - cx % 2)
    top, left = oy - cy // 2, ox - cx // 2
    rows = tf.range(height)[None, :]
    cols = tf.range(width)[None, :]
    in_rows = (rows >= top[:, None]) & (rows < top[:, None] + cy)
    in_cols = (cols >= left[:, None]) & (cols < left[:, None] + cx)
    keep = tf.logical_not(in_rows[:, :, None] & in_cols[:, None, :])
    return x * tf.cast(keep, x.dtype)[:, :, :, None]


_TRANSFORMS = {
    "brightness": _brightness,
    "saturation": _saturation,
    "contrast": _contrast,
    "translation": _translation,
    "cutout": _cutout,
}


def diff_augment(images, policy, uniforms=None, seed=None):
    """Applies DiffAugment's `policy` to a batch of images, differentiably.

    Reference:
        Zhao et al., "Differentiable Augmentation for Data-Efficient GAN
        Training", NeurIPS 2020 (`DiffAugment_tf.py`).

    Formula (per example, u ~ U[0, 1) each):
        brightness `x + (u - 0.5)`; saturation `(x - mean_c x)·2u + mean_c x`;
        contrast `(x - mean x)·(u + 0.5) + mean x`; translation by integers
        in `[-s, s]`, `s = round(size / 8)`, zero fill; cutout of a
        `round(size / 2)` square set to 0.

    Args:
        images: `[batch, height, width, channels]`, channels last.
        policy: names from `POLICIES` (sequence or comma-separated string).
        uniforms: `[batch, num_draws(policy)]` values in [0, 1) that fix
            the transformations; drawn from `seed` when None.
        seed: stateless seed (int32 `[2]`) used when `uniforms` is None.

    Returns:
        The augmented images, same shape and dtype.

    Example:
        >>> x = tf.zeros([4, 28, 28, 1])
        >>> diff_augment(x, "translation,cutout", seed=[0, 1]).shape
        TensorShape([4, 28, 28, 1])
    """
    names = parse_policy(policy)
    if not names:
        return images
    images = tf.convert_to_tensor(images)
    if images.shape.rank != 4:
        raise ValueError(
            "diff_augment needs images [batch, height, width, channels]. Received shape "
            f"{images.shape}."
        )
    draws = num_draws(names)
    if uniforms is None:
        if seed is None:
            raise ValueError("diff_augment needs `uniforms` or a stateless `seed`.")
        uniforms = tf.random.stateless_uniform([tf.shape(images)[0], draws], seed)
    uniforms = tf.cast(uniforms, tf.float32)
    column = 0
    for name in names:
        for transform in POLICIES[name]:
            k = _DRAWS[transform]
            images = _TRANSFORMS[transform](images, uniforms[:, column : column + k])
            column += k
    return images
