"""Feature statistics (mean and covariance) streamed in batches, and TTUR's `.npz` files.

Reference implementation matched: TTUR (bioinf-jku/TTUR), `fid.py`: statistics
files hold `mu` (`[d]`) and `sigma` (`[d, d]`, `np.cov(rowvar=False)`, i.e.
normalised by n - 1), the format of the published CIFAR-10, CelebA and LSUN
statistics that papers score against.

Formula:
    mu = (1/n) sum_i f_i
    sigma = (sum_i f_i f_i^T - n mu mu^T) / (n - 1)
    (sums in float64 over shifted features, so large n loses no precision)
"""

import os

import numpy as np

from keras_gan import files


class StreamingStatistics:
    """Mean and covariance of features seen a batch at a time (memory `O(d^2)`, not `O(n d)`).

    Example:
    >>> stats = StreamingStatistics()
    >>> for batch in batches:
    ...     stats.update(features(batch))
    >>> mu, sigma = stats.result()
    """

    def __init__(self):
        self.count, self._shift, self._sum, self._outer = 0, None, None, None

    def update(self, features):
        f = np.asarray(features, np.float64)
        if f.ndim != 2:
            raise ValueError(f"features must be [n, d]. Received shape {f.shape}")
        if self._shift is None:
            d = f.shape[1]
            # Sums of features shifted by the first row: the covariance of values far from 0
            # stays exact (the textbook sum-of-squares formula cancels catastrophically).
            self._shift = f[0].copy()
            self._sum, self._outer = np.zeros(d), np.zeros((d, d))
        elif f.shape[1] != len(self._shift):
            raise ValueError(
                f"features must have {len(self._shift)} columns as before. Received shape {f.shape}"
            )
        g = f - self._shift
        self._sum += g.sum(axis=0)
        self._outer += g.T @ g
        self.count += len(f)

    def result(self):
        """`(mu [d], sigma [d, d])`, as `np.mean(axis=0)` and `np.cov(rowvar=False)` give."""
        if self.count < 2:
            raise ValueError(f"Statistics need at least 2 feature rows. Received: {self.count}")
        mean = self._sum / self.count
        sigma = (self._outer - self.count * np.outer(mean, mean)) / (self.count - 1)
        return self._shift + mean, sigma


def save_statistics(path, mu, sigma, **metadata):
    """Writes `mu` and `sigma` in TTUR's format (`np.savez`), with `metadata` as extra entries
    (strings and numbers: the features, the source, the count), atomically."""
    import io

    buffer = io.BytesIO()
    np.savez(buffer, mu=np.asarray(mu), sigma=np.asarray(sigma), **metadata)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    files.write_bytes_atomic(path, buffer.getvalue())
    return path


def load_statistics(path):
    """`(mu, sigma, metadata)` of a statistics file in TTUR's format (`.npz` with `mu`, `sigma`).

    Raises:
        ValueError: naming the file, when it is missing, not an `.npz`, lacks `mu`/`sigma`, or
            their shapes do not agree.
    """
    if not os.path.isfile(path):
        raise ValueError(f"Statistics file {path} does not exist.")
    try:
        with np.load(path, allow_pickle=False) as f:
            entries = {k: f[k] for k in f.files}
    except (OSError, ValueError) as e:
        raise ValueError(
            f"Cannot read statistics file {path}: it is not an .npz file ({e})."
        ) from None
    missing = [k for k in ("mu", "sigma") if k not in entries]
    if missing:
        raise ValueError(
            f"Statistics file {path} lacks {', '.join(missing)}: TTUR's format holds 'mu' and "
            f"'sigma'. It holds: {sorted(entries)}."
        )
    mu, sigma = entries.pop("mu").astype(np.float64), entries.pop("sigma").astype(np.float64)
    if mu.ndim != 1 or sigma.shape != (len(mu), len(mu)):
        raise ValueError(
            f"Statistics file {path}: 'mu' must be [d] and 'sigma' [d, d]. Received {mu.shape} "
            f"and {sigma.shape}."
        )
    metadata = {k: v.item() if v.ndim == 0 else v for k, v in entries.items()}
    return mu, sigma, metadata
