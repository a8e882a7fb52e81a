"""DiffAugment: each transformation against a NumPy reference, and its use in the train step."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import augment
from keras_gan.augment import diff_augment, num_draws, parse_policy
from keras_gan.models import GAN
from tests.harness import (
    assert_same_networks,
    build_tiny,
    fit_single_and_mirrored,
    synthetic_dataset,
)

SGD = {"class_name": "SGD", "config": {"learning_rate": 0.05}}


def _images(batch=5, height=28, width=28, channels=1, seed=0):
    return (
        np.random.default_rng(seed)
        .uniform(-1, 1, (batch, height, width, channels))
        .astype(np.float32)
    )


def _uniforms(batch, k, seed=1):
    return np.random.default_rng(seed).uniform(0, 1, (batch, k)).astype(np.float32)


def _int(u, low, high):
    return min(int(np.floor(u * (high - low + 1))), high - low) + low


def numpy_translation(x, u):
    out = np.zeros_like(x)
    b, h, w, _ = x.shape
    sy, sx = int(h * 0.125 + 0.5), int(w * 0.125 + 0.5)
    for n in range(b):
        ty, tx = _int(u[n, 0], -sy, sy), _int(u[n, 1], -sx, sx)
        for i in range(h):
            for j in range(w):
                if 0 <= i - ty < h and 0 <= j - tx < w:
                    out[n, i, j] = x[n, i - ty, j - tx]
    return out


def numpy_cutout(x, u):
    out = x.copy()
    b, h, w, _ = x.shape
    cy, cx = int(h * 0.5 + 0.5), int(w * 0.5 + 0.5)
    for n in range(b):
        oy, ox = _int(u[n, 0], 0, h - cy % 2), _int(u[n, 1], 0, w - cx % 2)
        # The reference: indices arange(cut) + offset - cut // 2, clipped to the image.
        rows = np.clip(np.arange(cy) + oy - cy // 2, 0, h - 1)
        cols = np.clip(np.arange(cx) + ox - cx // 2, 0, w - 1)
        out[n][np.ix_(rows, cols)] = 0
    return out


@pytest.mark.parametrize("shape", [(5, 28, 28, 1), (3, 9, 12, 3)])
def test_translation_matches_numpy(shape):
    x, u = _images(*shape), _uniforms(shape[0], 2)
    np.testing.assert_array_equal(
        diff_augment(x, "translation", uniforms=u), numpy_translation(x, u)
    )


@pytest.mark.parametrize("shape", [(5, 28, 28, 1), (3, 9, 12, 3)])
def test_cutout_matches_numpy(shape):
    x, u = _images(*shape), _uniforms(shape[0], 2)
    np.testing.assert_array_equal(diff_augment(x, "cutout", uniforms=u), numpy_cutout(x, u))


def test_translation_and_cutout_closed_forms():
    x = np.zeros((1, 28, 28, 1), np.float32)
    x[0, 10, 12, 0] = 1.0
    # u = 0 shifts by -4 on both axes, u -> 1 by +4 (28 / 8 = 3.5 rounds to 4).
    low = diff_augment(x, "translation", uniforms=[[0.0, 0.0]]).numpy()
    high = diff_augment(x, "translation", uniforms=[[0.9999, 0.9999]]).numpy()
    assert low[0, 6, 8, 0] == 1.0 and low.sum() == 1.0
    assert high[0, 14, 16, 0] == 1.0 and high.sum() == 1.0
    # A centred cutout zeros exactly a 14 x 14 square.
    cut = diff_augment(np.ones((1, 28, 28, 1), np.float32), "cutout", uniforms=[[0.5, 0.5]]).numpy()
    assert (cut == 0).sum() == 14 * 14
    assert (cut[0, 7:21, 7:21] == 0).all()


def test_color_matches_closed_forms():
    x, u = _images(4, 6, 6, 3), _uniforms(4, 3)
    out = diff_augment(x, "color", uniforms=u).numpy()
    b = u[:, 0, None, None, None]
    s = u[:, 1, None, None, None]
    c = u[:, 2, None, None, None]
    expected = x + (b - 0.5)
    mean = expected.mean(axis=3, keepdims=True)
    expected = (expected - mean) * 2 * s + mean
    mean = expected.mean(axis=(1, 2, 3), keepdims=True)
    expected = (expected - mean) * (c + 0.5) + mean
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_policy_parsing_and_draws():
    assert parse_policy(None) == () and parse_policy("") == ()
    assert parse_policy("translation, cutout") == ("translation", "cutout")
    assert parse_policy(["color"]) == ("color",)
    assert num_draws("color,translation,cutout") == 7
    with pytest.raises(ValueError, match="'flip'"):
        parse_policy("translation,flip")
    x = _images(2)
    assert diff_augment(x, None) is x


def test_seeded_draws_are_deterministic_and_gradients_flow():
    x = tf.constant(_images(3))
    a = diff_augment(x, "translation,cutout", seed=[1, 2])
    np.testing.assert_array_equal(a, diff_augment(x, "translation,cutout", seed=[1, 2]))
    assert not np.array_equal(a, diff_augment(x, "translation,cutout", seed=[1, 3]))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(diff_augment(x, "cutout", uniforms=[[0.5, 0.5]] * 3))
    grad = tape.gradient(y, x).numpy()
    # The gradient is the keep-mask: 0 under the cut square, 1 elsewhere.
    np.testing.assert_array_equal(grad, numpy_cutout(np.ones_like(x.numpy()), np.full((3, 2), 0.5)))


def test_xla_compiled_augmentation_matches_eager():
    x, u = _images(3), _uniforms(3, num_draws("color,translation,cutout"))
    compiled = tf.function(
        lambda x, u: diff_augment(x, "color,translation,cutout", uniforms=u), jit_compile=True
    )
    np.testing.assert_allclose(
        compiled(x, u), diff_augment(x, "color,translation,cutout", uniforms=u), atol=1e-6
    )


class _Recording(GAN):
    """Keeps the real images the discriminator saw in its last update."""

    seen = None

    def discriminator_loss(self, batch):
        _Recording.seen = batch.real
        return super().discriminator_loss(batch)


def test_discriminator_sees_augmented_real_images():
    tiny = build_tiny("dcgan-mnist", augment="cutout")
    model = _Recording(tiny.trained_generator, tiny.discriminator, augment="cutout")
    model.compile(run_eagerly=True)
    batch = next(iter(synthetic_dataset(model, 4, 1)))
    model.train_on_batch(batch)
    seen = _Recording.seen.numpy()
    height = seen.shape[1]
    cut = int(height * augment.CUTOUT_RATIO + 0.5)
    for image, original in zip(seen, batch.numpy()):
        zeros = image == 0
        # one square (clipped at most in half per axis)...
        assert zeros.sum() >= (cut - cut // 2) ** 2
        np.testing.assert_array_equal(image[~zeros], original[~zeros])  # ...and the rest untouched


def test_augmented_model_two_replicas_equal_one(mirrored, float64_policy):
    overrides = {
        "augment": "color,translation,cutout",
        "g_optimizer": SGD,
        "d_optimizer": dict(SGD),
    }
    single, multi, _, _ = fit_single_and_mirrored("dcgan-digits", mirrored, 8, 3, **overrides)
    assert_same_networks(single, multi)


def test_augment_is_configured_and_checked():
    model = build_tiny("dcgan-digits", augment="translation,cutout")
    assert model.get_config()["augment"] == ["translation", "cutout"]
    assert type(model).from_config(model.get_config()).augment_policy == ("translation", "cutout")
    with pytest.raises(ValueError, match="needs image inputs"):
        build_tiny("gan-ring8", augment="translation")
    with pytest.raises(ValueError, match="'rotate'"):
        build_tiny("dcgan-digits", augment="rotate")
    with pytest.raises(ValueError, match="MEG.*augment='cutout'"):
        build_tiny("meg-stacked-mnist", augment="cutout")
