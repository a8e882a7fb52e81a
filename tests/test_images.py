"""Pictures a person reads: labelled grids, scatter plots with axes and a legend."""

import numpy as np
import pytest

from keras_gan import images


def _has_color(picture, color, tolerance=10):
    return bool((np.abs(picture.astype(int) - np.asarray(color)).max(axis=-1) <= tolerance).any())


def test_ticks_are_round_and_inside_the_range():
    # The step is the least of 1, 2, 5 or 10 times a power of ten that is >= (high - low) / 4.
    assert images._ticks(-1.3, 1.3) == pytest.approx([-1.0, 0.0, 1.0])  # 0.65 -> 1
    assert images._ticks(0.0, 100.0) == pytest.approx([0.0, 50.0, 100.0])  # 25 -> 50
    assert images._ticks(-0.3, 0.5) == pytest.approx([-0.2, 0.0, 0.2, 0.4])  # 0.2 -> 0.2
    ticks = images._ticks(-3.7, 12.2)
    assert min(ticks) >= -3.7 and max(ticks) <= 12.2 and len(ticks) >= 3


def test_scatter_has_axes_legend_and_title_around_the_plot():
    points = np.array([[0.0, 0.0], [0.5, 0.5]])
    reference = np.array([[-1.0, -1.0], [1.0, 1.0]])
    plain = images.scatter(points, reference, size=200)
    titled = images.scatter(points, reference, size=200, title="step 7")
    assert plain.shape[0] > 200 and plain.shape[1] > 200  # margins for the ticks
    assert titled.shape[0] > plain.shape[0]  # room for the title
    assert _has_color(plain, images.REAL_COLOR, 0) and _has_color(plain, images.FAKE_COLOR, 0)
    # the picture less the plot area and right margin
    left_margin = plain[:, : plain.shape[1] - 200 - 12]
    assert (left_margin < 100).any()  # tick labels drawn in black left of the plot
    # Without reference points the legend names only the generated points: a smaller legend box.
    only = images.scatter(points, None, size=200, limits=(-1.2, 1.2))
    assert not _has_color(only, images.REAL_COLOR, 0)


def test_row_labels_widen_the_grid_and_must_match_the_rows():
    samples = np.zeros((6, 8, 8, 1), np.float32)
    grid = images.picture(samples, columns=3, scale=4)
    labelled = images.picture(samples, columns=3, scale=4, row_labels=["class 0", "class 1"])
    assert labelled.shape[0] == grid.shape[0] and labelled.shape[1] > grid.shape[1]
    assert labelled.shape[-1] == 3
    assert (labelled[:, : labelled.shape[1] - grid.shape[1]] < 100).any()  # the labels' ink
    with pytest.raises(ValueError, match="one text per row of the grid \\(2\\). Received 3"):
        images.picture(samples, columns=3, row_labels=["a", "b", "c"])
    titled = images.picture(samples, columns=3, scale=4, title="step 5")
    assert titled.shape[0] > grid.shape[0]


def test_small_images_are_scaled_up_to_a_readable_width():
    picture = images.picture(np.zeros((64, 8, 8, 1), np.float32))
    assert picture.shape[1] >= images.MIN_WIDTH
    with pytest.raises(ValueError, match="scale must be a positive integer. Received: scale=0"):
        images.scale_up(np.zeros((4, 4, 1), np.uint8), 0)


def test_column_labels_are_written_above_their_columns():
    samples = np.zeros((12, 8, 8, 1), np.float32)
    plain = images.picture(samples, columns=6, scale=8)
    labelled = images.picture(samples, columns=6, scale=8, column_labels=list("ABCDEF"))
    assert labelled.shape[1] == plain.shape[1] and labelled.shape[0] > plain.shape[0]
    margin = labelled[: labelled.shape[0] - plain.shape[0]]
    # Ink (a letter) in the margin above each column.
    ink = (margin < 128).any(axis=(0, 2))
    for j in range(6):
        assert ink[j * 64 : (j + 1) * 64].any(), j
    with pytest.raises(ValueError, match=r"one text per column of the grid \(6\). Received 2"):
        images.picture(samples, columns=6, column_labels=["A", "B"])
