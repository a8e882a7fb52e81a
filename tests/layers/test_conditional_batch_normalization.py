"""ConditionalBatchNormalization: BatchNorm then a per-example affine map, global under replicas."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.layers import ConditionalBatchNormalization


def _layer_with_maps(spectral_norm=False):
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, size=(8, 3, 3, 4)).astype(np.float32)
    c = rng.normal(size=(8, 5)).astype(np.float32)
    layer = ConditionalBatchNormalization(spectral_norm=spectral_norm, epsilon=1e-3)
    layer([x, c])
    for dense in (layer.gain, layer.bias):
        kernel = dense.layer.kernel if spectral_norm else dense.kernel
        kernel.assign(rng.normal(size=(5, 4)).astype(np.float32))
    return layer, x, c


def test_equals_batch_norm_then_per_example_affine():
    layer, x, c = _layer_with_maps()
    y = layer([x, c], training=True).numpy()
    normalized = (x - x.mean(axis=(0, 1, 2))) / np.sqrt(x.var(axis=(0, 1, 2)) + 1e-3)
    gain = 1.0 + c @ layer.gain.kernel.numpy()
    bias = c @ layer.bias.kernel.numpy()
    np.testing.assert_allclose(
        y, normalized * gain[:, None, None, :] + bias[:, None, None, :], rtol=1e-4, atol=1e-4
    )


def test_starts_as_plain_batch_norm():
    x = np.random.default_rng(1).normal(size=(6, 4)).astype(np.float32)
    c = np.eye(6, 3, dtype=np.float32)
    y = ConditionalBatchNormalization(epsilon=1e-3)([x, c], training=True).numpy()
    np.testing.assert_allclose(y, (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3), atol=1e-5)


def test_inference_uses_moving_statistics():
    layer, x, c = _layer_with_maps()
    layer([x, c], training=True)
    y = layer([x, c], training=False).numpy()
    bn = layer.normalize
    normalized = (x - bn.moving_mean.numpy()) / np.sqrt(bn.moving_variance.numpy() + 1e-3)
    gain, bias = 1 + c @ layer.gain.kernel.numpy(), c @ layer.bias.kernel.numpy()
    expected = normalized * gain[:, None, None] + bias[:, None, None]
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-4)


def test_spectral_norm_divides_the_maps_by_sigma():
    layer, x, c = _layer_with_maps(spectral_norm=True)
    for _ in range(30):
        layer([x, c], training=True)
    np.testing.assert_allclose(
        np.linalg.svd(layer.gain.normalized_kernel().numpy(), compute_uv=False)[0], 1.0, rtol=1e-3
    )


def test_two_replicas_equal_one(mirrored):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(8, 2, 2, 4)).astype(np.float32)
    x[4:] += 4.0  # the second replica's half has another mean
    c = rng.normal(size=(8, 3)).astype(np.float32)
    single = ConditionalBatchNormalization(epsilon=1e-3)
    single([x, c])
    with mirrored.scope():
        replicated = ConditionalBatchNormalization(epsilon=1e-3)
        replicated([x, c])
    for layer in (single, replicated):
        layer.gain.kernel.assign(np.full((3, 4), 0.3, np.float32))
        layer.bias.kernel.assign(np.full((3, 4), -0.2, np.float32))
    expected = single([x, c], training=True).numpy()
    dist = mirrored.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices((x, c)).batch(8)
    )
    out = mirrored.run(
        tf.function(lambda v, w: replicated([v, w], training=True)), args=next(iter(dist))
    )
    got = np.concatenate([t.numpy() for t in mirrored.experimental_local_results(out)])
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_round_trip(tmp_path):
    x_in, c_in = keras.Input((4,)), keras.Input((3,))
    cbn = ConditionalBatchNormalization(spectral_norm=True, momentum=0.5, name="cbn")
    model = keras.Model([x_in, c_in], cbn([x_in, c_in]))
    rng = np.random.default_rng(0)
    x, c = (
        tf.constant(rng.normal(size=(4, 4)), tf.float32),
        tf.constant(rng.normal(size=(4, 3)), tf.float32),
    )
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    layer = loaded.get_layer("cbn")
    assert layer.spectral_norm and layer.momentum == 0.5
    np.testing.assert_allclose(loaded([x, c]).numpy(), model([x, c]).numpy(), atol=1e-6)
