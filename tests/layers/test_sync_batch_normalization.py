"""SyncBatchNormalization: exact statistics, global across replicas, stable, serializable."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.layers import SyncBatchNormalization


def test_training_output_matches_numpy_two_pass():
    x = np.random.default_rng(0).normal(3.0, 0.5, size=(8, 4, 4, 3)).astype(np.float32)
    layer = SyncBatchNormalization(epsilon=1e-3)
    y = layer(x, training=True).numpy()
    mean, var = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), atol=1e-5)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.01 * mean, rtol=1e-5)


def test_small_variance_beside_large_mean_is_not_cancelled():
    # One-pass E[x²] - E[x]² loses every digit here in float32.
    x = (1000.0 + 1e-2 * np.random.default_rng(1).normal(size=(64, 2))).astype(np.float32)
    layer = SyncBatchNormalization(epsilon=0.0)
    y = tf.function(lambda v: layer(v, training=True))(tf.constant(x)).numpy()
    expected = (x - x.astype(np.float64).mean(0)) / x.astype(np.float64).std(0)
    np.testing.assert_allclose(y, expected, atol=2e-2)
    assert np.std(y, axis=0) == pytest.approx([1.0, 1.0], rel=1e-2)


def test_statistics_span_replicas(mirrored):
    x = np.random.default_rng(2).normal(size=(8, 3)).astype(np.float32)
    x[4:] += 5.0  # the second replica's half has another mean
    with mirrored.scope():
        layer = SyncBatchNormalization(epsilon=1e-3)
        layer.build((None, 3))
    dist = mirrored.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices(x).batch(8))
    out = mirrored.run(tf.function(lambda v: layer(v, training=True)), args=(next(iter(dist)),))
    got = np.concatenate([t.numpy() for t in mirrored.experimental_local_results(out)])
    np.testing.assert_allclose(got, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3), atol=1e-5)


def test_round_trip(tmp_path):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, SyncBatchNormalization(momentum=0.5, name="bn")(inputs))
    model.save(tmp_path / "m.keras")
    layer = keras.models.load_model(tmp_path / "m.keras").get_layer("bn")
    assert (
        isinstance(layer, SyncBatchNormalization) and layer.momentum == 0.5 and layer.synchronized
    )
