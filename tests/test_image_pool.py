"""CycleGAN's image pool against the authors' `ImagePool.query`, run as a Python loop."""

import numpy as np
import tensorflow as tf

from keras_gan.image_pool import query_pool


def _reference(pool, count, images, uniforms, indices):
    """junyanz/pytorch-CycleGAN-and-pix2pix util/image_pool.py, with its draws given."""
    pool, out = [p.copy() for p in pool], []
    for image, u, j in zip(images, uniforms, indices):
        if count < len(pool):
            pool[count] = image
            count += 1
            out.append(image)
        elif u > 0.5:
            out.append(pool[j].copy())
            pool[j] = image
        else:
            out.append(image)
    return np.stack(out), np.stack(pool), count


def test_matches_the_reference_while_filling_and_when_full():
    rng = np.random.default_rng(0)
    size, pool, count = 5, np.zeros((5, 2, 2, 1), np.float32), 0
    for step in range(6):
        images = rng.normal(size=(3, 2, 2, 1)).astype(np.float32)
        uniforms = rng.uniform(size=3).astype(np.float32)
        indices = rng.integers(0, size, size=3).astype(np.int32)
        expected = _reference(pool, count, images, uniforms, indices)
        out, new_pool, new_count = query_pool(
            tf.constant(pool), tf.constant(count), images, uniforms, indices
        )
        np.testing.assert_array_equal(out.numpy(), expected[0])
        np.testing.assert_array_equal(new_pool.numpy(), expected[1])
        assert int(new_count) == expected[2] == min(size, 3 * (step + 1))
        pool, count = new_pool.numpy(), int(new_count)


def test_full_pool_returns_a_stored_image_half_of_the_time_and_never_grows():
    rng = np.random.default_rng(1)
    size = 50
    pool = tf.constant(rng.normal(size=(size, 1)).astype(np.float32))
    images = (100.0 + np.arange(4000, dtype=np.float32))[:, None]  # new images are >= 100
    uniforms = rng.uniform(size=4000).astype(np.float32)
    indices = rng.integers(0, size, size=4000).astype(np.int32)
    out, new_pool, count = query_pool(pool, tf.constant(size), images, uniforms, indices)
    returned_old = np.mean(out.numpy()[:, 0] != images[:, 0])
    assert abs(returned_old - 0.5) < 0.03  # 4000 Bernoulli(1/2): sd 0.008
    assert new_pool.shape == (size, 1) and int(count) == size


def test_images_that_share_a_row_in_one_batch_read_what_the_earlier_ones_stored_also_under_xla():
    rng = np.random.default_rng(2)
    # one row filled: a batch both fills and swaps
    size, pool, count = 2, np.zeros((2, 3), np.float32), 1
    spec = [
        tf.TensorSpec([size, 3]),
        tf.TensorSpec([], tf.int32),
        tf.TensorSpec([None, 3]),
        tf.TensorSpec([None]),
        tf.TensorSpec([None], tf.int32),
    ]
    compiled = tf.function(query_pool, input_signature=spec, jit_compile=True)
    for step in range(20):
        batch = int(rng.integers(1, 9))
        images = rng.normal(size=(batch, 3)).astype(np.float32)
        uniforms = rng.uniform(size=batch).astype(np.float32)
        indices = rng.integers(0, size, size=batch).astype(np.int32)
        expected = _reference(pool, count, images, uniforms, indices)
        for query in (query_pool, compiled):
            out, new_pool, new_count = query(
                tf.constant(pool), tf.constant(count), images, uniforms, indices
            )
            np.testing.assert_array_equal(out.numpy(), expected[0])
            np.testing.assert_array_equal(new_pool.numpy(), expected[1])
            assert int(new_count) == expected[2]
        pool, count = expected[1], expected[2]
