"""Parzen windows, the scaling identity and the dequantization bound."""

import numpy as np
import pytest
from scipy import integrate, stats

from keras_gan import metrics


def test_parzen_recovers_gaussian_log_density():
    rng = np.random.default_rng(0)
    samples, test = rng.normal(size=(20000, 2)), rng.normal(size=(500, 2))
    bandwidth, _ = metrics.select_parzen_bandwidth(samples, rng.normal(size=(500, 2)))
    got = metrics.parzen_log_likelihood(samples, test, bandwidth)
    truth = stats.multivariate_normal(np.zeros(2), np.eye(2)).logpdf(test).mean()
    assert got == pytest.approx(truth, abs=0.05)


def test_parzen_single_centre_is_a_gaussian():
    x = np.array([[0.3, -0.2]])
    got = metrics.parzen_log_likelihood(np.zeros((1, 2)), x, 0.5)
    assert got == pytest.approx(
        stats.multivariate_normal(np.zeros(2), 0.25 * np.eye(2)).logpdf(x[0])
    )


def test_scaling_identity():
    rng = np.random.default_rng(1)
    sigma, k = 255.0, 3
    x = rng.normal(100.0, 20.0, size=(1000, k))
    nll_x = -stats.multivariate_normal(np.full(k, 100.0), 400.0 * np.eye(k)).logpdf(x).mean()
    scaled = x / sigma
    nll_scaled = (
        -stats.multivariate_normal(np.full(k, 100.0 / sigma), 400.0 / sigma**2 * np.eye(k))
        .logpdf(scaled)
        .mean()
    )
    assert metrics.unscaled_nll(nll_scaled, sigma, k) == pytest.approx(nll_x, rel=1e-10)


def test_dequantized_nll_upper_bounds_discrete_nll():
    density = stats.norm(100.0, 30.0)
    pixels = np.random.default_rng(2).integers(40, 160, size=2000)
    continuous = -density.logpdf(metrics.dequantize(pixels, seed=3)).mean()
    # The discrete model P(x) = ∫₀¹ p(x + u) du.
    discrete = -np.mean([np.log(integrate.quad(density.pdf, p, p + 1)[0]) for p in pixels[:200]])
    continuous_same = -density.logpdf(metrics.dequantize(pixels[:200], seed=3)).mean()
    assert continuous_same >= discrete - 1e-3
    assert np.isfinite(continuous)
    assert metrics.bits_per_dim(np.log(2.0) * 784, 784) == pytest.approx(1.0)


def test_parzen_bad_bandwidth():
    with pytest.raises(ValueError, match="bandwidth=0"):
        metrics.parzen_log_likelihood(np.zeros((2, 1)), np.zeros((2, 1)), 0)
