"""Fréchet distance between Gaussians fitted to features (FID).

Reference:
    Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a
    Local Nash Equilibrium", NeurIPS 2017.
    Reference implementation matched: pytorch-fid (mseitzer),
    `calculate_frechet_distance` (stable sqrtm with an eps offset; imaginary
    parts discarded only when negligible).
"""

import numpy as np
from scipy import linalg


def feature_statistics(features):
    """Mean and covariance (rows are samples) of a `[n, d]` feature array."""
    features = np.asarray(features, np.float64)
    if features.ndim != 2 or len(features) < 2:
        raise ValueError(f"features must be [n >= 2, d]. Received shape {features.shape}")
    return features.mean(axis=0), np.cov(features, rowvar=False)


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """`‖μ1 - μ2‖² + Tr(Σ1 + Σ2 - 2 (Σ1 Σ2)^½)`.

    Args:
        mu1, sigma1: mean `[d]` and covariance `[d, d]` of the first set.
        mu2, sigma2: the same for the second set.
        eps: offset added to the diagonals when the product is singular.

    Returns:
        float.
    """
    mu1, mu2 = (
        np.atleast_1d(np.asarray(mu1, np.float64)),
        np.atleast_1d(np.asarray(mu2, np.float64)),
    )
    sigma1, sigma2 = (
        np.atleast_2d(np.asarray(sigma1, np.float64)),
        np.atleast_2d(np.asarray(sigma2, np.float64)),
    )
    if (
        mu1.shape != mu2.shape
        or sigma1.shape != sigma2.shape
        or sigma1.shape != (len(mu1), len(mu1))
    ):
        raise ValueError(
            f"Shapes do not match: mu {mu1.shape} vs {mu2.shape}, sigma {sigma1.shape} vs "
            f"{sigma2.shape}."
        )
    diff = mu1 - mu2
    covmean = linalg.sqrtm(sigma1.dot(sigma2))
    if not np.isfinite(covmean).all():
        offset = np.eye(len(mu1)) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError(
                f"sqrtm has a large imaginary part ({np.max(np.abs(covmean.imag)):.3g})."
            )
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


def fid_from_features(features1, features2):
    """FID of two `[n, d]` feature arrays."""
    return frechet_distance(*feature_statistics(features1), *feature_statistics(features2))
