"""The VGG16 feature loss of projection (LPIPS's layers, uniform weights): the formula against
NumPy on the same network, projection with it, and a clear error without weights."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import perceptual, projection
from tests.harness import build_tiny


def _lpips_uniform_numpy(outputs_x, outputs_y):
    total = 0.0
    for fx, fy in zip(outputs_x, outputs_y):
        fx = fx / (np.sqrt((fx**2).sum(-1, keepdims=True)) + 1e-10)
        fy = fy / (np.sqrt((fy**2).sum(-1, keepdims=True)) + 1e-10)
        total = total + ((fx - fy) ** 2).sum(-1).mean(axis=(1, 2))
    return total


def test_vgg16_features_give_lpips_with_uniform_weights():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (2, 16, 16, 1)).astype(np.float32)  # small and grey: enlarged, tiled
    y = np.clip(x + rng.normal(0, 0.3, x.shape), -1, 1).astype(np.float32)
    keras.utils.set_random_seed(0)
    features = perceptual.vgg16_features(weights=None)
    ours = tf.reduce_mean(tf.square(features(x) - features(y)), axis=-1).numpy()
    keras.utils.set_random_seed(0)  # the same random weights again
    base = keras.applications.VGG16(include_top=False, weights=None)
    net = keras.Model(base.input, [base.get_layer(n).output for n in perceptual.LAYERS])

    def outputs(images):
        images = tf.image.resize(np.tile(images, (1, 1, 1, 3)), (64, 64), method="bilinear")
        return [
            o.numpy() for o in net(keras.applications.vgg16.preprocess_input((images + 1) * 127.5))
        ]

    expected = _lpips_uniform_numpy(outputs(x), outputs(y))
    np.testing.assert_allclose(ours, expected, rtol=1e-4)
    assert (expected > 0).all()
    np.testing.assert_allclose(
        tf.reduce_mean(tf.square(features(x) - features(x)), axis=-1).numpy(), 0.0, atol=1e-12
    )


def test_projection_with_the_vgg16_loss_lowers_it():
    keras.utils.set_random_seed(0)
    model = build_tiny("dcgan-digits")
    x = model.space_decoder("z")(np.asarray(model.sample_latents(4, 1))).numpy()
    features = perceptual.vgg16_features(weights=None)
    out = projection.project(model, x, steps=30, features=features, feature_weight=0.1)
    assert out["loss"].mean() < out["start_loss"].mean() / 2, (out["loss"], out["start_loss"])
    with pytest.raises(ValueError, match="features must be one of .*Received: 'lpips'"):
        projection.project(model, x, steps=1, features="lpips")


def test_missing_weights_say_what_is_needed(tmp_path):
    with pytest.raises(ValueError, match="VGG16's weights .* could not be loaded"):
        perceptual.vgg16_features(weights=str(tmp_path / "missing.h5"))
