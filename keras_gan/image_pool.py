"""CycleGAN's history of generated images, as a pure function of the pool's state.

The discriminators of CycleGAN are updated on a mix of the newest generated
images and older ones, which keeps the generator from exploiting a
discriminator that only remembers the last batch (Shrivastava et al. 2017).
`query_pool` is the authors' `ImagePool.query` (junyanz/pytorch-CycleGAN-and-
pix2pix, `util/image_pool.py`) with its random draws passed in, so that the
model can draw them from a stateless seed for the global batch. It gives the
authors' image-by-image result without a loop (batch x batch and pool x batch
comparisons instead): a `tf.while_loop` over the images cost ~100x the CPU
under XLA (BENCHMARKS.md).
"""

import tensorflow as tf


def query_pool(pool, count, images, uniforms, indices):
    """One query of an image pool.

    Reference:
        Zhu et al., "Unpaired Image-to-Image Translation using
        Cycle-Consistent Adversarial Networks", ICCV 2017, Sec. 4 (training
        details), and the authors' `ImagePool.query`.

    Formula:
        For each image in order: while the pool holds fewer than its size,
        store the image and return it; once full, with probability 1/2
        (`uniform > 0.5`) return a stored image at a random index and store
        the new one in its place, else return the new image.

    Args:
        pool: `[size, ...]` stored images (rows at and above `count` unused).
        count: int32 scalar, how many rows of `pool` are filled.
        images: `[batch, ...]` new images.
        uniforms: `[batch]` U[0, 1) draws.
        indices: `[batch]` int32 draws in `[0, size)`.

    Returns:
        `(returned, pool, count)`: the `[batch, ...]` images to use, and the
        pool's new state.
    """
    size = tf.shape(pool)[0]
    images = tf.cast(images, pool.dtype)
    order = tf.range(tf.shape(images)[0])
    filling = count + order < size  # the first `size - count` images fill the empty rows
    swap = tf.logical_and(tf.logical_not(filling), uniforms > 0.5)
    store = tf.logical_or(filling, swap)
    slot = tf.where(filling, count + order, indices)  # the row each image reads or writes
    # An image that swaps reads its row as the images before it in this batch left it: the newest of
    # them that stored into that row, else the row as it was.
    earlier = tf.logical_and(
        tf.equal(slot[:, None], slot[None, :]),
        tf.logical_and(store[None, :], order[None, :] < order[:, None]),
    )
    writer = tf.reduce_max(tf.where(earlier, order[None, :], -1), axis=1)
    read = tf.where(
        _rows(writer >= 0, images), tf.gather(images, tf.maximum(writer, 0)), tf.gather(pool, slot)
    )
    returned = tf.where(_rows(swap, images), read, images)
    # Each row ends holding the newest image stored into it.
    writes = tf.logical_and(tf.equal(tf.range(size)[:, None], slot[None, :]), store[None, :])
    last = tf.reduce_max(tf.where(writes, order[None, :], -1), axis=1)
    pool = tf.where(_rows(last >= 0, pool), tf.gather(images, tf.maximum(last, 0)), pool)
    return returned, pool, tf.minimum(size, count + tf.shape(images)[0])


def _rows(mask, like):
    """`[n]` booleans shaped to select whole rows of `like`."""
    return tf.reshape(mask, [-1] + [1] * (like.shape.rank - 1))
