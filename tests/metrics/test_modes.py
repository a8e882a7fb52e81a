"""mode_coverage against the true mixture and hand-made cases."""

import numpy as np
import pytest

from keras_gan import data, metrics


@pytest.mark.parametrize("name", ["ring8", "grid25"])
def test_true_mixture_is_fully_covered(name):
    mix = data.mixture(name)
    samples, _ = mix.sample(2500, seed=3)
    result = metrics.mode_coverage(samples, mix.centers, mix.std)
    assert result["modes"] == len(mix.centers)
    assert result["high_quality_fraction"] >= 0.99  # 3 sigma in 2-D holds 98.9% in expectation
    assert result["reverse_kl"] < 0.02


def test_collapsed_samples():
    mix = data.mixture("ring8")
    samples = np.repeat(mix.centers[:1], 100, axis=0)
    result = metrics.mode_coverage(samples, mix.centers, mix.std)
    assert result == {
        "modes": 1,
        "high_quality_fraction": 1.0,
        "reverse_kl": pytest.approx(np.log(8)),
    }


def test_low_quality_samples_capture_nothing():
    mix = data.mixture("grid25")
    samples = mix.centers + 1.0  # halfway between modes: beyond 3 sigma of each
    result = metrics.mode_coverage(samples, mix.centers, mix.std)
    assert result["modes"] == 0 and result["high_quality_fraction"] == 0.0


def test_shape_mismatch():
    with pytest.raises(ValueError, match="must share d"):
        metrics.mode_coverage(np.zeros((3, 3)), np.zeros((2, 2)), 0.1)


def test_stacked_mnist_modes_with_a_perfect_classifier():
    # A "classifier" reading the digit off the image's mean value: exact by construction.
    digits = np.arange(10)
    x = (
        np.repeat((digits / 9.0 * 2 - 1)[:, None, None, None], 4, axis=1)
        .repeat(4, axis=2)
        .astype(np.float32)
    )
    images, labels = data.stacked_mnist(x, digits, n=5000, seed=0)

    def classifier(channel):
        d = np.round((channel.reshape(len(channel), -1).mean(axis=1) + 1) / 2 * 9).astype(int)
        return None, np.eye(10)[d]

    result = metrics.stacked_mnist_modes(images, classifier)
    assert result["modes"] == len(np.unique(labels)) > 990
    assert result["reverse_kl"] < 0.15
    collapsed = metrics.stacked_mnist_modes(np.repeat(images[:1], 100, axis=0), classifier)
    assert collapsed == {"modes": 1, "reverse_kl": pytest.approx(np.log(1000))}
