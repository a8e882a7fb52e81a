"""Quadrature NLL of energy models against closed forms; the heat map."""

import numpy as np
import pytest
from scipy import stats

from keras_gan.metrics import energy_grid, energy_heatmap, quadrature_log_partition, quadrature_nll
from keras_gan.metrics.energy import write_energy_heatmap

MU, SIGMA = np.array([0.5, -1.0]), np.array([0.7, 1.3])


def gaussian_energy(x, offset=5.0):
    """The Gaussian's -log density up to an arbitrary constant (the model does not know Z)."""
    return 0.5 * np.sum(((np.asarray(x, np.float64) - MU) / SIGMA) ** 2, axis=-1) + offset


def test_log_partition_of_a_gaussian_energy():
    bounds = [(m - 9 * s, m + 9 * s) for m, s in zip(MU, SIGMA)]
    log_z = quadrature_log_partition(gaussian_energy, bounds, resolution=400)
    expected = np.log(2 * np.pi * SIGMA[0] * SIGMA[1]) - 5.0
    np.testing.assert_allclose(log_z, expected, atol=1e-6)


def test_quadrature_nll_of_gaussian_energy_equals_gaussian_nll():
    points = np.random.default_rng(0).normal(MU, SIGMA, size=(300, 2))
    bounds = [(-8.0, 8.0), (-10.0, 10.0)]
    expected = -np.mean(stats.multivariate_normal(MU, np.diag(SIGMA**2)).logpdf(points))
    np.testing.assert_allclose(
        quadrature_nll(gaussian_energy, points, bounds, resolution=500), expected, rtol=1e-6
    )
    # A coarse grid is still close (the midpoint rule converges fast on smooth densities).
    np.testing.assert_allclose(
        quadrature_nll(gaussian_energy, points, bounds, resolution=60), expected, rtol=1e-3
    )


def test_scaling_identity():
    """A model of x̃ = x / s gives the NLL of x through NLL(x̃) + d log s."""
    s = 4.0
    points = np.random.default_rng(1).normal(MU * s, SIGMA * s, size=(200, 2))  # original data
    scaled_model = gaussian_energy  # the density of x̃ = x / s
    nll = quadrature_nll(
        scaled_model, points / s, [(-8.0, 8.0), (-10.0, 10.0)], resolution=500, scale=s
    )
    expected = -np.mean(stats.multivariate_normal(MU * s, np.diag((SIGMA * s) ** 2)).logpdf(points))
    np.testing.assert_allclose(nll, expected, rtol=1e-6)


def test_one_dimensional_and_bad_arguments():
    energy = lambda x: 0.5 * np.asarray(x)[:, 0] ** 2  # noqa: E731
    np.testing.assert_allclose(
        quadrature_log_partition(energy, [(-10, 10)], 500), 0.5 * np.log(2 * np.pi), atol=1e-6
    )
    with pytest.raises(ValueError, match=r"bounds=\[\(1.0, -1.0\)\]"):
        quadrature_log_partition(energy, [(1, -1)])
    with pytest.raises(ValueError, match="Received shape \\(3, 1\\)"):
        quadrature_nll(gaussian_energy, np.zeros((3, 1)), [(-1, 1), (-1, 1)])


def test_heatmap_orientation_and_png(tmp_path):
    bounds = [(-2.0, 2.0), (-2.0, 2.0)]
    peak = lambda x: np.sum((np.asarray(x) - [1.0, 1.0]) ** 2, axis=-1)  # noqa: E731  (mode at top right)
    _, grid, _ = energy_grid(peak, bounds, resolution=40)
    image = energy_heatmap(grid)
    assert image.shape == (40, 40, 3) and image.dtype == np.uint8
    brightness = image.astype(int).sum(-1)
    row, col = np.unravel_index(np.argmax(brightness), brightness.shape)
    assert row < 20 and col >= 20  # top right: y up, x right
    # A nearly flat energy (range 0.8 nats) still spans the palette.
    flat = energy_heatmap(0.1 * grid).astype(int).sum(-1)
    assert flat.max() - flat.min() > 300
    with_points = write_energy_heatmap(
        str(tmp_path / "e.png"),
        grid,
        points=[[-1.5, -1.5]],
        bounds=bounds,
        log_dir=str(tmp_path / "tb"),
    )
    assert tuple(with_points[-6, 5]) == (220, 30, 30)
    assert (tmp_path / "e.png").stat().st_size > 0 and any((tmp_path / "tb").iterdir())
