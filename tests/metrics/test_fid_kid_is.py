"""FID, KID and IS against closed forms and direct NumPy implementations."""

import numpy as np
import pytest
from scipy import linalg

from keras_gan import metrics


def test_fid_of_a_set_with_itself_is_zero():
    f = np.random.default_rng(0).normal(size=(500, 8))
    assert metrics.fid_from_features(f, f) == pytest.approx(0.0, abs=1e-6)


def test_fid_of_two_gaussians_is_the_closed_form():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(4, 4)), rng.normal(size=(4, 4))
    s1, s2 = a @ a.T + np.eye(4), b @ b.T + np.eye(4)
    mu1, mu2 = rng.normal(size=4), rng.normal(size=4)
    # Closed form through the symmetric root: Tr((Σ1^½ Σ2 Σ1^½)^½).
    r1 = linalg.sqrtm(s1).real
    cross = np.trace(linalg.sqrtm(r1 @ s2 @ r1).real)
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * cross
    assert metrics.frechet_distance(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-8)
    # 1-D: (μ1 - μ2)² + (σ1 - σ2)².
    assert metrics.frechet_distance([0.0], [[4.0]], [1.0], [[1.0]]) == pytest.approx(1.0 + 1.0)


def test_fid_singular_covariances_and_shape_errors():
    s = np.diag([1.0, 0.0])
    assert np.isfinite(metrics.frechet_distance([0, 0], s, [0, 0], s))
    with pytest.raises(ValueError, match="Shapes do not match"):
        metrics.frechet_distance([0, 0], np.eye(2), [0, 0, 0], np.eye(3))


def _kid_numpy(x, y):
    d = x.shape[1]
    k = lambda a, b: (a @ b.T / d + 1) ** 3  # noqa: E731
    m = len(x)
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
    return ((kxx.sum() - np.trace(kxx)) + (kyy.sum() - np.trace(kyy))) / (
        m * (m - 1)
    ) - 2 * kxy.mean()


def test_kid_matches_direct_numpy_on_one_full_subset():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(50, 6)), rng.normal(0.5, 1.0, size=(50, 6))
    got = metrics.kernel_inception_distance(x, y, num_subsets=1, max_subset_size=50)
    assert got == pytest.approx(_kid_numpy(x, y), rel=1e-10)


def test_kid_is_unbiased_for_one_distribution_and_positive_for_two():
    rng = np.random.default_rng(3)
    mean, std = metrics.kernel_inception_distance(
        rng.normal(size=(2000, 8)),
        rng.normal(size=(2000, 8)),
        num_subsets=50,
        max_subset_size=200,
        return_std=True,
    )
    assert abs(mean) < 3 * std / np.sqrt(50) + 1e-3
    shifted = metrics.kernel_inception_distance(
        rng.normal(size=(500, 8)), rng.normal(1.0, 1.0, size=(500, 8))
    )
    assert shifted > 0.1


def test_inception_score_extremes():
    assert metrics.inception_score(np.full((100, 10), 0.1)) == pytest.approx(1.0)
    confident = np.eye(7)[np.arange(700) % 7]
    assert metrics.inception_score(confident, splits=10) == pytest.approx(7.0, rel=1e-6)
    with pytest.raises(ValueError, match="summing to 1"):
        metrics.inception_score(np.full((20, 3), 0.5), splits=2)
