"""MinibatchDiscrimination: a NumPy loop, the same under 2 replicas, saving."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan.layers import MinibatchDiscrimination


def _numpy(features, kernel, b, c):
    m = (features @ kernel).reshape(len(features), b, c)
    out = np.zeros((len(features), b))
    for i in range(len(features)):
        for j in range(len(features)):
            out[i] += np.exp(-np.abs(m[i] - m[j]).sum(axis=-1))
    return np.concatenate([features, out], axis=1)


def test_matches_a_numpy_loop():
    features = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    layer = MinibatchDiscrimination(num_kernels=3, kernel_dim=2)
    out = layer(features).numpy()
    np.testing.assert_allclose(
        out, _numpy(features, layer.kernel.numpy(), 3, 2), rtol=1e-5, atol=1e-6
    )
    assert out.shape == (5, 7)


def test_two_replicas_see_the_global_batch(mirrored):
    features = np.random.default_rng(1).normal(size=(6, 4)).astype(np.float32)
    single = MinibatchDiscrimination(num_kernels=3, kernel_dim=2)
    single(features)
    with mirrored.scope():
        replicated = MinibatchDiscrimination(num_kernels=3, kernel_dim=2)
        replicated(features)
    replicated.kernel.assign(single.kernel.numpy())
    dist = mirrored.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices(features).batch(6)
    )
    out = mirrored.run(tf.function(lambda x: replicated(x)), args=(next(iter(dist)),))
    got = np.concatenate([t.numpy() for t in mirrored.experimental_local_results(out)])
    np.testing.assert_allclose(got, single(features).numpy(), rtol=1e-5, atol=1e-6)


def test_round_trip(tmp_path):
    inputs = keras.Input((4,))
    model = keras.Model(inputs, MinibatchDiscrimination(2, 3, name="mbd")(inputs))
    x = tf.constant(np.random.default_rng(2).normal(size=(3, 4)), tf.float32)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.get_layer("mbd").kernel_dim == 3
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), atol=1e-6)
