"""Pictures of samples: image grids and 2-D scatter plots as uint8 arrays and PNG files.

Plain NumPy and `tf.io.encode_png`: no plotting library needed.
"""

import math
import os

import numpy as np
import tensorflow as tf

from keras_gan import files


def to_uint8(images):
    """float images in [-1, 1] -> uint8 in [0, 255]."""
    return np.clip(np.round((np.asarray(images, np.float32) + 1.0) * 127.5), 0, 255).astype(
        np.uint8
    )


def image_grid(images, columns=None, padding=1):
    """Tiles `[n, H, W, C]` images in [-1, 1] into one uint8 `[H', W', C]` picture."""
    images = to_uint8(images)
    n, h, w, c = images.shape
    columns = columns or int(math.ceil(math.sqrt(n)))
    rows = int(math.ceil(n / columns))
    grid = np.full(
        (rows * (h + padding) + padding, columns * (w + padding) + padding, c), 255, np.uint8
    )
    for i in range(n):
        r, col = divmod(i, columns)
        top, left = padding + r * (h + padding), padding + col * (w + padding)
        grid[top : top + h, left : left + w] = images[i]
    return grid


def _font(size):
    from PIL import ImageFont

    # Pillow's bundled TrueType font: no system fonts needed
    return ImageFont.load_default(size=size)


def _text_width(draw, text, font):
    left, _, right, _ = draw.textbbox((0, 0), text, font=font)
    return right - left


REAL_COLOR, FAKE_COLOR = (150, 150, 150), (220, 30, 30)


def _ticks(low, high, count=5):
    """About `count` round tick values in [low, high] (1, 2 or 5 times a power of ten apart)."""
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return [t for t in np.arange(math.ceil(low / step) * step, high + 1e-9, step)]


def scatter(points, reference=None, size=400, limits=None, title=None):
    """2-D `points` (red, "generated") over `reference` points (grey, "real") as a uint8 RGB plot.

    The plot has both axes with ticks, a legend and, when given, a title (e.g.
    the training step). The plot area is `size` × `size` pixels; the margins
    for the ticks and title make the picture larger.
    """
    points = np.asarray(points, np.float32)
    everything = points if reference is None else np.concatenate([points, reference])
    if limits is None:
        low, high = np.percentile(everything, 0.5, axis=0), np.percentile(everything, 99.5, axis=0)
        margin = 0.15 * float(np.max(high - low) + 1e-6)
        limits = (float(np.min(low)) - margin, float(np.max(high)) + margin)
    plot = np.full((size, size, 3), 255, np.uint8)

    def draw_points(pts, color):
        scaled = (pts - limits[0]) / (limits[1] - limits[0]) * (size - 1)
        cols = np.round(scaled[:, 0]).astype(int)
        rows = np.round((size - 1) - scaled[:, 1]).astype(int)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                r, c = rows + dr, cols + dc
                ok = (r >= 0) & (r < size) & (c >= 0) & (c < size)
                plot[r[ok], c[ok]] = color

    if reference is not None:
        draw_points(np.asarray(reference, np.float32), REAL_COLOR)
    draw_points(points, FAKE_COLOR)

    entries = ([("real", REAL_COLOR)] if reference is not None else []) + [
        ("generated", FAKE_COLOR)
    ]
    return _frame(plot, limits, limits, title, entries)


def _frame(plot, xlim, ylim, title=None, entries=(), xlabel=None, ylabel=None):
    """`plot` (uint8 `[h, w, 3]`, x from xlim[0] at the left, y from ylim[0] at the bottom) framed
    with ticks on both axes, optional axis labels, a title and a legend of `(name, colour)`
    entries."""
    from PIL import Image, ImageDraw

    height, width = plot.shape[:2]
    font = _font(max(10, min(height, width) // 36))
    left = 6 * font.size + (2 * font.size if ylabel else 0)
    bottom = 3 * font.size + (2 * font.size if xlabel else 0)
    top, right = 3 * font.size if title else font.size, 2 * font.size
    canvas = Image.new("RGB", (left + width + right, top + height + bottom), "white")
    canvas.paste(Image.fromarray(plot), (left, top))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((left - 1, top - 1, left + width, top + height), outline="black")
    for t in _ticks(*xlim):
        label, x = f"{t:g}", left + (t - xlim[0]) / (xlim[1] - xlim[0]) * (width - 1)
        draw.line((x, top + height, x, top + height + 4), fill="black")
        draw.text(
            (x - _text_width(draw, label, font) / 2, top + height + 6),
            label,
            fill="black",
            font=font,
        )
    for t in _ticks(*ylim):
        label, y = f"{t:g}", top + (height - 1) - (t - ylim[0]) / (ylim[1] - ylim[0]) * (height - 1)
        draw.line((left - 5, y, left - 1, y), fill="black")
        draw.text(
            (left - 8 - _text_width(draw, label, font), y - font.size / 2 - 1),
            label,
            fill="black",
            font=font,
        )
    if title:
        draw.text(
            (left + (width - _text_width(draw, title, font)) / 2, font.size / 2),
            title,
            fill="black",
            font=font,
        )
    if xlabel:
        draw.text(
            (left + (width - _text_width(draw, xlabel, font)) / 2, top + height + 3 * font.size),
            xlabel,
            fill="black",
            font=font,
        )
    if ylabel:
        label = Image.new("RGB", (_text_width(draw, ylabel, font) + 4, font.size + 6), "white")
        ImageDraw.Draw(label).text((2, 0), ylabel, fill="black", font=font)
        label = label.rotate(90, expand=True)
        canvas.paste(label, (font.size // 2, top + (height - label.size[1]) // 2))
    if entries:
        box_w = max(_text_width(draw, name, font) for name, _ in entries) + 3 * font.size
        x0, y0 = left + width - box_w - 6, top + 6
        draw.rectangle(
            (x0, y0, x0 + box_w, y0 + len(entries) * (font.size + 6) + 4),
            fill="white",
            outline="black",
        )
        for i, (name, color) in enumerate(entries):
            y = y0 + 4 + i * (font.size + 6)
            draw.rectangle(
                (x0 + 6, y + 2, x0 + 6 + font.size - 4, y + font.size - 2), fill=tuple(color)
            )
            draw.text((x0 + 2 * font.size, y - 1), name, fill="black", font=font)
    return np.asarray(canvas)


LINE_COLORS = (
    (31, 119, 180),
    (214, 39, 40),
    (44, 160, 44),
    (148, 103, 189),
    (255, 127, 14),
    (23, 190, 207),
)


def line_plot(series, title=None, xlabel=None, ylabel=None, size=(480, 320), xlim=None, ylim=None):
    """Curves `[(name, xs, ys), ...]` on shared axes, with ticks, labels and a legend, as uint8 RGB.

    Args:
        series: each curve's legend name and its x and y values (a point per step for a metric).
        title, xlabel, ylabel: texts around the plot.
        size: `(width, height)` of the plot area in pixels.
        xlim, ylim: the axes' ranges (default: the data's, with a 5% margin).
    """
    from PIL import Image, ImageDraw

    if not series:
        raise ValueError("line_plot needs at least one series (name, xs, ys).")
    xs = np.concatenate([np.asarray(x, np.float64) for _, x, _ in series])
    ys = np.concatenate([np.asarray(y, np.float64) for _, _, y in series])

    def limits(values, given):
        if given is not None:
            return tuple(float(v) for v in given)
        low, high = float(np.nanmin(values)), float(np.nanmax(values))
        pad = 0.05 * (high - low) if high > low else max(abs(high), 1.0) * 0.05
        return low - pad, high + pad

    xlim, ylim = limits(xs, xlim), limits(ys, ylim)
    width, height = size
    plot = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(plot)
    entries = []
    for i, (name, x, y) in enumerate(series):
        color = LINE_COLORS[i % len(LINE_COLORS)]
        px = (np.asarray(x, np.float64) - xlim[0]) / (xlim[1] - xlim[0]) * (width - 1)
        py = (height - 1) - (np.asarray(y, np.float64) - ylim[0]) / (ylim[1] - ylim[0]) * (
            height - 1
        )
        points = list(zip(px.tolist(), py.tolist()))
        if len(points) > 1:
            draw.line(points, fill=color, width=2)
        if len(points) <= 50:  # few points (metrics by step): mark each
            for cx, cy in points:
                draw.ellipse((cx - 3, cy - 3, cx + 3, cy + 3), fill=color)
        entries.append((name, color))
    return _frame(np.asarray(plot), xlim, ylim, title, entries, xlabel, ylabel)


# pixels: small images are scaled up to a grid a person can read at 100% zoom (longer side)
MIN_WIDTH = 512


def scale_up(picture_uint8, scale=None, min_width=MIN_WIDTH):
    """`picture` enlarged by a whole factor (nearest neighbour): `scale`, or the least that makes
    its longer side at least `min_width` pixels."""
    if scale is None:
        scale = max(1, int(np.ceil(min_width / max(picture_uint8.shape[:2]))))
    if int(scale) < 1:
        raise ValueError(f"scale must be a positive integer. Received: scale={scale}")
    return np.repeat(np.repeat(picture_uint8, int(scale), axis=0), int(scale), axis=1)


def label_rows(picture_uint8, labels=None, title=None, column_labels=None):
    """`picture` (a grid of equal rows and columns) with `labels[i]` written left of row i,
    `column_labels[j]` above column j, and `title` above; without labels only the title is added
    (no margin on the left)."""
    from PIL import Image, ImageDraw

    labels = [str(t) for t in labels or ()]
    column_labels = [str(t) for t in column_labels or ()]
    height, width = picture_uint8.shape[:2]
    row_height = height / len(labels) if labels else height
    column_width = width / len(column_labels) if column_labels else width
    font = _font(int(min(max(12, min(row_height, column_width / 3) * 0.4), 24)))
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    left = max(_text_width(probe, t, font) for t in labels) + font.size if labels else 0
    header = 2 * font.size if title else 0
    top = header + (int(1.6 * font.size) if column_labels else 0)
    rgb = (
        picture_uint8
        if picture_uint8.shape[-1] == 3
        else np.repeat(picture_uint8[..., :1], 3, axis=-1)
    )
    title_width = _text_width(probe, title, font) + 8 if title else 0  # a title is never cut
    canvas = Image.new("RGB", (max(left + width, title_width), top + height), "white")
    canvas.paste(Image.fromarray(rgb), (left, top))
    draw = ImageDraw.Draw(canvas)
    for i, text in enumerate(labels):
        y = top + (i + 0.5) * row_height - font.size / 2 - 1
        draw.text(
            (left - font.size / 2 - _text_width(draw, text, font), y), text, fill="black", font=font
        )
    for j, text in enumerate(column_labels):
        x = left + (j + 0.5) * column_width - _text_width(draw, text, font) / 2
        draw.text((x, header + 0.2 * font.size), text, fill="black", font=font)
    if title:
        draw.text((max(left, 4), font.size / 2), title, fill="black", font=font)
    return np.asarray(canvas)


def picture(
    samples,
    reference=None,
    columns=None,
    scale=None,
    row_labels=None,
    title=None,
    column_labels=None,
):
    """An image grid for images (scaled up, see `scale_up`), a scatter plot for 2-D points.

    Args:
        samples: `[n, H, W, C]` images in [-1, 1] or `[n, 2]` points.
        reference: real 2-D points drawn beneath (grey) in a scatter plot.
        columns: images per row.
        scale: enlarge images this whole factor (default: to >= 512 px on the longer side).
        row_labels: one text per row of the grid (e.g. the class), written left of it.
        title: a line above the picture (e.g. the step).
        column_labels: one text per column (e.g. CycleGAN's A, G(A), ...), written above it.
    """
    samples = np.asarray(samples)
    if samples.ndim == 2:
        return scatter(samples, reference, size=MIN_WIDTH, title=title)
    per_row = columns or int(math.ceil(math.sqrt(len(samples))))
    grid = scale_up(image_grid(samples, columns=columns), scale)
    if row_labels:
        rows = int(math.ceil(len(samples) / per_row))
        if rows != len(row_labels):
            raise ValueError(
                f"row_labels needs one text per row of the grid ({rows}). Received "
                f"{len(row_labels)}"
            )
    if column_labels and len(column_labels) != per_row:
        raise ValueError(
            f"column_labels needs one text per column of the grid ({per_row}). Received "
            f"{len(column_labels)}"
        )
    if row_labels or title or column_labels:
        return label_rows(grid, row_labels, title, column_labels)
    return grid


def write_png(path, picture_uint8):
    """Writes a uint8 `[H, W, C]` array as a PNG file (folders created)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    # Written by Python, not tf.io.write_file: a failure is an OSError naming the file and the
    # system's reason (e.g. "Permission denied", "No space left on device").
    return files.write_bytes_atomic(path, tf.io.encode_png(picture_uint8).numpy())


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
        raise ValueError(
            f"crossover must be in [1, {model.num_ws - 1}]. Received: crossover={crossover}"
        )
    latents = lambda seeds: tf.concat([model.sample_latents(1, int(s)) for s in seeds], axis=0)  # noqa: E731
    w_rows = tf.cast(model.mapping(latents(row_seeds), training=False), tf.float32)
    w_cols = tf.cast(model.mapping(latents(col_seeds), training=False), tf.float32)
    rows, cols = len(row_seeds), len(col_seeds)
    cells = [model.synthesize(None, tf.constant(0), noise="const", w=w_cols)]  # the column sources
    for r in range(rows):
        source = model.synthesize(None, tf.constant(0), noise="const", w=w_rows[r : r + 1])
        mixed = model.mix_styles(
            tf.repeat(w_rows[r : r + 1], cols, axis=0), w_cols, tf.fill([cols], int(crossover))
        )
        cells += [source, model.synthesize(None, tf.constant(0), noise="const", w=mixed)]
    shape = cells[0].shape[1:]
    blank = -tf.ones([1, *shape])  # the empty top-left cell
    grid = tf.concat([blank] + cells, axis=0).numpy().clip(-1.0, 1.0)
    out = scale_up(image_grid(grid, columns=cols + 1), scale)
    if path is not None:
        write_png(path, out)
    return out
