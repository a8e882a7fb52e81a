"""Pictures of samples: image grids and 2-D scatter plots as uint8 arrays and PNG files.

Plain NumPy and `tf.io.encode_png`: no plotting library needed.
"""

import errno
import math
import os

import numpy as np
import tensorflow as tf


def to_uint8(images):
    """float images in [-1, 1] -> uint8 in [0, 255]."""
    return np.clip(np.round((np.asarray(images, np.float32) + 1.0) * 127.5), 0, 255).astype(np.uint8)


def image_grid(images, columns=None, padding=1):
    """Tiles `[n, H, W, C]` images in [-1, 1] into one uint8 `[H', W', C]` picture."""
    images = to_uint8(images)
    n, h, w, c = images.shape
    columns = columns or int(math.ceil(math.sqrt(n)))
    rows = int(math.ceil(n / columns))
    grid = np.full((rows * (h + padding) + padding, columns * (w + padding) + padding, c), 255, np.uint8)
    for i in range(n):
        r, col = divmod(i, columns)
        top, left = padding + r * (h + padding), padding + col * (w + padding)
        grid[top : top + h, left : left + w] = images[i]
    return grid


def scatter(points, reference=None, size=400, limits=None):
    """Draws 2-D `points` (red) over `reference` points (grey) as a uint8 RGB picture."""
    points = np.asarray(points, np.float32)
    everything = points if reference is None else np.concatenate([points, reference])
    if limits is None:
        low, high = np.percentile(everything, 0.5, axis=0), np.percentile(everything, 99.5, axis=0)
        margin = 0.15 * float(np.max(high - low) + 1e-6)
        limits = (float(np.min(low)) - margin, float(np.max(high)) + margin)
    canvas = np.full((size, size, 3), 255, np.uint8)

    def draw(pts, color):
        scaled = (pts - limits[0]) / (limits[1] - limits[0]) * (size - 1)
        cols = np.round(scaled[:, 0]).astype(int)
        rows = np.round((size - 1) - scaled[:, 1]).astype(int)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                r, c = rows + dr, cols + dc
                ok = (r >= 0) & (r < size) & (c >= 0) & (c < size)
                canvas[r[ok], c[ok]] = color

    if reference is not None:
        draw(np.asarray(reference, np.float32), (170, 170, 170))
    draw(points, (220, 30, 30))
    return canvas


def picture(samples, reference=None, columns=None):
    """An image grid for images, a scatter plot for 2-D points."""
    samples = np.asarray(samples)
    if samples.ndim == 2:
        return scatter(samples, reference)
    return image_grid(samples, columns=columns)


def write_png(path, picture_uint8):
    """Writes a uint8 `[H, W, C]` array as a PNG file (folders created)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    try:
        tf.io.write_file(path, tf.io.encode_png(picture_uint8))
    except tf.errors.OpError as e:  # as an OSError naming the file, like any other failed write
        raise OSError(errno.EIO, e.message.split(";")[0], path) from e
    return path
