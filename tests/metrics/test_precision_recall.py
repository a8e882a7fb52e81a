"""k-NN precision/recall and density/coverage against brute force."""

import numpy as np
import pytest

from keras_gan import metrics


def brute_force(real, fake, k):
    def radius(points, i):
        d = sorted(np.linalg.norm(points - points[i], axis=1))
        return d[k]

    real_r = [radius(real, i) for i in range(len(real))]
    fake_r = [radius(fake, i) for i in range(len(fake))]
    precision = np.mean([any(np.linalg.norm(f - real[j]) <= real_r[j] for j in range(len(real))) for f in fake])
    recall = np.mean([any(np.linalg.norm(r - fake[j]) <= fake_r[j] for j in range(len(fake))) for r in real])
    inside = [[np.linalg.norm(real[j] - f) <= real_r[j] for j in range(len(real))] for f in fake]
    density = np.sum(inside) / (k * len(fake))
    coverage = np.mean([min(np.linalg.norm(real[j] - f) for f in fake) <= real_r[j] for j in range(len(real))])
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
