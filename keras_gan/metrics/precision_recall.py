"""k-NN precision/recall and density/coverage of generated samples.

References:
    Kynkäänniemi et al., "Improved Precision and Recall Metric for Assessing
    Generative Models", NeurIPS 2019 (precision, recall). Reference
    implementation matched: stylegan2-ada-pytorch, `metrics/precision_recall.py`
    (a sample is inside the manifold of a set when it lies within the
    distance from some member to that member's k-th nearest neighbour).
    Naeem et al., "Reliable Fidelity and Diversity Metrics for Generative
    Models", ICML 2020 (density, coverage; reference implementation matched:
    clovaai/generative-evaluation-prdc, which counts a point inside a ball
    only when strictly closer than the radius, so ties and zero radii count out).
"""

import numpy as np

BLOCK = 1024  # rows of a distance matrix held at once: memory O(BLOCK * n), not O(n^2)


def _distances(a, b):
    a2 = np.sum(a * a, axis=1)[:, None]
    b2 = np.sum(b * b, axis=1)[None, :]
    return np.sqrt(np.maximum(a2 + b2 - 2 * a @ b.T, 0.0))


def _blocks(a, b):
    """`(rows, distances)` of `a` against `b`, BLOCK rows of `a` at a time."""
    for start in range(0, len(a), BLOCK):
        rows = slice(start, start + BLOCK)
        yield rows, _distances(a[rows], b)


def _kth_radius(features, k):
    # Column 0 of the sorted row is the point itself (distance 0).
    radii = np.empty(len(features))
    for rows, d in _blocks(features, features):
        radii[rows] = np.partition(d, k, axis=1)[:, k]
    return radii


def _check(real, fake, k):
    real, fake = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    if real.ndim != 2 or fake.ndim != 2 or real.shape[1] != fake.shape[1]:
        raise ValueError(f"features must be [n, d] and [m, d]. Received {real.shape}, {fake.shape}")
    if min(len(real), len(fake)) <= k:
        raise ValueError(
            f"Each set needs more than k={k} samples. Received {len(real)}, {len(fake)}"
        )
    return real, fake


def precision_recall(real_features, fake_features, k=3):
    """Improved precision and recall (dict with `precision`, `recall`)."""
    real, fake = _check(real_features, fake_features, k)
    real_radii, fake_radii = _kth_radius(real, k), _kth_radius(fake, k)
    # `<=` as stylegan2-ada-pytorch
    precise = sum(np.any(d <= real_radii[None, :], axis=1).sum() for _, d in _blocks(fake, real))
    recalled = sum(np.any(d <= fake_radii[None, :], axis=1).sum() for _, d in _blocks(real, fake))
    return {"precision": float(precise / len(fake)), "recall": float(recalled / len(real))}


def density_coverage(real_features, fake_features, k=5):
    """Density and coverage of Naeem et al. (dict with `density`, `coverage`)."""
    real, fake = _check(real_features, fake_features, k)
    real_radii = _kth_radius(real, k)
    inside, covered = 0, 0
    for rows, d in _blocks(real, fake):  # [real, fake]
        radii = real_radii[rows, None]
        inside += (d < radii).sum()  # strict, as clovaai/prdc
        covered += (d.min(axis=1) < radii[:, 0]).sum()
    return {
        "density": float(inside / (k * len(fake))),
        "coverage": float(covered / len(real)),
    }
