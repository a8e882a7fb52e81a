"""Density of an energy-based model on low-dimensional data: quadrature NLL and heat maps.

An energy `E(x)` defines `p(x) = exp(-E(x)) / Z`. In 1 or 2 dimensions `Z`
can be computed by quadrature on a fine grid, which turns the energy model
into an exact (up to the grid) density and its test NLL into a number.

Reference:
    Kumar et al., "Maximum Entropy Generators for Energy-Based Models", 2019,
    §5.1 (NLL of the 2-D toy energies by numerical integration).
"""

import numpy as np
import tensorflow as tf

from keras_gan.metrics.likelihood import unscaled_nll

# Low energy = high density: dark blue -> teal -> yellow.
_PALETTE = np.array(
    [[255, 255, 160], [250, 200, 40], [60, 170, 120], [30, 80, 140], [15, 15, 60]], np.float64
)


def _evaluate(energy_fn, points, batch_size):
    out = [
        np.asarray(energy_fn(points[i : i + batch_size]), np.float64).reshape(-1)
        for i in range(0, len(points), batch_size)
    ]
    return np.concatenate(out)


def energy_grid(energy_fn, bounds, resolution=400, batch_size=16384):
    """Energies at the midpoints of a regular grid.

    Args:
        energy_fn: `x [n, d] -> [n]` (or `[n, 1]`) energies; NumPy in, array-like out.
        bounds: `[(low, high)] * d`, the box of each dimension (d = 1 or 2).
        resolution: cells per dimension.
        batch_size: points per `energy_fn` call.

    Returns:
        `(axes, energies, cell_volume)`: the midpoints of each dimension,
        energies shaped `[resolution] * d` (axis i = dimension i), and the
        volume of one cell.
    """
    bounds = [(float(lo), float(hi)) for lo, hi in bounds]
    if len(bounds) not in (1, 2) or any(not hi > lo for lo, hi in bounds):
        raise ValueError(
            f"bounds must be 1 or 2 (low, high) pairs with low < high. Received: bounds={bounds}"
        )
    if int(resolution) < 2:
        raise ValueError(f"resolution must be at least 2. Received: resolution={resolution}")
    resolution = int(resolution)
    axes = [lo + (np.arange(resolution) + 0.5) * (hi - lo) / resolution for lo, hi in bounds]
    mesh = (
        np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1)
        .reshape(-1, len(bounds))
        .astype(np.float32)
    )
    energies = _evaluate(energy_fn, mesh, batch_size).reshape([resolution] * len(bounds))
    volume = float(np.prod([(hi - lo) / resolution for lo, hi in bounds]))
    return axes, energies, volume


def quadrature_log_partition(energy_fn, bounds, resolution=400, batch_size=16384):
    """`log Z = log ∫ exp(-E(x)) dx` by the midpoint rule on the box `bounds`.

    Formula:
        `log Z ≈ logsumexp_i(-E(x_i)) + log(cell volume)`, `x_i` the cell midpoints.
        Mass outside the box is ignored: choose a box where `exp(-E)` is negligible
        at the border.

    Args:
        energy_fn, bounds, resolution, batch_size: see `energy_grid`.

    Returns:
        A float (nats).
    """
    _, energies, volume = energy_grid(energy_fn, bounds, resolution, batch_size)
    neg = -energies.reshape(-1)
    top = np.max(neg)
    return float(top + np.log(np.sum(np.exp(neg - top))) + np.log(volume))


def quadrature_nll(energy_fn, points, bounds, resolution=400, scale=1.0, batch_size=16384):
    """Mean NLL (nats) of `points` under `exp(-E(x)) / Z`, `Z` by quadrature.

    Formula:
        `NLL = mean_j E(x_j) + log Z`. If the model saw scaled data
        `x̃ = x / σ`, pass the scaled `points` and `scale=σ`: the NLL of the
        original data is `NLL(x̃) + d log σ` (the seeds' scaling identity,
        `keras_gan.metrics.unscaled_nll`).

    Args:
        energy_fn: `x [n, d] -> [n]` energies of the model's input space.
        points: `[n, d]` test points, in the model's input space.
        bounds, resolution, batch_size: the quadrature box and grid
            (`energy_grid`), in the model's input space.
        scale: σ, the factor the original data were divided by (1: unscaled).

    Returns:
        A float (nats per example, of the original data).
    """
    points = np.asarray(points, np.float32)
    if points.ndim != 2 or points.shape[1] != len(bounds):
        raise ValueError(
            f"points must be [n, {len(bounds)}] to match bounds. Received shape {points.shape}"
        )
    log_z = quadrature_log_partition(energy_fn, bounds, resolution, batch_size)
    nll = float(np.mean(_evaluate(energy_fn, points, batch_size)) + log_z)
    return unscaled_nll(nll, scale, points.shape[1])


def energy_heatmap(energies, points=None, bounds=None):
    """A uint8 RGB picture of a 2-D energy grid (low energy bright), optionally with points.

    Colours span the grid's energies from the minimum up to 12 nats above it
    (higher energies share the darkest colour).

    Args:
        energies: `[nx, ny]` grid from `energy_grid` (axis 0 = x, axis 1 = y).
        points: optional `[n, 2]` points drawn in red (needs `bounds`).
        bounds: `[(xlo, xhi), (ylo, yhi)]` of the grid.

    Returns:
        `[ny, nx, 3]` uint8, the y axis pointing up.
    """
    e = np.asarray(energies, np.float64)
    if e.ndim != 2:
        raise ValueError(f"energies must be a 2-D grid. Received shape {e.shape}")
    # Colour by log density relative to the peak, over the grid's range of energies (at most 12
    # nats).
    span = min(12.0, max(float(e.max() - e.min()), 1e-12))
    t = np.clip(e - e.min(), 0.0, span) / span  # 0 at the mode, 1 at low density
    pos = t * (len(_PALETTE) - 1)
    lo = np.floor(pos).astype(int).clip(0, len(_PALETTE) - 2)
    frac = (pos - lo)[..., None]
    rgb = (1 - frac) * _PALETTE[lo] + frac * _PALETTE[lo + 1]
    image = np.transpose(rgb, (1, 0, 2))[::-1].round().astype(np.uint8)  # rows = y, top = high y
    if points is not None:
        if bounds is None:
            raise ValueError("energy_heatmap needs bounds to draw points.")
        ny, nx = image.shape[:2]
        (xlo, xhi), (ylo, yhi) = bounds
        p = np.asarray(points, np.float64)
        cols = np.floor((p[:, 0] - xlo) / (xhi - xlo) * nx).astype(int)
        rows = ny - 1 - np.floor((p[:, 1] - ylo) / (yhi - ylo) * ny).astype(int)
        ok = (rows >= 0) & (rows < ny) & (cols >= 0) & (cols < nx)
        image[rows[ok], cols[ok]] = (220, 30, 30)
    return image


def write_energy_heatmap(
    path, energies, points=None, bounds=None, log_dir=None, step=0, tag="energy"
):
    """Writes the heat map of `energy_heatmap` as a PNG file and, with `log_dir`, a TensorBoard
    image.

    Returns:
        The uint8 picture.
    """
    image = energy_heatmap(energies, points, bounds)
    tf.io.write_file(path, tf.io.encode_png(image))
    if log_dir:
        writer = tf.summary.create_file_writer(log_dir)
        with writer.as_default():
            tf.summary.image(tag, image[None], step=int(step))
        writer.flush()
    return image
