"""k-NN precision/recall and density/coverage against brute force."""

import importlib

import numpy as np
import pytest

from keras_gan import metrics


def brute_force(real, fake, k):
    def radius(points, i):
        d = sorted(np.linalg.norm(points - points[i], axis=1))
        return d[k]

    real_r = [radius(real, i) for i in range(len(real))]
    fake_r = [radius(fake, i) for i in range(len(fake))]
    precision = np.mean(
        [any(np.linalg.norm(f - real[j]) <= real_r[j] for j in range(len(real))) for f in fake]
    )
    recall = np.mean(
        [any(np.linalg.norm(r - fake[j]) <= fake_r[j] for j in range(len(fake))) for r in real]
    )
    # Density and coverage count strictly inside a ball, as clovaai/prdc does.
    inside = [[np.linalg.norm(real[j] - f) < real_r[j] for j in range(len(real))] for f in fake]
    density = np.sum(inside) / (k * len(fake))
    coverage = np.mean(
        [min(np.linalg.norm(real[j] - f) for f in fake) < real_r[j] for j in range(len(real))]
    )
    return precision, recall, density, coverage


def test_match_brute_force():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=(40, 3)), rng.normal(0.7, 1.3, size=(35, 3))
    p, r, d, c = brute_force(real, fake, 3)
    pr = metrics.precision_recall(real, fake, k=3)
    assert pr["precision"] == pytest.approx(p) and pr["recall"] == pytest.approx(r)
    dc = metrics.density_coverage(real, fake, k=3)
    assert dc["density"] == pytest.approx(d) and dc["coverage"] == pytest.approx(c)


def test_same_distribution_scores_high_and_disjoint_scores_zero():
    rng = np.random.default_rng(1)
    same = metrics.precision_recall(rng.normal(size=(300, 2)), rng.normal(size=(300, 2)))
    assert same["precision"] > 0.8 and same["recall"] > 0.8
    far = metrics.precision_recall(rng.normal(size=(100, 2)), rng.normal(50.0, 1.0, size=(100, 2)))
    assert far == {"precision": 0.0, "recall": 0.0}


def test_too_few_samples():
    with pytest.raises(ValueError, match="more than k=3"):
        metrics.precision_recall(np.zeros((3, 2)), np.zeros((10, 2)))


def test_density_and_coverage_count_ties_out_as_the_reference():
    # Integer points: many distances equal a radius exactly, and duplicated points have radius 0.
    real = np.array([[0, 0], [0, 0], [0, 0], [0, 0], [1, 0], [2, 0], [3, 0], [4, 0]], np.float64)
    fake = np.array([[0, 0], [1, 0], [2, 0], [5, 0]], np.float64)
    dc = metrics.density_coverage(real, fake, k=2)
    # prdc: density = (1/k) mean_j sum_i [d(r_i, f_j) < R_i]; coverage = mean_i [min_j d(r_i, f_j) <
    # R_i].
    radii = np.sort(np.abs(real[:, None, 0] - real[None, :, 0]), axis=1)[:, 2]
    d = np.abs(real[:, None, 0] - fake[None, :, 0])
    assert dc["density"] == pytest.approx((d < radii[:, None]).sum(axis=0).mean() / 2)
    assert dc["coverage"] == pytest.approx((d.min(axis=1) < radii).mean())
    # the four duplicates (radius 0) are never covered
    assert dc["coverage"] == pytest.approx(3 / 8)


def test_blocks_of_rows_give_the_whole_matrix_results():
    """More rows than one block (`BLOCK`): the same figures as the whole distance matrices."""
    from scipy.spatial.distance import cdist

    pr = importlib.import_module(
        "keras_gan.metrics.precision_recall"
    )  # the module, not the function

    rng = np.random.default_rng(3)
    real, fake = rng.normal(0, 1, (2500, 4)), rng.normal(0.4, 1.1, (1300, 4))
    assert len(real) > 2 * pr.BLOCK
    real_radii = np.sort(cdist(real, real), axis=1)[:, 3]
    fake_radii = np.sort(cdist(fake, fake), axis=1)[:, 3]
    d = cdist(fake, real)
    want = {
        "precision": np.mean(np.any(d <= real_radii, axis=1)),
        "recall": np.mean(np.any(d.T <= fake_radii, axis=1)),
    }
    got = metrics.precision_recall(real, fake, k=3)
    assert got == pytest.approx(want, abs=1e-12)
    radii5 = np.sort(cdist(real, real), axis=1)[:, 5]
    inside = d.T < radii5[:, None]
    want = {
        "density": inside.sum() / (5 * len(fake)),
        "coverage": np.mean(d.T.min(axis=1) < radii5),
    }
    assert metrics.density_coverage(real, fake, k=5) == pytest.approx(want, abs=1e-12)
