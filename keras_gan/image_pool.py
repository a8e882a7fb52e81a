"""CycleGAN's history of generated images, as a pure function of the pool's state.

The discriminators of CycleGAN are updated on a mix of the newest generated
images and older ones, which keeps the generator from exploiting a
discriminator that only remembers the last batch (Shrivastava et al. 2017).
`query_pool` is the authors' `ImagePool.query` (junyanz/pytorch-CycleGAN-and-
pix2pix, `util/image_pool.py`) with its random draws passed in, so that the
model can draw them from a stateless seed for the global batch.
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
    batch = tf.shape(images)[0]

    def body(i, pool, count, returned):
        image = images[i]
        filling = count < size
        swap = tf.logical_and(tf.logical_not(filling), uniforms[i] > 0.5)
        slot = tf.where(filling, count, indices[i])
        out = tf.where(swap, pool[slot], image)
        store = tf.logical_or(filling, swap)
        pool = tf.cond(store, lambda: tf.tensor_scatter_nd_update(pool, [[slot]], image[None]), lambda: pool)
        return i + 1, pool, count + tf.cast(filling, tf.int32), returned.write(i, out)

    returned = tf.TensorArray(pool.dtype, size=batch, element_shape=images.shape[1:])
    _, pool, count, returned = tf.while_loop(lambda i, *_: i < batch, body, (0, pool, count, returned))
    return returned.stack(), pool, count
