"""SpectralNormalization against numpy.linalg.svd, under a strategy, and through saving."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.layers import SpectralNormalization


def _sigma_max(kernel):
    return np.linalg.svd(np.reshape(kernel, [-1, kernel.shape[-1]]), compute_uv=False)[0]


@pytest.mark.parametrize(
    "inner,shape",
    [
        (lambda: keras.layers.Dense(7), (3, 5)),
        (lambda: keras.layers.Conv2D(6, 3, padding="same"), (2, 8, 8, 4)),
    ],
)
def test_twenty_power_iterations_normalize_to_one(inner, shape):
    # Power iteration converges at the rate (σ2/σ1)^2 per step. Give the kernel
    # a known spectrum (σ1 = 3, the rest <= 1.5) so that 20 steps must suffice.
    keras.utils.set_random_seed(0)
    layer = SpectralNormalization(inner())
    x = tf.random.normal(shape)
    layer(x)
    kernel = layer.layer.kernel
    w = np.reshape(kernel.numpy(), [-1, kernel.shape[-1]])
    u_, s, vt = np.linalg.svd(w, full_matrices=False)
    s = np.linspace(1.5, 0.5, len(s))
    s[0] = 3.0
    kernel.assign(np.reshape(u_ @ np.diag(s) @ vt, kernel.shape))
    for _ in range(20):
        layer(x, training=True)
    normalized = layer.normalized_kernel().numpy()
    assert _sigma_max(normalized) == pytest.approx(1.0, rel=0.01)
    # The parameter itself is left as it is (unlike keras.layers.SpectralNormalization).
    assert _sigma_max(layer.layer.kernel.numpy()) == pytest.approx(3.0, rel=1e-5)


def test_random_kernel_converges_with_more_iterations():
    keras.utils.set_random_seed(0)
    layer = SpectralNormalization(keras.layers.Dense(7), power_iterations=10)
    x = tf.random.normal((3, 5))
    layer(x)
    for _ in range(30):  # 300 iterations: random kernels can have σ2 close to σ1
        layer(x, training=True)
    assert _sigma_max(layer.normalized_kernel().numpy()) == pytest.approx(1.0, rel=0.01)


def test_forward_uses_normalized_kernel_and_gradients_flow_through_sigma():
    keras.utils.set_random_seed(1)
    layer = SpectralNormalization(keras.layers.Dense(4, use_bias=False))
    x = tf.random.normal((2, 3))
    layer(x)
    np.testing.assert_allclose(
        layer(x), x.numpy() @ layer.normalized_kernel().numpy(), rtol=1e-5, atol=1e-6
    )
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(layer(x))
    grad = tape.gradient(y, layer.layer.kernel)
    # d(sum(x W/σ))/dW includes the σ term, so it differs from x-only gradient / σ.
    naive = np.tile(x.numpy().sum(0)[:, None], (1, 4)) / float(
        _sigma_max(layer.layer.kernel.numpy())
    )
    assert np.max(np.abs(grad.numpy() - naive)) > 1e-4


def test_u_is_identical_on_replicas_and_saved(mirrored, tmp_path):
    keras.utils.set_random_seed(2)
    with mirrored.scope():
        inputs = keras.Input((5,))
        model = keras.Model(inputs, SpectralNormalization(keras.layers.Dense(3), name="sn")(inputs))
    dataset = tf.data.Dataset.from_tensor_slices(np.random.randn(8, 5).astype("float32")).batch(8)

    @tf.function
    def step(x):
        return model(x, training=True)

    before = model.get_layer("sn").u.numpy()
    for x in mirrored.experimental_distribute_dataset(dataset):
        mirrored.run(step, args=(x,))
    u = model.get_layer("sn").u
    values = mirrored.experimental_local_results(u.value)
    assert len(values) == 2
    np.testing.assert_array_equal(values[0].numpy(), values[1].numpy())
    assert not np.array_equal(before, values[0].numpy())
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(loaded.get_layer("sn").u.numpy(), values[0].numpy())


def test_rejects_unsupported_layers():
    with pytest.raises(ValueError, match="Received: Conv2DTranspose"):
        SpectralNormalization(keras.layers.Conv2DTranspose(3, 3))
    with pytest.raises(ValueError, match="power_iterations=0"):
        SpectralNormalization(keras.layers.Dense(3), power_iterations=0)


def test_embedding_table_is_normalized():
    keras.utils.set_random_seed(2)
    layer = SpectralNormalization(keras.layers.Embedding(10, 6), power_iterations=10)
    ids = tf.constant([0, 3, 9])
    layer(ids)
    for _ in range(30):
        layer(ids, training=True)
    table = layer.normalized_kernel().numpy()
    assert _sigma_max(table) == pytest.approx(1.0, rel=0.01)
    np.testing.assert_allclose(layer(ids).numpy(), table[[0, 3, 9]], rtol=1e-6)
