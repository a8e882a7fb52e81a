"""MALA (keras_gan.sampling) against TFP's kernel and a closed-form target."""

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from keras_gan import sampling


def _banana_log_prob(z):
    # A non-Gaussian target with curved contours: gradients and ratios are non-trivial.
    x, y = z[:, 0], z[:, 1]
    return -0.5 * x**2 - 0.5 * (y - 0.5 * x**2) ** 2 - 0.1 * tf.reduce_sum(z**4, axis=-1)


@pytest.mark.parametrize("alpha", [0.01, 0.3])
def test_log_accept_ratio_matches_tfp(alpha):
    """TFP's MALA with step_size 2α is the seeds' chain; its log acceptance ratio equals ours."""
    current = tf.constant(np.random.default_rng(0).normal(size=(64, 2)), tf.float64)
    kernel = tfp.mcmc.MetropolisAdjustedLangevinAlgorithm(_banana_log_prob, step_size=2.0 * alpha)
    results = kernel.bootstrap_results(current)
    _, step = kernel.one_step(current, results, seed=tf.constant([1, 2], tf.int32))
    ours = sampling.mala_log_accept_ratio(_banana_log_prob, current, step.proposed_state, alpha)
    # Both in float64; TFP sums the terms in another, less cancelling order (measured: up to ~4e-6
    # relative).
    np.testing.assert_allclose(ours.numpy(), step.log_accept_ratio.numpy(), rtol=1e-5, atol=1e-6)
    # Acceptance probabilities min(1, exp(ratio)) agree, and not all are 1 (the test has teeth).
    ours_p, tfp_p = (
        np.minimum(1, np.exp(ours.numpy())),
        np.minimum(1, np.exp(step.log_accept_ratio.numpy())),
    )
    np.testing.assert_allclose(ours_p, tfp_p, atol=1e-6)
    if alpha > 0.1:
        assert ours_p.min() < 0.99


def test_proposal_matches_tfp_mean():
    """TFP's proposal with step_size 2α has mean z + α ∇log p(z) and variance 2α, as ours."""
    alpha = 0.05
    z0 = tf.constant([[0.7, -0.3]], tf.float64)
    kernel = tfp.mcmc.MetropolisAdjustedLangevinAlgorithm(_banana_log_prob, step_size=2.0 * alpha)
    current = tf.tile(z0, [4000, 1])
    _, step = kernel.one_step(
        current, kernel.bootstrap_results(current), seed=tf.constant([3, 4], tf.int32)
    )
    with tf.GradientTape() as tape:
        tape.watch(z0)
        lp = _banana_log_prob(z0)
    grad = tape.gradient(lp, z0).numpy()[0]
    proposals = step.proposed_state.numpy()
    np.testing.assert_allclose(
        proposals.mean(0), z0.numpy()[0] + alpha * grad, atol=4 * np.sqrt(2 * alpha / 4000)
    )
    np.testing.assert_allclose(proposals.var(0), 2 * alpha, rtol=0.1)


def test_standard_normal_target_gives_standard_normal_samples():
    """With a zero energy and the prior term, the chain targets N(0, I): mean ≈ 0, variance ≈ 1."""
    start = tf.fill([2000, 2], 3.0)  # far from the target: the chain must move there
    log_prob = lambda z: -0.5 * tf.reduce_sum(z**2, axis=-1)  # noqa: E731
    z, rate = sampling.mala(log_prob, start, 300, 0.2, seed=[0, 1])
    z = z.numpy()
    np.testing.assert_allclose(z.mean(0), 0.0, atol=0.08)
    np.testing.assert_allclose(z.var(0), 1.0, atol=0.1)
    assert 0.5 < float(np.mean(rate)) < 1.0


def test_zero_steps_and_determinism():
    start = tf.random.stateless_normal([8, 3], [0, 0])
    log_prob = lambda z: -tf.reduce_sum(z**2, axis=-1)  # noqa: E731
    same, rate = sampling.mala(log_prob, start, 0, 0.1, seed=[1, 1])
    np.testing.assert_array_equal(same.numpy(), start.numpy())
    np.testing.assert_array_equal(rate.numpy(), 0.0)
    a, _ = sampling.mala(log_prob, start, 5, 0.1, seed=[1, 1])
    b, _ = sampling.mala(log_prob, start, 5, 0.1, seed=[1, 1])
    c, _ = sampling.mala(log_prob, start, 5, 0.1, seed=[1, 2])
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), c.numpy())


def test_infinite_energy_is_rejected():
    """A proposal with log p = -inf (e.g. outside a uniform prior's support) is never accepted."""
    start = tf.zeros([500, 1])
    log_prob = lambda z: tf.where(tf.abs(z[:, 0]) < 0.05, 0.0, -np.inf)  # noqa: E731
    z, _ = sampling.mala(log_prob, start, 20, 0.5, seed=[2, 2])
    assert np.all(np.abs(z.numpy()) < 0.05)
