"""Mode coverage of samples from a Gaussian mixture (PacGAN's protocol).

Reference:
    Lin et al., "PacGAN: The power of two samples in generative adversarial
    networks", NeurIPS 2018, §5 (after Srivastava et al., VEEGAN, 2017):
    2,500 samples; a sample is high quality when it lies within three
    standard deviations of the nearest mode; a mode is captured when it is
    the nearest mode of at least one high-quality sample; reverse KL is the
    KL divergence of the mode histogram of the high-quality samples from
    the uniform distribution over modes.
"""

import numpy as np


def mode_coverage(samples, centers, std):
    """Modes captured, high-quality fraction and reverse KL of 2-D samples.

    Args:
        samples: `[n, d]` generated points.
        centers: `[k, d]` the mixture's means.
        std: the components' standard deviation.

    Returns:
        dict with `modes` (int), `high_quality_fraction` (float) and
        `reverse_kl` (float, nats; 0 when the captured histogram is uniform).
    """
    samples = np.asarray(samples, np.float64)
    centers = np.asarray(centers, np.float64)
    if samples.ndim != 2 or centers.ndim != 2 or samples.shape[1] != centers.shape[1]:
        raise ValueError(
            f"samples [n, d] and centers [k, d] must share d. Received: {samples.shape}, "
            f"{centers.shape}"
        )
    distances = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=-1)
    nearest = np.argmin(distances, axis=1)
    high = distances[np.arange(len(samples)), nearest] <= 3.0 * std
    counts = np.bincount(nearest[high], minlength=len(centers)).astype(np.float64)
    if counts.sum() == 0:
        reverse_kl = float("inf")
    else:
        q = counts / counts.sum()
        nonzero = q > 0
        reverse_kl = float(np.sum(q[nonzero] * np.log(q[nonzero] * len(centers))))
    return {
        "modes": int(np.count_nonzero(counts)),
        "high_quality_fraction": float(high.mean()),
        "reverse_kl": reverse_kl,
    }
