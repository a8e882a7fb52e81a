"""SAGAN and BigGAN: spectral norm checks, orthogonal regularization, EMA start, truncation,
standing statistics."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_gan
from keras_gan import losses, regularizers
from keras_gan.layers import SpectralNormalization, SyncBatchNormalization
from keras_gan.models import GAN, SAGAN
from keras_gan.models.biggan import orthogonal_kernels
from keras_gan.zoo.networks.mlp import mlp_discriminator, mlp_generator
from tests.harness import build_tiny, synthetic_dataset


def test_sagan_refuses_a_generator_without_spectral_norm():
    discriminator = build_tiny("sagan-mnist").discriminator
    generator = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(784, name="plain"),
            keras.layers.Reshape((28, 28, 1)),
        ]
    )
    with pytest.raises(
        ValueError, match="SAGAN needs a generator whose every weight layer .* these are not: plain"
    ):
        SAGAN(generator, discriminator)


def test_sagan_defaults_are_the_two_time_scale_rates():
    model = build_tiny("sagan-mnist")
    model.compile()
    assert float(model.g_optimizer.learning_rate) == pytest.approx(1e-4)
    assert float(model.d_optimizer.learning_rate) == pytest.approx(4e-4)
    assert float(model.d_optimizer.beta_1) == 0.0 and float(
        model.d_optimizer.beta_2
    ) == pytest.approx(0.9)


def test_orthogonal_kernels_skip_embeddings_and_cbn_maps():
    model = build_tiny("biggan-mnist")
    kernels = orthogonal_kernels(model.trained_generator)
    paths = [k.path for k in kernels]
    # the self-attention convolutions are G's kernels too
    assert any("attention" in p for p in paths)
    assert not any("shared" in p or "gain" in p or "bias/" in p for p in paths), paths
    sn_kernels = [
        layer.layer.kernel
        for layer in model.trained_generator._flatten_layers()
        if isinstance(layer, SpectralNormalization) and isinstance(layer.layer, keras.layers.Conv2D)
    ]
    assert {id(k) for k in sn_kernels} <= {id(k) for k in kernels}


def test_generator_loss_adds_beta_times_the_orthogonal_penalty():
    model = build_tiny("biggan-mnist", ortho_weight=0.5)
    expected_penalty = 0.0
    for kernel in orthogonal_kernels(model.trained_generator):
        w = kernel.numpy().reshape(-1, kernel.shape[-1])
        gram = w.T @ w
        expected_penalty += np.sum((gram * (1 - np.eye(len(gram)))) ** 2)
    fake_output = tf.constant([[0.5], [-1.0]])
    batch = type("B", (), {"fake_output": fake_output})()
    loss = float(model.generator_loss(batch))
    assert float(model.orthogonal_penalty()) == pytest.approx(expected_penalty, rel=1e-4)
    assert loss == pytest.approx(
        float(losses.hinge_generator_loss(fake_output)) + 0.5 * expected_penalty, rel=1e-4
    )
    assert float(regularizers.orthogonal_regularization(np.eye(3, dtype=np.float32))) == 0.0


def test_truncated_generate_and_signature_agree():
    model = build_tiny("biggan-mnist")
    z = model.sample_latents(50, 7, truncation=0.5).numpy()
    assert np.abs(z).max() <= 0.5
    images = model.generate(3, seed=1, labels=[0, 4, 9], truncation=0.5)
    out = model.serving_signatures()["truncation"].function(
        n=tf.constant(3),
        seed=tf.constant(1),
        threshold=tf.constant(0.5),
        label=tf.constant([0, 4, 9]),
    )
    np.testing.assert_array_equal(
        out["images"].numpy(), np.round((images + 1) * 127.5).clip(0, 255).astype(np.uint8)
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="threshold: must be at least"):
        model.serving_signatures()["truncation"].function(
            n=tf.constant(1),
            seed=tf.constant(1),
            threshold=tf.constant(0.0),
            label=tf.constant([0]),
        )


def test_truncation_needs_the_normal_prior():
    model = GAN(
        mlp_generator(latent_dim=2, width=4, depth=1),
        mlp_discriminator(width=4, depth=1),
        prior="uniform",
    )
    with pytest.raises(ValueError, match="truncation applies to the N\\(0, I\\) prior"):
        model.generate(4, seed=0, truncation=1.0)


def test_ema_copies_before_its_start_and_averages_after():
    model = GAN(
        mlp_generator(latent_dim=2, width=4, depth=1),
        mlp_discriminator(width=4, depth=1),
        ema_decay=0.5,
        ema_start=2,
    )
    model.compile(g_optimizer=keras.optimizers.SGD(0.1), d_optimizer=keras.optimizers.SGD(0.1))
    data = tf.data.Dataset.from_tensor_slices(
        np.random.default_rng(0).normal(size=(32, 2)).astype("float32")
    ).batch(8)
    expected = None
    for step in range(4):
        model.fit(data.skip(step).take(1), epochs=1, verbose=0)
        online = [w.numpy() for w in model.trained_generator.trainable_weights]
        ema = [w.numpy() for w in model.generator.trainable_weights]
        # update_ema runs at step index `step` (0-based): a copy before ema_start, the average
        # after.
        expected = online if step < 2 else [0.5 * e + 0.5 * o for e, o in zip(expected, online)]
        for got, want in zip(ema, expected):
            np.testing.assert_allclose(got, want, rtol=1e-6)
    assert model.step == 4


def _tiny_bn_model():
    z = keras.Input((2,))
    h = keras.layers.Dense(3, name="dense")(z)
    h = SyncBatchNormalization(name="bn")(h)
    out = SpectralNormalization(keras.layers.Dense(2), name="sn_out")(h)
    generator = keras.Model(z, out)
    return GAN(generator, mlp_discriminator(width=4, depth=1), ema_decay=0.9)


def test_standing_statistics_are_the_average_batch_moments():
    model = _tiny_bn_model()
    served = model.generator
    before = [v.numpy() for v in served.weights]
    names = keras_gan.standing_statistics(model, batches=3, batch_size=16, seed=4)
    assert names == ["bn"]
    kernel, bias = served.get_layer("dense").kernel.numpy(), served.get_layer("dense").bias.numpy()
    means, variances = [], []
    for k in range(3):
        h = model.sample_latents(16, 4 * 7919 + k).numpy() @ kernel + bias
        means.append(h.mean(0))
        variances.append(h.var(0))
    bn = served.get_layer("bn")
    np.testing.assert_allclose(bn.moving_mean.numpy(), np.mean(means, 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        bn.moving_variance.numpy(), np.mean(variances, 0), rtol=1e-5, atol=1e-6
    )
    statistics = {id(bn.moving_mean), id(bn.moving_variance)}
    # everything else as it was (the power-iteration vector too)
    for v, value in zip(served.weights, before):
        if id(v) not in statistics:
            np.testing.assert_array_equal(v.numpy(), value, err_msg=v.path)
    assert not bn.trainable and bn.momentum == 0.99


def test_standing_statistics_without_batch_norm_is_a_no_op():
    model = GAN(mlp_generator(latent_dim=2, width=4, depth=1), mlp_discriminator(width=4, depth=1))
    assert keras_gan.standing_statistics(model) == []
    assert not keras_gan.standing.needs_standing_statistics(model)
    assert keras_gan.standing.needs_standing_statistics(_tiny_bn_model())


def test_standing_statistics_where_needed_is_what_sample_and_evaluate_do():
    model, reference = _tiny_bn_model(), _tiny_bn_model()
    reference.generator.set_weights(model.generator.get_weights())
    assert keras_gan.standing.standing_statistics_where_needed(model, batch_size=8) is True
    keras_gan.standing_statistics(reference, batches=16, batch_size=8, seed=0)
    for got, want in zip(model.generator.weights, reference.generator.weights):
        np.testing.assert_array_equal(got.numpy(), want.numpy(), err_msg=got.path)
    assert np.abs(model.generator.get_layer("bn").moving_mean.numpy()).max() > 0
    plain = GAN(mlp_generator(latent_dim=2, width=4, depth=1), mlp_discriminator(width=4, depth=1))
    before = [w.numpy() for w in plain.generator.weights]
    assert keras_gan.standing.standing_statistics_where_needed(plain) is False
    for got, want in zip(plain.generator.weights, before):
        np.testing.assert_array_equal(got.numpy(), want)


def test_biggan_fits_and_serves_its_ema_generator():
    model = build_tiny("biggan-mnist")
    assert model.ema_decay == 0.999 and model.ema_start == 0
    history = model.fit(synthetic_dataset(model, 4, 2), epochs=1, verbose=0)
    assert history.history["g_ortho"][-1] > 0
    assert model.generator is not model.trained_generator
    assert set(model.serving_signatures()) == {
        "serving_default",
        "sample",
        "png",
        "truncation",
        "interpolate",
        "project",
    }


def test_export_and_metrics_callbacks_recompute_standing_statistics(tmp_path):
    from keras_gan import callbacks

    model = _tiny_bn_model()
    model.compile()
    bn = model.generator.get_layer("bn")
    callback = callbacks.ExportGenerator(
        str(tmp_path / "serving"), "tiny", standing_statistics=False
    )
    callback.set_model(model)
    callback.on_train_end()
    np.testing.assert_array_equal(bn.moving_mean.numpy(), 0.0)
    callback = callbacks.ExportGenerator(str(tmp_path / "serving"), "tiny")
    callback.set_model(model)
    callback.on_train_end()
    assert np.abs(bn.moving_mean.numpy()).max() > 0
    assert (tmp_path / "serving" / "tiny" / "1" / "saved_model.pb").exists()
