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


MIN_WIDTH = 512  # pixels: small images are scaled up to a grid a person can read at 100% zoom


def scale_up(picture_uint8, scale=None, min_width=MIN_WIDTH):
    """`picture` enlarged by a whole factor (nearest neighbour): `scale`, or the least that makes
    it at least `min_width` pixels wide."""
    if scale is None:
        scale = max(1, int(np.ceil(min_width / picture_uint8.shape[1])))
    if int(scale) < 1:
        raise ValueError(f"scale must be a positive integer. Received: scale={scale}")
    return np.repeat(np.repeat(picture_uint8, int(scale), axis=0), int(scale), axis=1)


def picture(samples, reference=None, columns=None, scale=None):
    """An image grid for images (scaled up, see `scale_up`), a scatter plot for 2-D points."""
    samples = np.asarray(samples)
    if samples.ndim == 2:
        return scatter(samples, reference, size=MIN_WIDTH)
    return scale_up(image_grid(samples, columns=columns), scale)


def write_png(path, picture_uint8):
    """Writes a uint8 `[H, W, C]` array as a PNG file (folders created)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    try:
        tf.io.write_file(path, tf.io.encode_png(picture_uint8))
    except tf.errors.OpError as e:  # as an OSError naming the file, like any other failed write
        raise OSError(errno.EIO, e.message.split(";")[0], path) from e
    return path


def style_mixing_grid(model, row_seeds, col_seeds, crossover, path=None, scale=None):
    """StyleGAN's style-mixing figure: coarse styles from one latent, the rest from another.

    Cell (r, c) takes the styles of the layers before `crossover` from the
    latent of `row_seeds[r]` and those from `crossover` on from
    `col_seeds[c]` (Karras et al. 2019, Figure 3: a small crossover copies
    the coarse styles, pose and shape, of the row source; a large one only the
    fine styles, colour and texture, of the column source survive). The first
    row shows the column sources, the first column the row sources; the noise
    is the fixed buffers (`noise="const"`) throughout.

    Args:
        model: a `keras_gan.models.StyleGAN`.
        row_seeds, col_seeds: int seeds of the latents.
        crossover: the first layer taken from the column source (1..num_ws - 1).
        path: write the picture there as a PNG when given.
        scale: enlarge by this whole factor (default: to >= 512 px wide).

    Returns:
        The picture, uint8 `[H, W, C]`.
    """
    if not 1 <= int(crossover) < model.num_ws:
        raise ValueError(f"crossover must be in [1, {model.num_ws - 1}]. Received: crossover={crossover}")
    latents = lambda seeds: tf.concat([model.sample_latents(1, int(s)) for s in seeds], axis=0)  # noqa: E731
    w_rows = tf.cast(model.mapping(latents(row_seeds), training=False), tf.float32)
    w_cols = tf.cast(model.mapping(latents(col_seeds), training=False), tf.float32)
    rows, cols = len(row_seeds), len(col_seeds)
    cells = [model.synthesize(None, tf.constant(0), noise="const", w=w_cols)]  # the column sources
    for r in range(rows):
        source = model.synthesize(None, tf.constant(0), noise="const", w=w_rows[r:r + 1])
        mixed = model.mix_styles(tf.repeat(w_rows[r:r + 1], cols, axis=0), w_cols, tf.fill([cols], int(crossover)))
        cells += [source, model.synthesize(None, tf.constant(0), noise="const", w=mixed)]
    shape = cells[0].shape[1:]
    blank = -tf.ones([1, *shape])  # the empty top-left cell
    grid = tf.concat([blank] + cells, axis=0).numpy().clip(-1.0, 1.0)
    out = scale_up(image_grid(grid, columns=cols + 1), scale)
    if path is not None:
        write_png(path, out)
    return out
