"""Inception Score from class probabilities.

Reference:
    Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016.
    Reference implementation matched: openai/improved-gan,
    `inception_score/model.py` (`exp(E_x KL(p(y|x) ‖ p(y)))` per split).
"""

import numpy as np


def inception_score(probabilities, splits=10, return_std=False):
    """`exp(E_x[KL(p(y|x) ‖ p(y))])`, averaged over `splits` equal splits.

    Args:
        probabilities: `[n, classes]` rows summing to 1.
        splits: number of splits.
        return_std: also return the standard deviation over splits.

    Returns:
        float, or `(mean, std)`. 1 for uniform predictions; K for confident
        predictions spread evenly over K classes.
    """
    p = np.asarray(probabilities, np.float64)
    if p.ndim != 2 or len(p) < splits:
        raise ValueError(
            f"probabilities must be [n >= splits, classes]. Received {p.shape}, splits={splits}"
        )
    if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError(
            "probabilities must be non-negative rows summing to 1 (apply softmax to logits)."
        )
    scores = []
    for part in np.array_split(p, splits):
        py = part.mean(axis=0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            kl = np.where(part > 0, part * (np.log(part) - np.log(py)), 0.0)
        scores.append(np.exp(kl.sum(axis=1).mean()))
    scores = np.asarray(scores)
    return (float(scores.mean()), float(scores.std())) if return_std else float(scores.mean())
