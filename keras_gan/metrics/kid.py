"""Kernel Inception Distance: unbiased MMD² with a cubic polynomial kernel.

Reference:
    Bińkowski et al., "Demystifying MMD GANs", ICLR 2018.
    Reference implementation matched: stylegan2-ada-pytorch,
    `metrics/kernel_inception_distance.py` (subsets, kernel
    `k(x, y) = (xᵀy / d + 1)³`, the unbiased estimator).
"""

import numpy as np


def kernel_inception_distance(
    features1, features2, num_subsets=100, max_subset_size=1000, seed=0, return_std=False
):
    """Unbiased MMD² between two feature sets, averaged over random subsets.

    Args:
        features1: `[n, d]` (e.g. real) features.
        features2: `[m, d]` (e.g. generated) features.
        num_subsets: number of random subsets.
        max_subset_size: subset size (capped by n and m).
        seed: seed of the subset draws.
        return_std: also return the standard deviation over subsets.

    Returns:
        float, or `(mean, std)` with `return_std`.
    """
    x, y = np.asarray(features1), np.asarray(features2)  # subsets go to float64, not the sets
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise ValueError(f"features must be [n, d] and [m, d]. Received {x.shape}, {y.shape}")
    d = x.shape[1]
    m = min(len(x), len(y), max_subset_size)
    if m < 2:
        raise ValueError(f"KID needs at least 2 samples per set. Received {len(x)}, {len(y)}")
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(num_subsets):
        a = x[rng.choice(len(x), m, replace=False)].astype(np.float64)
        b = y[rng.choice(len(y), m, replace=False)].astype(np.float64)
        kxx = (a @ a.T / d + 1) ** 3
        kyy = (b @ b.T / d + 1) ** 3
        kxy = (a @ b.T / d + 1) ** 3
        values.append(
            (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
            + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
            - 2 * kxy.mean()
        )
    values = np.asarray(values)
    return (float(values.mean()), float(values.std())) if return_std else float(values.mean())
