"""The latent space as a tool: interpolation between latents and DCGAN's vector arithmetic.

Pure functions of latent vectors (NumPy arrays or tensors; `keras.ops`, so they also run inside a
`tf.function` such as a serving signature). They work for any `LatentAdversarialModel`'s z, and
for StyleGAN's w (after the mapping network).
"""

import keras
from keras import ops

METHODS = ("slerp", "lerp")


def interpolate(z0, z1, steps, method="slerp"):
    """`steps` latents on the path from `z0` to `z1`, both ends included.

    Spherical interpolation (`slerp`) follows the great circle between the two directions, as
    DCGAN's and BigGAN's authors interpolate Gaussian latents: a straight line (`lerp`) between
    two samples of N(0, I) passes through latents of a much smaller norm than the prior draws
    (in high dimension, almost all of its mass lies near the sphere of radius sqrt(d)).

    Reference:
        White, "Sampling Generative Networks", 2016 (slerp); Radford et al., "Unsupervised
        Representation Learning with Deep Convolutional GANs", ICLR 2016, §6.1.

    Formula:
        lerp: `z(t) = (1 - t) z0 + t z1`;
        slerp: `z(t) = sin((1 - t) Ω) / sin Ω · z0 + sin(t Ω) / sin Ω · z1`, with `cos Ω` the
        cosine of the angle between z0 and z1, for `t = 0, 1/(steps - 1), ..., 1`; where
        `sin Ω = 0` (parallel latents) slerp is lerp.

    Args:
        z0, z1: latents of one shape `[..., d]` (e.g. `[d]`, or `[n, d]` for n paths at once).
        steps: the number of latents on each path (>= 2), ends included.
        method: `"slerp"` (default) or `"lerp"`.

    Returns:
        float32 `[..., steps, d]`: the first is `z0`, the last `z1`, exactly.

    Example:

    >>> from keras_gan import latent
    >>> z = model.sample_latents(2, seed=0)
    >>> images = model.decode_latents(latent.interpolate(z[0], z[1], steps=8))
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}. Received: method={method!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
        raise ValueError(f"steps must be an integer >= 2 (both ends). Received: steps={steps!r}")
    z0 = ops.convert_to_tensor(z0, "float32")
    z1 = ops.convert_to_tensor(z1, "float32")
    if tuple(z0.shape) != tuple(z1.shape) or len(z0.shape) < 1:
        raise ValueError(
            "z0 and z1 must be latents of one shape [..., d]. "
            f"Received: shapes {tuple(z0.shape)} and {tuple(z1.shape)}"
        )
    return path(z0, z1, steps, method)


def path(z0, z1, steps, method="slerp"):
    """`interpolate` without its checks, for graphs where `steps` is a tensor (e.g. the
    `interpolate` serving signature, which checks its inputs with graph ops)."""
    # t = 0, 1/(steps - 1), ..., 1 (arange, not linspace: `steps` may be a graph tensor)
    t = ops.cast(ops.arange(steps), "float32")[:, None] / ops.cast(steps - 1, "float32")
    a, b = ops.expand_dims(z0, -2), ops.expand_dims(z1, -2)  # [..., 1, d]
    if method == "lerp":
        line = (1.0 - t) * a + t * b
    else:
        unit0 = a / ops.maximum(ops.norm(a, axis=-1, keepdims=True), 1e-12)
        unit1 = b / ops.maximum(ops.norm(b, axis=-1, keepdims=True), 1e-12)
        cosine = ops.clip(ops.sum(unit0 * unit1, axis=-1, keepdims=True), -1.0, 1.0)
        omega = ops.arccos(cosine)  # [..., 1, 1]
        sine = ops.sin(omega)
        parallel = sine < 1e-6
        safe = ops.where(parallel, 1.0, sine)
        c0 = ops.where(parallel, 1.0 - t, ops.sin((1.0 - t) * omega) / safe)
        c1 = ops.where(parallel, t, ops.sin(t * omega) / safe)
        line = c0 * a + c1 * b
    # The ends are the given latents bit for bit (sin Ω / sin Ω need not round to 1).
    first = ops.arange(steps)[:, None] == 0
    last = ops.arange(steps)[:, None] == steps - 1
    return ops.where(first, a, ops.where(last, b, line))


def layer_path(w0, w1, steps, num_ws, layers):
    """A path in StyleGAN's per-layer W ("W+"): every layer's w starts at `w0`; the layers in
    `layers` (a `(start, stop)` range) go to `w1` along a straight line, the others stay at
    `w0`. Moving the coarse layers (low indices) changes the digit's shape and pose, the fine
    ones its strokes: StyleGAN's style mixing, as a path.

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative Adversarial
        Networks", CVPR 2019, §3.1 and Figure 3 (coarse, middle and fine styles).

    Formula:
        `ws(t)_l = (1 − t) w0 + t w1` for `start <= l < stop`, `w0` otherwise.

    Args:
        w0, w1: `[n, d]` ws (after the mapping network).
        steps: the number of points on each path (>= 2), ends included.
        num_ws: the synthesis network's number of ws (`model.capabilities().style_layers`).
        layers: `(start, stop)` with `0 <= start < stop <= num_ws`.

    Returns:
        float32 `[n, steps, num_ws, d]`, for `decode_space(..., "w")` after a reshape to
        `[n * steps, num_ws, d]`.
    """
    start, stop = (int(v) for v in layers)
    if not 0 <= start < stop <= num_ws:
        raise ValueError(
            f"layers must be a range (start, stop) with 0 <= start < stop <= {num_ws}. "
            f"Received: layers={tuple(layers)!r}"
        )
    w0 = ops.convert_to_tensor(w0, "float32")
    w1 = ops.convert_to_tensor(w1, "float32")
    moving = ops.cast((ops.arange(num_ws) >= start) & (ops.arange(num_ws) < stop), "float32")
    line = interpolate(w0, w1, steps, "lerp")  # [n, steps, d]
    a = ops.expand_dims(ops.expand_dims(w0, 1), 1)  # [n, 1, 1, d]
    b = ops.expand_dims(line, 2)  # [n, steps, 1, d]
    mask = moving[:, None]  # [num_ws, 1]
    return mask * b + (1.0 - mask) * a


def arithmetic(groups, signs):
    """DCGAN's vector arithmetic: the signed sum of the mean latent of each group of exemplars.

    Single latents are unstable; DCGAN averages three exemplars per concept before combining,
    e.g. mean(smiling woman) − mean(neutral woman) + mean(neutral man) ≈ smiling man.

    Reference:
        Radford et al., "Unsupervised Representation Learning with Deep Convolutional GANs",
        ICLR 2016, §6.3.1 and Figure 7.

    Formula:
        `z = Σ_i s_i · mean_k(z_ik)`.

    Args:
        groups: a sequence of latent groups, each `[k_i, d]` (k_i >= 1 exemplars; a single `[d]`
            latent is a group of one).
        signs: one number per group (`+1`, `-1`, or any weight).

    Returns:
        float32 `[d]`.

    Example:

    >>> z = latent.arithmetic([smiling_woman, neutral_woman, neutral_man], [1, -1, 1])
    """
    groups = list(groups)
    signs = list(signs)
    if not groups or len(groups) != len(signs):
        raise ValueError(
            "arithmetic needs one sign per group (and at least one group). "
            f"Received: {len(groups)} group(s), {len(signs)} sign(s)"
        )
    means = []
    for i, group in enumerate(groups):
        group = ops.convert_to_tensor(group, "float32")
        if len(group.shape) == 1:
            group = group[None]
        if len(group.shape) != 2 or group.shape[0] == 0:
            raise ValueError(
                f"Each group must hold latents [k >= 1, d]. Received: group {i} of shape "
                f"{tuple(group.shape)}"
            )
        means.append(ops.mean(group, axis=0))
    dims = {int(m.shape[0]) for m in means}
    if len(dims) != 1:
        raise ValueError(
            f"The groups' latents must have one size d. Received: sizes {sorted(dims)}"
        )
    total = 0.0
    for sign, mean in zip(signs, means):
        total = total + keras.ops.cast(sign, "float32") * mean
    return total
