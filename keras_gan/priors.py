"""Latent priors: `tfp.distributions` objects with a serializable description."""

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

NAMES = ("normal", "uniform")


def get(prior, latent_dim):
    """Returns a distribution whose samples have a trailing axis of `latent_dim`.

    Args:
        prior: `"normal"` (N(0, I)), `"uniform"` (U[-1, 1]^d), a config dict
            from `serialize`, or a `tfp.distributions.Distribution` whose
            batch and event shapes together are `[]` (applied per dimension)
            or `[latent_dim]`.
        latent_dim: size of the latent vector.
    """
    if isinstance(prior, str):
        if prior == "normal":
            return tfd.Normal(loc=tf.zeros([latent_dim]), scale=tf.ones([latent_dim]))
        if prior == "uniform":
            return tfd.Uniform(low=-tf.ones([latent_dim]), high=tf.ones([latent_dim]))
        raise ValueError(f"Unknown prior {prior!r}. Use one of {NAMES} or a tfp distribution.")
    if isinstance(prior, dict):
        cls = getattr(tfd, prior["class_name"], None)
        if cls is None:
            raise ValueError(f"Unknown tfp distribution in prior config: {prior!r}.")
        return cls(**{k: tf.constant(v, tf.float32) for k, v in prior["parameters"].items()})
    if isinstance(prior, tfd.Distribution):
        shape = prior.batch_shape.concatenate(prior.event_shape)
        if shape.rank != 0 and shape.as_list() != [latent_dim]:
            raise ValueError(
                f"The prior's batch+event shape must be [] or [{latent_dim}] (latent_dim). "
                f"Received: {shape.as_list()} from {prior.name}."
            )
        return prior
    raise TypeError(
        f"prior must be a name, a config dict or a tfp distribution. Received: {prior!r}"
    )


def sample(prior, shape, latent_dim, seed):
    """Draws `shape + [latent_dim]` latents with a stateless `seed` (int32 [2])."""
    full = prior.batch_shape.concatenate(prior.event_shape)
    sample_shape = tf.cast(tf.convert_to_tensor(shape), tf.int32)
    if not full.rank:
        sample_shape = tf.concat([sample_shape, [latent_dim]], axis=0)
    return tf.cast(prior.sample(sample_shape, seed=seed), tf.float32)


def serialize(prior):
    """A JSON-able description that `get` turns back into the same prior."""
    if isinstance(prior, str):
        return prior
    params = {}
    for key, value in prior.parameters.items():
        if key in ("name", "validate_args", "allow_nan_stats") or value is None:
            continue
        if isinstance(value, (tfd.Distribution, tfp.bijectors.Bijector)):
            raise ValueError(
                f"The prior {prior.name} nests another distribution and cannot be saved in a "
                "config; pass prior='normal' or 'uniform', or a flat distribution such as "
                "tfd.Normal."
            )
        params[key] = np.asarray(value, dtype=np.float32).tolist()
    return {"class_name": type(prior).__name__, "parameters": params}


MAX_RESAMPLING_ROUNDS = 64
MIN_THRESHOLD = 1e-3


def check_threshold(threshold):
    """`threshold` as a float, or a ValueError naming it."""
    value = float(threshold)
    if not MIN_THRESHOLD <= value < float("inf"):
        raise ValueError(
            f"truncation threshold must be a finite number >= {MIN_THRESHOLD}. Received: "
            f"truncation={threshold!r}"
        )
    return value


def truncated_normal(shape, threshold, seed):
    """N(0, 1) draws conditioned on `|z| <= threshold`, by resampling (BigGAN's truncation trick).

    Every coordinate outside the threshold is redrawn from N(0, 1), in rounds,
    until it lies inside: the values are not scaled or clipped, so their law is
    the standard normal truncated to `[-τ, τ]`. After `MAX_RESAMPLING_ROUNDS`
    rounds (reached only for small τ: P(|z| ≤ 0.1) = 0.08), the coordinates
    still outside are drawn by the inverse CDF of that same truncated normal,
    which bounds the time without changing the distribution.

    Reference:
        Brock et al., "Large Scale GAN Training for High Fidelity Natural
        Image Synthesis", ICLR 2019, §3.1.

    Args:
        shape: the output's shape.
        threshold: τ > 0 (a float or a scalar tensor).
        seed: a stateless seed (int32 `[2]`); the same seed gives the same draws.

    Returns:
        float32 `shape`, every entry in `[-τ, τ]`.
    """
    tau = tf.cast(threshold, tf.float32)
    seed = tf.cast(seed, tf.int32)
    z = tf.random.stateless_normal(shape, seed)

    def body(i, z):
        fresh = tf.random.stateless_normal(shape, tf.random.experimental.stateless_fold_in(seed, i))
        return i + 1, tf.where(tf.abs(z) > tau, fresh, z)

    def outside(i, z):
        return tf.logical_and(i <= MAX_RESAMPLING_ROUNDS, tf.reduce_any(tf.abs(z) > tau))

    _, z = tf.while_loop(outside, body, [tf.constant(1), z])
    low = 0.5 * tf.math.erfc(tau / np.sqrt(2.0))  # Φ(-τ)
    u = tf.random.stateless_uniform(shape, tf.random.experimental.stateless_fold_in(seed, 0))
    inverse_cdf = tf.clip_by_value(tf.math.ndtri(low + u * (1.0 - 2.0 * low)), -tau, tau)
    return tf.where(tf.abs(z) > tau, inverse_cdf, z)
