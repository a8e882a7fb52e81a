"""SelfAttention2D: the identity at γ = 0, a NumPy reference otherwise, saving."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.layers import SelfAttention2D


def _softmax(a):
    e = np.exp(a - a.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _pool(a):  # [b, h, w, c] max-pooled 2x2
    b, h, w, c = a.shape
    return a.reshape(b, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def _reference(layer, x, pooling):
    kernel = {
        name: getattr(layer, name).kernel.numpy()[0, 0] for name in ("theta", "phi", "g", "o")
    }
    theta, phi, g = (x @ kernel[k] for k in ("theta", "phi", "g"))
    if pooling:
        phi, g = _pool(phi), _pool(g)
    b, h, w, c = x.shape
    beta = _softmax(theta.reshape(b, h * w, -1) @ phi.reshape(b, -1, c // 8).transpose(0, 2, 1))
    attended = (beta @ g.reshape(b, -1, c // 2)).reshape(b, h, w, c // 2)
    return x + float(layer.gamma.numpy()) * (attended @ kernel["o"])


def test_gamma_zero_is_the_identity():
    x = np.random.default_rng(0).normal(size=(2, 4, 4, 16)).astype(np.float32)
    np.testing.assert_array_equal(SelfAttention2D()(x).numpy(), x)


@pytest.mark.parametrize("pooling", [True, False])
def test_matches_numpy(pooling):
    x = np.random.default_rng(1).normal(size=(2, 4, 6, 16)).astype(np.float32)
    layer = SelfAttention2D(spectral_norm=False, pooling=pooling)
    layer(x)
    layer.gamma.assign(0.7)
    np.testing.assert_allclose(
        layer(x).numpy(), _reference(layer, x, pooling), rtol=1e-4, atol=1e-5
    )
    beta = layer.attention_map(x).numpy()
    assert beta.shape == (2, 24, 6 if pooling else 24)
    np.testing.assert_allclose(beta.sum(-1), 1.0, rtol=1e-5)


def test_spectral_norm_wraps_every_convolution():
    layer = SelfAttention2D(spectral_norm=True)
    layer(np.zeros((1, 4, 4, 16), np.float32))
    from keras_gan.layers import SpectralNormalization

    assert all(
        isinstance(getattr(layer, k), SpectralNormalization) for k in ("theta", "phi", "g", "o")
    )
    assert layer.theta.layer.bias is None


@pytest.mark.parametrize(
    "shape,match", [((1, 4, 4, 12), "divisible by 8"), ((1, 5, 4, 16), "even height")]
)
def test_bad_shapes_are_named(shape, match):
    with pytest.raises(ValueError, match=match):
        SelfAttention2D()(np.zeros(shape, np.float32))


def test_round_trip(tmp_path):
    inputs = keras.Input((4, 4, 16))
    model = keras.Model(inputs, SelfAttention2D(pooling=False, name="attention")(inputs))
    model.get_layer("attention").gamma.assign(0.3)
    x = tf.constant(np.random.default_rng(0).normal(size=(2, 4, 4, 16)).astype(np.float32))
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.get_layer("attention").pooling is False
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), atol=1e-6)
