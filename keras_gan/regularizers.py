"""Penalties and constraints on critics: gradient penalty, R1, orthogonality, clipping.

Each returns the penalty term *before* its weight (λ, γ, β); models multiply.
"""

import tensorflow as tf

from keras_gan.precision import widen

_TINY = 1e-12  # inside square roots, so that a zero gradient has a finite gradient


def _per_example_sq_norm(grads):
    axes = list(range(1, len(grads.shape)))
    return tf.reduce_sum(tf.square(widen(grads)), axis=axes)


def gradient_penalty(critic, real, fake, target=1.0, one_sided=False, epsilon=None, seed=None):
    """The WGAN-GP gradient penalty on random interpolates (before λ).

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017
        (two-sided); the one-sided form is from the same paper's appendix and
        Petzka et al., "On the regularization of Wasserstein GANs", ICLR 2018.

    Formula:
        `x̂ = ε x + (1 - ε) x̃`, `ε ~ U[0, 1]` per example;
        two-sided: `E[(‖∇D(x̂)‖₂ - target)²]`;
        one-sided: `E[max(0, ‖∇D(x̂)‖₂ - target)²]`.
        Norms are per example over all non-batch axes.

    Args:
        critic: a callable `x -> outputs` (e.g. `lambda x: D([x, labels])`).
        real: real examples `[batch, ...]`.
        fake: generated examples of the same shape.
        target: the norm the gradient is pulled to (1 for 1-Lipschitz).
        one_sided: penalize only norms above `target`.
        epsilon: interpolation weights `[batch]`; drawn from `seed` if None.
        seed: stateless seed (int32 `[2]`) for `epsilon`.

    Returns:
        A float32 scalar.
    """
    real = tf.convert_to_tensor(real)
    fake = tf.cast(tf.convert_to_tensor(fake), real.dtype)
    if epsilon is None:
        shape = [tf.shape(real)[0]]
        epsilon = (
            tf.random.stateless_uniform(shape, seed)
            if seed is not None
            else tf.random.uniform(shape)
        )
    epsilon = tf.reshape(tf.cast(epsilon, real.dtype), [-1] + [1] * (len(real.shape) - 1))
    interpolates = epsilon * real + (1.0 - epsilon) * fake
    with tf.GradientTape() as tape:
        tape.watch(interpolates)
        outputs = critic(interpolates)
    grads = tape.gradient(outputs, interpolates)
    norm = tf.sqrt(_per_example_sq_norm(grads) + _TINY)
    excess = norm - target
    if one_sided:
        excess = tf.nn.relu(excess)
    return tf.reduce_mean(tf.square(excess))


def r1_penalty(discriminator, real):
    """The R1 (zero-centred) gradient penalty on real data (before γ/2).

    Reference:
        Mescheder et al., "Which Training Methods for GANs do actually
        Converge?", ICML 2018; Kumar et al. 2019 use it for the energy (λ‖∇E‖²).

    Formula:
        `E[‖∇ₓD(x)‖²]`, per example over all non-batch axes.

    Args:
        discriminator: a callable `x -> outputs`.
        real: real examples `[batch, ...]`.
    """
    real = tf.convert_to_tensor(real)
    with tf.GradientTape() as tape:
        tape.watch(real)
        outputs = discriminator(real)
    return tf.reduce_mean(_per_example_sq_norm(tape.gradient(outputs, real)))


def orthogonal_regularization(kernel):
    """BigGAN's orthogonal regularization of one kernel (before β).

    Reference:
        Brock et al., "Large Scale GAN Training for High Fidelity Natural
        Image Synthesis", ICLR 2019, eq. (3).

    Formula:
        `‖WᵀW ⊙ (1 - I)‖²_F`, with the kernel reshaped to `[-1, out]`.

    Args:
        kernel: a weight tensor whose last axis is the output axis.
    """
    w = tf.reshape(widen(kernel), [-1, tf.shape(kernel)[-1]])
    gram = tf.matmul(w, w, transpose_a=True)
    off_diagonal = gram * (1.0 - tf.eye(tf.shape(gram)[0], dtype=gram.dtype))
    return tf.reduce_sum(tf.square(off_diagonal))


def clip_weights(variables, clip_value):
    """WGAN's weight clipping: every variable to [-c, c], in place.

    Reference:
        Arjovsky et al., "Wasserstein GAN", ICML 2017, Algorithm 1.
    """
    for v in variables:
        v.assign(tf.clip_by_value(v, -clip_value, clip_value))


def historical_averaging(variables, averages):
    """Historical averaging: the squared distance of the parameters to their running mean (before
    λ).

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016, §3.3 (from fictitious play).

    Formula:
        `Σ_v ‖θ_v - (1/t) Σ_{i=1}^t θ_v[i]‖²` over the variables.

    Args:
        variables: the parameters θ.
        averages: their running means, one per variable.
    """
    return tf.add_n(
        [tf.reduce_sum(tf.square(widen(v) - widen(a))) for v, a in zip(variables, averages)]
    )
