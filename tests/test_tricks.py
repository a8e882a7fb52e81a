"""The training tricks of Salimans et al. 2016 as options: feature matching, minibatch
discrimination,
historical averaging, one-sided label smoothing; two time-scale learning rates."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import losses, regularizers, zoo
from keras_gan.checkpoints import Checkpoints
from tests.harness import (
    assert_same_networks,
    build_tiny,
    fit_single_and_mirrored,
    synthetic_dataset,
)


def test_feature_matching_loss_matches_numpy():
    rng = np.random.default_rng(0)
    real, fake = (
        rng.normal(size=(6, 2, 3)).astype(np.float32),
        rng.normal(1.0, 1.0, size=(4, 2, 3)).astype(np.float32),
    )
    expected = np.mean((real.reshape(6, -1).mean(0) - fake.reshape(4, -1).mean(0)) ** 2)
    assert float(losses.feature_matching_loss(real, fake)) == pytest.approx(expected, rel=1e-5)


def test_feature_matching_replaces_the_generator_loss_with_the_named_layer():
    model = build_tiny("dcgan-mnist", feature_matching="features")
    rng = np.random.default_rng(1)
    real, fake = (tf.constant(rng.uniform(-1, 1, (4, 28, 28, 1)), tf.float32) for _ in range(2))
    batch = type("B", (), {"real": real, "fake": fake, "real_labels": None, "fake_labels": None})()
    features = keras.Model(
        model.discriminator.inputs, model.discriminator.get_layer("features").output
    )
    expected = losses.feature_matching_loss(
        features(real, training=True), features(fake, training=True)
    )
    assert float(model.generator_loss(batch)) == pytest.approx(float(expected), rel=1e-5)
    with pytest.raises(ValueError, match="has none called 'nope'"):
        build_tiny("dcgan-mnist", feature_matching="nope")


@pytest.mark.parametrize(
    "overrides",
    [{"feature_matching": "features"}, {"minibatch_kernels": 3}, {"historical_weight": 0.5}],
)
def test_tricks_give_the_same_update_on_two_replicas(overrides, mirrored, float64_policy):
    sgd = {"class_name": "SGD", "config": {"learning_rate": 0.01}}
    single, multi, h1, h2 = fit_single_and_mirrored(
        "dcgan-mnist", mirrored, 8, 2, g_optimizer=sgd, d_optimizer=sgd, **overrides
    )
    assert_same_networks(single, multi)
    for key in h1:
        np.testing.assert_allclose(h1[key], h2[key], rtol=1e-4, atol=1e-5, err_msg=key)


def test_historical_averaging_follows_its_rule_and_survives_a_checkpoint(tmp_path):
    model = build_tiny("gan-ring8", historical_weight=0.1)
    model.compile(g_optimizer=keras.optimizers.SGD(0.05), d_optimizer=keras.optimizers.SGD(0.05))
    variables, averages, count = model._history["discriminator"]
    seen = []
    data = synthetic_dataset(model, 8, 3)
    for element in data:
        seen.append([v.numpy().copy() for v in variables])  # the values before this step's D update
        model.fit(tf.data.Dataset.from_tensors(element), epochs=1, verbose=0)
    assert float(count.numpy()) == 3
    for got, *values in zip(averages, *seen):
        np.testing.assert_allclose(got.numpy(), np.mean(values, axis=0), rtol=1e-5, atol=1e-7)
    penalty = float(regularizers.historical_averaging(variables, [a.numpy() for a in averages]))
    expected = sum(np.sum((v.numpy() - a.numpy()) ** 2) for v, a in zip(variables, averages))
    assert penalty == pytest.approx(expected, rel=1e-5) and penalty > 0
    Checkpoints(str(tmp_path / "ckpt")).save(model, model.step)
    restored = build_tiny("gan-ring8", historical_weight=0.1)
    restored.compile(g_optimizer=keras.optimizers.SGD(0.05), d_optimizer=keras.optimizers.SGD(0.05))
    Checkpoints(str(tmp_path / "ckpt")).restore(restored)
    for a, b in zip(averages, restored._history["discriminator"][1]):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert float(restored._history["generator"][2].numpy()) == 3


def test_label_smoothing_on_every_logistic_scheme():
    for name in ("infogan-mnist", "bigan-mnist"):
        assert build_tiny(name, real_label=0.9).real_label == 0.9
        with pytest.raises(ValueError, match=r"real_label must be in \(0, 1\]"):
            build_tiny(name, real_label=1.5)
    assert build_tiny("sngan-mnist", loss="non_saturating", real_label=0.9).real_label == 0.9
    with pytest.raises(ValueError, match="applies to loss='non_saturating'"):
        build_tiny("sngan-mnist", real_label=0.9)


def test_two_time_scale_rates_are_overrides():
    model = zoo.build(
        "dcgan-mnist",
        **zoo.spec("dcgan-mnist").tiny,
        g_learning_rate=1e-4,
        d_learning_rate=4e-4,
        lr_decay=None,
    )
    assert float(model.g_optimizer.learning_rate) == pytest.approx(1e-4)
    assert float(model.d_optimizer.learning_rate) == pytest.approx(4e-4)


def test_packing_concatenates_consecutive_examples_on_the_last_axis():
    points = build_tiny("gan-ring8", pack=3)
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    np.testing.assert_array_equal(points.pack_examples(tf.constant(x)).numpy(), x.reshape(2, 6))
    images = build_tiny("dcgan-mnist", pack=2)
    x = np.random.default_rng(0).normal(size=(4, 28, 28, 1)).astype(np.float32)
    # pack i = [x_2i, x_2i+1] on the channels
    expected = np.concatenate([x[0::2], x[1::2]], axis=-1)
    np.testing.assert_array_equal(images.pack_examples(tf.constant(x)).numpy(), expected)
    assert images.discriminator.inputs[0].shape[1:] == (28, 28, 2) and images.data_spec().shape[
        1:
    ] == (28, 28, 1)


def test_packed_discriminator_sees_packs_of_real_and_of_fake_examples():
    model = build_tiny("gan-ring8", pack=2)
    seen = []
    inner = model.discriminator

    def spy(inputs, training=False):
        seen.append(inputs.shape)
        return inner(inputs, training=training)

    model.discriminate = lambda inputs, training=True: tf.cast(spy(inputs, training), tf.float32)
    model.fit(synthetic_dataset(model, 8, 1), epochs=1, verbose=0)
    # 8 points per update -> 4 packs of 2 points
    assert seen and all(tuple(s) == (4, 4) for s in seen)
    history = model.fit(synthetic_dataset(model, 8, 2), epochs=1, verbose=0).history
    assert np.isfinite(history["d_loss"][-1])


def test_packing_gives_the_same_update_on_two_replicas(mirrored, float64_policy):
    sgd = {"class_name": "SGD", "config": {"learning_rate": 0.01}}
    single, multi, h1, h2 = fit_single_and_mirrored(
        "gan-ring8", mirrored, 8, 2, g_optimizer=sgd, d_optimizer=sgd, pack=2
    )
    assert_same_networks(single, multi)
    for key in h1:
        np.testing.assert_allclose(h1[key], h2[key], rtol=1e-4, atol=1e-5, err_msg=key)


def test_packing_errors_name_the_problem():
    from keras_gan.models import GAN
    from keras_gan.zoo.networks.mlp import mlp_discriminator, mlp_generator

    with pytest.raises(
        ValueError,
        match=r"takes 2 samples of shape \(2,\) concatenated on the last axis, \(4,\). "
        r"Received a discriminator taking \(2,\)",
    ):
        GAN(mlp_generator(), mlp_discriminator(), pack=2)
    with pytest.raises(ValueError, match="pack must be an int >= 1. Received: pack=0"):
        GAN(mlp_generator(), mlp_discriminator(), pack=0)
    with pytest.raises(ValueError, match="class-conditional models"):
        build_tiny("cgan-mnist", pack=2)
    with pytest.raises(ValueError, match="MEG scores single examples"):
        build_tiny("meg-ring8", pack=2)
    model = build_tiny("gan-ring8", pack=3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="multiple of 3 examples per replica"):
        model.pack_examples(tf.zeros([4, 2]))
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(model))
    assert restored.pack == 3
