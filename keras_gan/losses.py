"""Adversarial losses: pure functions of discriminator outputs.

Every function takes raw discriminator outputs (logits for the sigmoid
schemes; any shape `[batch]` or `[batch, ...]`, e.g. PatchGAN maps) and
returns a float32 scalar (float64 for float64 outputs), the mean over all
elements. The sigmoid losses are written with `softplus` so that they are
exact and finite for logits of ±1e4: `-log(sigmoid(l)) = softplus(-l)` and
`-log(1 - sigmoid(l)) = softplus(l)`.

A model minimizes each of these; "discriminator" losses are minimized by the
discriminator (or critic), "generator" losses by the generator.
"""

import numpy as np
import tensorflow as tf

from keras_gan.precision import widen
from keras_gan.replicas import global_mean

# exp(80) ~ 5.5e34: a mean of such values cannot overflow float32 (max 3.4e38).
_MAX_EXP_LOGIT = 80.0


def _mean(x):
    return tf.reduce_mean(x)


def minimax_discriminator_loss(real, fake, real_label=1.0):
    """Discriminator loss of the original GAN (binary cross-entropy).

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
        Salimans et al., "Improved Techniques for Training GANs", 2016
        (one-sided label smoothing).

    Formula:
        `-E[log D(x)] - E[log(1 - D(G(z)))]`, `D = sigmoid(logits)`.
        With `real_label = a < 1` the real term is the cross-entropy against
        the soft target a: `-E[a log D(x) + (1 - a) log(1 - D(x))]`.

    Args:
        real: logits of the discriminator on real data.
        fake: logits of the discriminator on generated data.
        real_label: target for real data, in (0, 1]. Values below 1 are
            one-sided label smoothing (fake targets stay 0).

    Example:
        >>> minimax_discriminator_loss([0.0], [0.0])  # 2 log 2
        <tf.Tensor: shape=(), dtype=float32, numpy=1.3862944>
    """
    if not 0.0 < float(real_label) <= 1.0:
        raise ValueError(
            "real_label must be in (0, 1] (1 = no label smoothing). Received: "
            f"real_label={real_label}"
        )
    real, fake = widen(real), widen(fake)
    real_term = real_label * tf.nn.softplus(-real) + (1.0 - real_label) * tf.nn.softplus(real)
    return _mean(real_term) + _mean(tf.nn.softplus(fake))


def check_real_label(real_label):
    """`real_label` as a float in (0, 1], or a ValueError naming it (one-sided label smoothing)."""
    if not 0.0 < float(real_label) <= 1.0:
        raise ValueError(f"real_label must be in (0, 1]. Received: real_label={real_label}")
    return float(real_label)


def minimax_generator_loss(fake):
    """Saturating generator loss of the minimax game (the theory's loss).

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.

    Formula:
        `E[log(1 - D(G(z)))] = -E[softplus(logits)]`.

    Args:
        fake: logits of the discriminator on generated data.
    """
    return -_mean(tf.nn.softplus(widen(fake)))


def nonsaturating_generator_loss(fake):
    """Non-saturating generator loss, the one used in practice.

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, §3.

    Formula:
        `-E[log D(G(z))] = E[softplus(-logits)]`.

    Args:
        fake: logits of the discriminator on generated data.
    """
    return _mean(tf.nn.softplus(-widen(fake)))


def maximum_likelihood_generator_loss(fake):
    """Generator loss whose expected gradient matches maximum likelihood.

    With an optimal discriminator, `D/(1 - D) = p_data/p_g`, so
    `exp(sigmoid^-1(D))` is the density ratio and this loss has the gradient
    of the KL divergence `KL(p_data || p_g)`.

    Reference:
        Goodfellow, "On distinguishability criteria for estimating generative
        models", ICLR workshop 2015; Goodfellow, "NIPS 2016 Tutorial", §3.2.3.

    Formula:
        `-1/2 E[exp(sigmoid^-1(D(G(z))))] = -1/2 E[exp(logits)]`.
        Logits above 80 are evaluated at 80 (exp(80) ~ 5.5e34), so the value
        and its gradient stay finite in float32; below that the loss is exact.

    Args:
        fake: logits of the discriminator on generated data.
    """
    return -0.5 * _mean(tf.exp(tf.minimum(widen(fake), _MAX_EXP_LOGIT)))


def least_squares_discriminator_loss(real, fake):
    """Least-squares (LSGAN) discriminator loss with the 0-1 coding.

    Reference:
        Mao et al., "Least Squares Generative Adversarial Networks", ICCV 2017.

    Formula:
        `1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2]`, `D` = raw output.

    Args:
        real: raw discriminator outputs on real data.
        fake: raw discriminator outputs on generated data.
    """
    real, fake = widen(real), widen(fake)
    return 0.5 * _mean(tf.square(real - 1.0)) + 0.5 * _mean(tf.square(fake))


def least_squares_generator_loss(fake):
    """Least-squares (LSGAN) generator loss.

    Reference:
        Mao et al., "Least Squares Generative Adversarial Networks", ICCV 2017.

    Formula:
        `1/2 E[(D(G(z)) - 1)^2]`.

    Args:
        fake: raw discriminator outputs on generated data.
    """
    return 0.5 * _mean(tf.square(widen(fake) - 1.0))


def wasserstein_critic_loss(real, fake):
    """Critic loss of the Wasserstein GAN (the negated EM estimate).

    Reference:
        Arjovsky et al., "Wasserstein GAN", ICML 2017.

    Formula:
        `E[D(G(z))] - E[D(x)]`.

    Args:
        real: critic outputs on real data.
        fake: critic outputs on generated data.
    """
    return _mean(widen(fake)) - _mean(widen(real))


def wasserstein_generator_loss(fake):
    """Generator loss of the Wasserstein GAN.

    Reference:
        Arjovsky et al., "Wasserstein GAN", ICML 2017.

    Formula:
        `-E[D(G(z))]`.

    Args:
        fake: critic outputs on generated data.
    """
    return -_mean(widen(fake))


def hinge_discriminator_loss(real, fake):
    """Hinge discriminator loss.

    Reference:
        Lim & Ye, "Geometric GAN", 2017; Miyato et al., "Spectral
        Normalization for Generative Adversarial Networks", ICLR 2018.

    Formula:
        `E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))]`.

    Args:
        real: discriminator outputs on real data.
        fake: discriminator outputs on generated data.
    """
    real, fake = widen(real), widen(fake)
    return _mean(tf.nn.relu(1.0 - real)) + _mean(tf.nn.relu(1.0 + fake))


def hinge_generator_loss(fake):
    """Generator loss paired with the hinge discriminator loss.

    Reference:
        Lim & Ye, "Geometric GAN", 2017.

    Formula:
        `-E[D(G(z))]`.

    Args:
        fake: discriminator outputs on generated data.
    """
    return -_mean(widen(fake))


def cycle_consistency_loss(x, x_cycled):
    """Cycle-consistency loss of CycleGAN (L1).

    Reference:
        Zhu et al., "Unpaired Image-to-Image Translation using
        Cycle-Consistent Adversarial Networks", ICCV 2017.

    Formula:
        `E[|x - x_cycled|]`.

    Args:
        x: original images.
        x_cycled: images translated to the other domain and back.
    """
    return _mean(tf.abs(widen(x) - widen(x_cycled)))


def categorical_code_nll(logits, codes):
    """InfoGAN's cross-entropy of a categorical code under Q(c | x).

    Reference:
        Chen et al., "InfoGAN", NeurIPS 2016, eq. (5); openai/InfoGAN
        `infogan_trainer.py` (`disc_cross_ent`).

    Formula:
        `-E[log softmax(logits)_c]`; the mutual-information lower bound is
        `L_I = H(c) - this`, with `H(c) = log K` for a uniform code.

    Args:
        logits: Q's logits `[batch, K]`.
        codes: the code each sample was generated with, int `[batch]`.
    """
    return _mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.cast(codes, tf.int32), logits=widen(logits)
        )
    )


def gaussian_code_nll(means, codes, log_stds=None):
    """InfoGAN's negative Gaussian log-likelihood of continuous codes under Q(c | x).

    Reference:
        Chen et al., "InfoGAN", NeurIPS 2016, §5 (a factored Gaussian Q);
        openai/InfoGAN `distributions.py` (`Gaussian.logli`; the MNIST run
        fixes the standard deviation at 1).

    Formula:
        `E[Σ_j (c_j - μ_j)² / (2 σ_j²) + log σ_j + ½ log 2π]`, σ = 1 when
        `log_stds` is None.

    Args:
        means: Q's means `[batch, d]`.
        codes: the continuous codes `[batch, d]`.
        log_stds: Q's log standard deviations `[batch, d]`, or None.
    """
    means, codes = widen(means), widen(codes)
    log_stds = tf.zeros_like(means) if log_stds is None else widen(log_stds)
    nll = (
        0.5 * tf.square((codes - means) * tf.exp(-log_stds)) + log_stds + 0.5 * np.log(2.0 * np.pi)
    )
    return _mean(tf.reduce_sum(nll, axis=-1))


def autoencoder_energy(x, reconstruction):
    """EBGAN's energy of each example: the autoencoder's mean squared reconstruction error.

    Reference:
        Zhao, Mathieu & LeCun, "Energy-based Generative Adversarial Network",
        ICLR 2017, §2.3 (`D(x) = ‖Dec(Enc(x)) - x‖`; here the squared error
        averaged over the example's values, so that margins do not depend on
        the image size).

    Formula:
        `D(x) = mean_j (x_j - Dec(Enc(x))_j)²`, per example.

    Returns:
        float32 `[batch]`.
    """
    x, reconstruction = widen(x), widen(reconstruction)
    axes = list(range(1, len(x.shape)))
    return tf.reduce_mean(tf.square(x - reconstruction), axis=axes)


def margin_discriminator_loss(real_energy, fake_energy, margin):
    """EBGAN's discriminator loss: low energy on data, at least `margin` on generated samples.

    Reference:
        Zhao et al., "Energy-based Generative Adversarial Network", ICLR 2017, eq. (1).

    Formula:
        `E[D(x)] + E[max(0, m - D(G(z)))]`.
    """
    return _mean(widen(real_energy)) + _mean(tf.nn.relu(margin - widen(fake_energy)))


def pulling_away_term(codes):
    """EBGAN's pulling-away term: the mean squared cosine similarity of distinct codes in a batch.

    Reference:
        Zhao et al., "Energy-based Generative Adversarial Network", ICLR 2017, eq. (5).

    Formula:
        `f_PT(S) = 1 / (N (N - 1)) Σ_i Σ_{j ≠ i} (S_iᵀ S_j / (‖S_i‖ ‖S_j‖))²`.

    Args:
        codes: `[N, ...]`, flattened per example; N >= 2.
    """
    s = tf.reshape(widen(codes), [tf.shape(codes)[0], -1])
    s = s / tf.sqrt(tf.reduce_sum(tf.square(s), axis=1, keepdims=True) + 1e-12)
    cosine = tf.matmul(s, s, transpose_b=True)
    n = tf.cast(tf.shape(s)[0], s.dtype)
    off_diagonal = tf.reduce_sum(tf.square(cosine)) - tf.reduce_sum(
        tf.square(tf.linalg.diag_part(cosine))
    )
    return off_diagonal / (n * (n - 1.0))


def feature_matching_loss(real_features, fake_features):
    """Feature matching: the squared distance between the batch means of a discriminator layer.

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016, §3.1; openai/improved-gan `train_mnist_feature_matching.py`
        (`T.mean(T.square(m1 - m2))`).

    Formula:
        `mean_k (E_x[f_k(x)] - E_z[f_k(G(z))])²`, means over the global batch
        (`keras_gan.replicas.global_mean`), features flattened per example.
    """
    flat = lambda f: tf.reshape(widen(f), [tf.shape(f)[0], -1])  # noqa: E731
    return tf.reduce_mean(
        tf.square(global_mean(flat(real_features)) - global_mean(flat(fake_features)))
    )


GENERATOR_LOSSES = {
    "non_saturating": nonsaturating_generator_loss,
    "minimax": minimax_generator_loss,
    "maximum_likelihood": maximum_likelihood_generator_loss,
    "least_squares": least_squares_generator_loss,
    "wasserstein": wasserstein_generator_loss,
    "hinge": hinge_generator_loss,
}

DISCRIMINATOR_LOSSES = {
    "minimax": minimax_discriminator_loss,
    "least_squares": least_squares_discriminator_loss,
    "wasserstein": wasserstein_critic_loss,
    "hinge": hinge_discriminator_loss,
}


def get(name, table):
    """Looks up a loss by name in `GENERATOR_LOSSES` or `DISCRIMINATOR_LOSSES`."""
    if name not in table:
        raise ValueError(f"Unknown loss {name!r}. Choose one of: {', '.join(sorted(table))}.")
    return table[name]
