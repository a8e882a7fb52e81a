"""ReferenceBatch / StripReference: virtual batch normalization wired into a generator."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.layers import ReferenceBatch, StripReference
from tests.harness import (
    assert_same_networks,
    build_tiny,
    fit_single_and_mirrored,
    synthetic_dataset,
)


def test_reference_rows_are_prepended_fixed_and_stripped():
    layer = ReferenceBatch(3, seed=5)
    x = np.ones((2, 4), np.float32)
    out = layer(x).numpy()
    assert out.shape == (5, 4)
    np.testing.assert_array_equal(out[3:], x)
    np.testing.assert_array_equal(layer(2 * x).numpy()[:3], out[:3])  # the same rows every call
    assert not layer.trainable_weights and layer.non_trainable_weights
    np.testing.assert_array_equal(StripReference(3)(out).numpy(), x)
    with pytest.raises(
        ValueError, match="reference_size must be a positive integer. Received: reference_size=0"
    ):
        ReferenceBatch(0)


def test_a_vbn_generator_draws_each_sample_independently_of_its_batch():
    model = build_tiny("dcgan-mnist", vbn_reference=4)
    layers = {type(layer).__name__ for layer in model.generator.layers}
    assert {"ReferenceBatch", "VirtualBatchNormalization", "StripReference"} <= layers
    assert "SyncBatchNormalization" not in layers
    z = tf.random.stateless_normal([6, model.latent_dim], [1, 2])
    together = model.generator(z, training=True).numpy()
    alone = np.concatenate([model.generator(z[i : i + 1], training=True).numpy() for i in range(6)])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    with pytest.raises(ValueError, match="vbn_reference needs an unconditional generator"):
        build_tiny("cgan-mnist", vbn_reference=4)


def test_a_vbn_generator_trains_keeps_its_reference_and_round_trips(tmp_path):
    model = build_tiny("dcgan-mnist", vbn_reference=4)
    reference = model.generator.get_layer("reference_batch").reference.numpy()
    model.fit(synthetic_dataset(model, 8, 2), epochs=1, verbose=0)
    np.testing.assert_array_equal(
        model.generator.get_layer("reference_batch").reference.numpy(), reference
    )
    model.save(tmp_path / "vbn.keras")
    loaded = keras.models.load_model(tmp_path / "vbn.keras")
    np.testing.assert_array_equal(
        loaded.generator.get_layer("reference_batch").reference.numpy(), reference
    )
    np.testing.assert_allclose(loaded.generate(5, seed=3), model.generate(5, seed=3), atol=1e-6)


def test_a_vbn_generator_gives_the_same_update_on_two_replicas(mirrored, float64_policy):
    sgd = {"class_name": "SGD", "config": {"learning_rate": 0.01}}
    single, multi, h1, h2 = fit_single_and_mirrored(
        "dcgan-mnist", mirrored, 8, 2, g_optimizer=sgd, d_optimizer=sgd, vbn_reference=4
    )
    assert_same_networks(single, multi)
    for key in h1:
        np.testing.assert_allclose(h1[key], h2[key], rtol=1e-4, atol=1e-5, err_msg=key)
