"""Alternating against simultaneous updates (`simultaneous=True`): the generator's gradient is
taken against the discriminator before the step's discriminator update."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.models import GAN, MEG, BiGAN, UnrolledGAN
from keras_gan.zoo.networks.mlp import mlp_discriminator, mlp_generator


def _gan(simultaneous, d_rate, model=GAN, **kwargs):
    keras.utils.set_random_seed(5)
    gan = model(
        mlp_generator(latent_dim=3, width=8, depth=2),
        mlp_discriminator(width=8, depth=2),
        simultaneous=simultaneous,
        seed=1,
        **kwargs,
    )
    gan.compile(
        g_optimizer=keras.optimizers.Adam(0.05, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(d_rate, beta_1=0.5),
    )
    return gan


def _steps(model, steps=2):
    x = np.random.default_rng(2).normal(size=(16 * steps, 2)).astype(np.float32)
    model.fit(tf.data.Dataset.from_tensor_slices(x).batch(16), epochs=1, verbose=0)
    return model.generator.get_weights(), model.discriminator.get_weights()


def _assert_equal(a, b):
    for u, v in zip(a, b):
        np.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-6)


def _differ(a, b):
    return max(float(np.max(np.abs(u - v))) for u, v in zip(a, b)) > 1e-3


@pytest.mark.parametrize("model", [GAN, UnrolledGAN])
def test_a_simultaneous_step_takes_the_generators_gradient_before_the_discriminators_update(
    model,
):
    """One step: D moves as in the alternating step; G moves as the alternating step's G would
    against a D that did not move (D's rate 0), and not as it does against the moved D."""
    kwargs = {"unroll_steps": 2, "unroll_learning_rate": 0.05} if model is UnrolledGAN else {}
    g_sim, d_sim = _steps(_gan(True, 0.05, model, **kwargs), steps=1)
    g_alt, d_alt = _steps(_gan(False, 0.05, model, **kwargs), steps=1)
    g_still, d_still = _steps(_gan(False, 0.0, model, **kwargs), steps=1)
    _assert_equal(d_sim, d_alt)
    _assert_equal(g_sim, g_still)
    assert _differ(g_sim, g_alt)
    assert _differ(d_sim, d_still)


def test_simultaneous_updates_round_trip_in_the_config():
    model = _gan(True, 0.05)
    assert model.get_config()["simultaneous"] is True
    clone = GAN.from_config(model.get_config())
    assert clone.simultaneous is True
    assert GAN.from_config(_gan(False, 0.05).get_config()).simultaneous is False


def test_schemes_with_their_own_train_step_refuse_simultaneous():
    generator = mlp_generator(latent_dim=2, width=4, depth=1)
    discriminator = mlp_discriminator(width=4, depth=1)
    with pytest.raises(ValueError, match="BiGAN has its own train_step"):
        BiGAN(generator, discriminator, None, simultaneous=True)
    with pytest.raises(ValueError, match="MEG has its own train_step"):
        MEG(discriminator, generator, mlp_discriminator(width=4, depth=1), simultaneous=True)
