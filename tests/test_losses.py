"""Losses against hand-computed values, NumPy references and extreme logits."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import losses

LOG2 = np.log(2.0)


def np_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# Moderate logits: the naive float64 formulas are accurate here.
REAL = np.array([[-2.0, 0.5], [3.0, -0.25]])
FAKE = np.array([[1.5, -1.0], [0.0, -3.0]])


def test_hand_computed_values():
    # D = 1/2 everywhere: -log(1/2) - log(1/2).
    assert float(losses.minimax_discriminator_loss([0.0, 0.0], [0.0])) == pytest.approx(
        2 * LOG2, rel=1e-6
    )
    assert float(losses.nonsaturating_generator_loss([0.0])) == pytest.approx(LOG2, rel=1e-6)
    assert float(losses.minimax_generator_loss([0.0])) == pytest.approx(-LOG2, rel=1e-6)
    assert float(losses.maximum_likelihood_generator_loss([0.0, np.log(3.0)])) == pytest.approx(
        -1.0, rel=1e-6
    )
    assert float(losses.least_squares_discriminator_loss([1.0, 3.0], [2.0])) == pytest.approx(
        0.5 * 2 + 0.5 * 4
    )
    assert float(losses.least_squares_generator_loss([3.0])) == pytest.approx(2.0)
    assert float(losses.wasserstein_critic_loss([1.0, 3.0], [0.5])) == pytest.approx(-1.5)
    assert float(losses.wasserstein_generator_loss([0.5, 1.5])) == pytest.approx(-1.0)
    assert float(losses.hinge_discriminator_loss([0.5, 2.0], [-2.0, 0.0])) == pytest.approx(
        0.25 + 0.5
    )
    assert float(losses.hinge_generator_loss([1.0, 2.0])) == pytest.approx(-1.5)
    assert float(losses.cycle_consistency_loss([1.0, -1.0], [0.5, 0.0])) == pytest.approx(0.75)


@pytest.mark.parametrize("real_label", [1.0, 0.9])
def test_minimax_discriminator_matches_numpy(real_label):
    d_real, d_fake = np_sigmoid(REAL), np_sigmoid(FAKE)
    expected = -np.mean(
        real_label * np.log(d_real) + (1 - real_label) * np.log(1 - d_real)
    ) - np.mean(np.log(1 - d_fake))
    got = losses.minimax_discriminator_loss(REAL, FAKE, real_label=real_label)
    assert float(got) == pytest.approx(expected, rel=1e-5)


def test_generator_losses_match_numpy():
    d = np_sigmoid(FAKE)
    assert float(losses.minimax_generator_loss(FAKE)) == pytest.approx(
        np.mean(np.log(1 - d)), rel=1e-5
    )
    assert float(losses.nonsaturating_generator_loss(FAKE)) == pytest.approx(
        -np.mean(np.log(d)), rel=1e-5
    )
    ml = -0.5 * np.mean(np.exp(np.log(d / (1 - d))))  # exp(sigmoid^-1(D))
    assert float(losses.maximum_likelihood_generator_loss(FAKE)) == pytest.approx(ml, rel=1e-5)


ALL = [
    lambda r, f: losses.minimax_discriminator_loss(r, f),
    lambda r, f: losses.minimax_discriminator_loss(r, f, real_label=0.9),
    lambda r, f: losses.minimax_generator_loss(f),
    lambda r, f: losses.nonsaturating_generator_loss(f),
    lambda r, f: losses.maximum_likelihood_generator_loss(f),
    lambda r, f: losses.least_squares_discriminator_loss(r, f),
    lambda r, f: losses.least_squares_generator_loss(f),
    lambda r, f: losses.wasserstein_critic_loss(r, f),
    lambda r, f: losses.wasserstein_generator_loss(f),
    lambda r, f: losses.hinge_discriminator_loss(r, f),
    lambda r, f: losses.hinge_generator_loss(f),
    lambda r, f: losses.cycle_consistency_loss(r, f),
]


@pytest.mark.parametrize("loss", ALL)
@pytest.mark.parametrize("extreme", [1e4, -1e4])
def test_finite_float32_scalar_for_extreme_logits(loss, extreme):
    real = tf.constant([[extreme, -extreme], [0.0, extreme]])
    fake = tf.constant([[extreme, extreme], [-extreme, 0.0]])
    value = loss(real, fake)
    assert value.dtype == tf.float32 and value.shape == ()
    assert np.isfinite(float(value))


def test_extreme_values_are_exact_where_representable():
    # softplus form: -log sigmoid(1e4) = 0 and -log(1 - sigmoid(1e4)) = 1e4.
    assert float(losses.nonsaturating_generator_loss([1e4])) == 0.0
    assert float(losses.nonsaturating_generator_loss([-1e4])) == pytest.approx(1e4)
    assert float(losses.minimax_discriminator_loss([1e4], [-1e4])) == 0.0


def test_gradients_are_finite_for_extreme_logits():
    fake = tf.Variable([1e4, -1e4, 0.0])
    for fn in (
        losses.nonsaturating_generator_loss,
        losses.minimax_generator_loss,
        losses.maximum_likelihood_generator_loss,
    ):
        with tf.GradientTape() as tape:
            value = fn(fake)
        assert np.isfinite(tape.gradient(value, fake).numpy()).all(), fn.__name__


def test_patch_outputs_are_averaged_over_all_elements():
    patch = np.random.default_rng(0).normal(size=(3, 4, 4, 1)).astype(np.float32)
    np.testing.assert_allclose(
        losses.nonsaturating_generator_loss(patch),
        losses.nonsaturating_generator_loss(patch.reshape(-1)),
        rtol=1e-6,
    )


@pytest.mark.parametrize("bad", [0.0, 1.5, -0.1])
def test_label_smoothing_out_of_range_is_refused(bad):
    with pytest.raises(ValueError, match=f"real_label={bad}"):
        losses.minimax_discriminator_loss([0.0], [0.0], real_label=bad)


def test_unknown_loss_name():
    with pytest.raises(ValueError, match="Unknown loss 'nope'"):
        losses.get("nope", losses.GENERATOR_LOSSES)
