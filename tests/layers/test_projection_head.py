"""ProjectionHead: ψ(φ) + ⟨embed(y), φ⟩, spectrally normalized when asked."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.layers import ProjectionHead


@pytest.mark.parametrize("spectral_norm", [False, True])
def test_equals_formula(spectral_norm):
    rng = np.random.default_rng(0)
    features = tf.constant(rng.normal(size=(5, 6)).astype(np.float32))
    labels = tf.constant([0, 2, 1, 2, 0], tf.int32)
    head = ProjectionHead(3, spectral_norm=spectral_norm)
    out = head([features, labels]).numpy()
    if spectral_norm:
        w, b = head.linear.normalized_kernel().numpy(), head.linear.layer.bias.numpy()
        table = head.embed.normalized_kernel().numpy()
    else:
        w, b, table = (
            head.linear.kernel.numpy(),
            head.linear.bias.numpy(),
            head.embed.embeddings.numpy(),
        )
    expected = (
        features.numpy() @ w
        + b
        + np.sum(table[labels.numpy()] * features.numpy(), axis=1, keepdims=True)
    )
    assert out.shape == (5, 1)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_bad_num_classes():
    with pytest.raises(
        ValueError, match="num_classes must be a positive integer. Received: num_classes=0"
    ):
        ProjectionHead(0)


def test_round_trip(tmp_path):
    f_in, y_in = keras.Input((6,)), keras.Input((), dtype="int32")
    model = keras.Model([f_in, y_in], ProjectionHead(4, name="head")([f_in, y_in]))
    f, y = (
        tf.constant(np.random.default_rng(0).normal(size=(3, 6)), tf.float32),
        tf.constant([3, 0, 1]),
    )
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.get_layer("head").num_classes == 4
    np.testing.assert_allclose(loaded([f, y]).numpy(), model([f, y]).numpy(), atol=1e-6)
