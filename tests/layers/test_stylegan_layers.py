"""StyleGAN's layers: equalized learning rate, AdaIN, noise, constant input, minibatch stddev,
mapping."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.layers import (
    AdaIN,
    ConstantInput,
    EqualizedConv2D,
    EqualizedDense,
    MappingNetwork,
    MinibatchStdDev,
    NoiseInjection,
)


def test_equalized_dense_scales_its_weights_at_run_time():
    keras.utils.set_random_seed(0)
    layer = EqualizedDense(2000, lr_multiplier=0.01, bias_init=1.0)
    x = np.random.default_rng(0).normal(size=(3, 50)).astype(np.float32)
    y = layer(x).numpy()
    kernel, bias = layer.kernel.numpy(), layer.bias.numpy()
    assert kernel.std() == pytest.approx(100.0, rel=0.05)  # stored N(0, 1/λ²)
    # the effective bias starts at bias_init
    np.testing.assert_allclose(bias * 0.01, 1.0, rtol=1e-6)
    np.testing.assert_allclose(
        y, x @ (kernel * math.sqrt(2.0) / math.sqrt(50) * 0.01) + bias * 0.01, rtol=1e-4, atol=1e-4
    )


def test_equalized_conv_scales_its_kernel_at_run_time():
    layer = EqualizedConv2D(4, 3, gain=1.0)
    x = np.random.default_rng(1).normal(size=(2, 5, 5, 3)).astype(np.float32)
    y = layer(x).numpy()
    expected = (
        tf.nn.conv2d(x, layer.kernel.numpy() / math.sqrt(27.0), 1, "SAME").numpy()
        + layer.bias.numpy()
    )
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)


def test_adain_gives_each_map_the_style_mean_and_std():
    rng = np.random.default_rng(2)
    x = rng.normal(3.0, 2.0, size=(2, 6, 6, 4)).astype(np.float32)
    w = rng.normal(size=(2, 5)).astype(np.float32)
    layer = AdaIN(epsilon=1e-12)
    y = layer([x, w]).numpy()
    scale, bias = (t.numpy() for t in layer.styles(w))
    np.testing.assert_allclose(y.mean(axis=(1, 2)), bias, atol=1e-4)
    np.testing.assert_allclose(y.std(axis=(1, 2)), np.abs(scale), rtol=1e-4)


def test_a_float64_adain_normalizes_in_float64():
    # A nearly constant map (StyleGAN's first layer at initialization: the constant plus a little
    # noise) has variance ~1e-10, so 1/sqrt(variance + 1e-8) is ~1e4: a float32 round trip here
    # showed as 1e-4 differences between 1 and 2 replicas.
    rng = np.random.default_rng(3)
    x = 1.0 + 1e-5 * rng.normal(size=(2, 4, 4, 3))
    w = rng.normal(size=(2, 5))
    layer = AdaIN(dtype="float64")
    y = layer([x, w]).numpy()
    scale, bias = (t.numpy() for t in layer.styles(w))
    mean, variance = x.mean(axis=(1, 2), keepdims=True), x.var(axis=(1, 2), keepdims=True)
    expected = (x - mean) / np.sqrt(variance + 1e-8) * scale[:, None, None] + bias[:, None, None]
    assert y.dtype == np.float64
    np.testing.assert_allclose(y, expected, rtol=1e-9, atol=1e-12)


def test_noise_starts_off_and_scales_per_channel():
    x = np.zeros((1, 2, 2, 3), np.float32)
    noise = np.ones((1, 2, 2, 1), np.float32)
    layer = NoiseInjection()
    np.testing.assert_array_equal(layer([x, noise]).numpy(), x)
    layer.strength.assign([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(layer([x, noise]).numpy()[0, 0, 0], [1.0, 2.0, 3.0])


def test_constant_input_repeats_per_example():
    out = ConstantInput(4, 3)(np.zeros((5, 7), np.float32)).numpy()
    assert out.shape == (5, 4, 4, 3) and np.all(out == 1.0)


def _stddev_numpy(x, g):
    n = len(x)
    m = n // g
    out = np.zeros(n)
    for group in range(m):
        members = x[group::m]  # example i belongs to group i mod M
        out[group::m] = np.sqrt(members.var(axis=0) + 1e-8).mean()
    return out


def test_minibatch_stddev_matches_numpy_and_two_replicas(mirrored):
    x = np.random.default_rng(3).normal(size=(8, 2, 2, 3)).astype(np.float32)
    y = MinibatchStdDev(group_size=4)(x).numpy()
    np.testing.assert_allclose(y[..., :3], x)
    np.testing.assert_allclose(y[:, 0, 0, 3], _stddev_numpy(x, 4), rtol=1e-5)
    layer = MinibatchStdDev(group_size=4)
    dist = mirrored.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices(x).batch(8))
    out = mirrored.run(tf.function(lambda v: layer(v)), args=(next(iter(dist)),))
    got = np.concatenate([t.numpy() for t in mirrored.experimental_local_results(out)])
    np.testing.assert_allclose(got, y, rtol=1e-5, atol=1e-6)


def test_mapping_network_normalizes_z_first():
    layer = MappingNetwork(6, depth=2)
    z = np.random.default_rng(4).normal(size=(3, 5)).astype(np.float32)
    np.testing.assert_allclose(layer(z).numpy(), layer(10.0 * z).numpy(), rtol=1e-5, atol=1e-6)
    assert len(layer.dense) == 2 and layer.dense[0].lr_multiplier == 0.01


@pytest.mark.parametrize(
    "layer",
    [
        EqualizedDense(3, lr_multiplier=0.1),
        EqualizedConv2D(3, 1),
        AdaIN(),
        ConstantInput(4, 2),
        MinibatchStdDev(2),
        MappingNetwork(4, depth=1),
    ],
)
def test_configs_round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
