"""Latent priors: shapes, determinism and serialization."""

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from keras_gan import priors
from keras_gan.models import GAN
from keras_gan.zoo.networks.mlp import mlp_discriminator, mlp_generator

tfd = tfp.distributions


@pytest.mark.parametrize(
    "prior", ["normal", "uniform", tfd.Normal(0.0, 2.0), tfd.Laplace(tf.zeros(3), tf.ones(3))]
)
def test_samples_have_latent_axis_and_are_deterministic(prior):
    dist = priors.get(prior, 3)
    a = priors.sample(dist, [5, 4], 3, tf.constant([1, 2]))
    assert a.shape == (5, 4, 3) and a.dtype == tf.float32
    np.testing.assert_array_equal(a, priors.sample(dist, [5, 4], 3, tf.constant([1, 2])))
    again = priors.get(priors.serialize(prior), 3)
    np.testing.assert_array_equal(a, priors.sample(again, [5, 4], 3, tf.constant([1, 2])))


def test_uniform_range_and_normal_moments():
    u = priors.sample(priors.get("uniform", 2), [20000], 2, tf.constant([0, 0])).numpy()
    assert u.min() >= -1 and u.max() <= 1
    n = priors.sample(priors.get("normal", 2), [20000], 2, tf.constant([0, 0])).numpy()
    assert abs(n.mean()) < 0.03 and abs(n.std() - 1) < 0.03


def test_bad_priors():
    with pytest.raises(ValueError, match="Unknown prior 'cauchy'"):
        priors.get("cauchy", 2)
    with pytest.raises(ValueError, match="Received: \\[4\\]"):
        priors.get(tfd.Normal(tf.zeros(4), 1.0), 2)
    nested = tfd.Independent(tfd.Normal(tf.zeros(2), 1.0), 1)
    with pytest.raises(ValueError, match="nests another distribution"):
        priors.serialize(nested)


def test_model_with_custom_prior_round_trips(tmp_path):
    import keras

    model = GAN(
        mlp_generator(latent_dim=2, width=4, depth=1),
        mlp_discriminator(width=4, depth=1),
        prior=tfd.Normal(0.0, 0.5),
    )
    model.compile()
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.generate(3, seed=1), model.generate(3, seed=1), atol=1e-6)


@pytest.mark.parametrize("threshold", [2.0, 1.0, 0.5])
def test_truncated_normal_is_the_truncated_normal(threshold):
    from scipy import stats

    z = priors.truncated_normal([4000, 5], threshold, tf.constant([3, 0])).numpy()
    assert np.abs(z).max() <= threshold
    result = stats.kstest(z.ravel(), stats.truncnorm(-threshold, threshold).cdf)
    assert result.pvalue > 1e-3, result
    np.testing.assert_array_equal(
        z, priors.truncated_normal([4000, 5], threshold, tf.constant([3, 0])).numpy()
    )


def test_truncated_normal_keeps_draws_inside_and_resamples_the_rest():
    seed = tf.constant([5, 0])
    first = tf.random.stateless_normal([200, 3], seed).numpy()
    z = priors.truncated_normal([200, 3], 1.0, seed).numpy()
    inside = np.abs(first) <= 1.0
    np.testing.assert_array_equal(z[inside], first[inside])  # not scaled, not clipped
    assert not np.isin(z[~inside], first[~inside]).any()


def test_small_threshold_falls_back_to_the_same_distribution():
    from scipy import stats

    # P(|z| <= 0.01) = 0.008: most coordinates outlast the resampling rounds (the inverse-CDF path).
    z = priors.truncated_normal([2000, 2], 0.01, tf.constant([1, 1])).numpy()
    assert np.abs(z).max() <= 0.01
    assert stats.kstest(z.ravel(), stats.truncnorm(-0.01, 0.01, scale=1.0).cdf).pvalue > 1e-3


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_threshold_is_named(bad):
    with pytest.raises(ValueError, match="truncation threshold must be a finite number"):
        priors.check_threshold(bad)
