"""VirtualBatchNormalization: the reference batch's statistics and the example's own, nothing
else."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.layers import VirtualBatchNormalization


def test_matches_the_formula():
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, size=(7, 3, 3, 2)).astype(np.float32)
    r = 4
    out = VirtualBatchNormalization(r, epsilon=1e-5)(x).numpy()
    ref = x[:r]
    ref_mean, ref_sq = ref.mean(axis=(0, 1, 2)), (ref**2).mean(axis=(0, 1, 2))
    for i in range(r, 7):
        mean = x[i].mean(axis=(0, 1)) / (r + 1) + ref_mean * r / (r + 1)
        sq = (x[i] ** 2).mean(axis=(0, 1)) / (r + 1) + ref_sq * r / (r + 1)
        np.testing.assert_allclose(
            out[i], (x[i] - mean) / np.sqrt(sq - mean**2 + 1e-5), rtol=1e-4, atol=1e-4
        )
    np.testing.assert_allclose(
        out[:r], (ref - ref_mean) / np.sqrt(ref_sq - ref_mean**2 + 1e-5), rtol=1e-4, atol=1e-4
    )


def test_an_example_does_not_depend_on_its_minibatch():
    rng = np.random.default_rng(1)
    reference, example = rng.normal(size=(5, 4)), rng.normal(size=(1, 4))
    layer = VirtualBatchNormalization(5)
    alone = layer(np.concatenate([reference, example]).astype(np.float32)).numpy()[-1]
    others = rng.normal(10.0, 5.0, size=(6, 4))
    crowd = layer(np.concatenate([reference, others, example]).astype(np.float32)).numpy()[-1]
    np.testing.assert_allclose(crowd, alone, rtol=1e-5, atol=1e-6)


def test_bad_reference_size_and_round_trip(tmp_path):
    with pytest.raises(
        ValueError, match="reference_size must be a positive integer. Received: reference_size=0"
    ):
        VirtualBatchNormalization(0)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, VirtualBatchNormalization(2, name="vbn")(inputs))
    x = tf.constant(np.random.default_rng(2).normal(size=(4, 3)), tf.float32)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.get_layer("vbn").reference_size == 2
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), atol=1e-6)
