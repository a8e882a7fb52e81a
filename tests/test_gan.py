"""The GAN scheme: n_critic schedule, the strided split, options and their errors."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import losses
from keras_gan.models import GAN
from keras_gan.zoo.networks.mlp import mlp_discriminator, mlp_generator
from tests.harness import build_tiny, synthetic_dataset


def tiny_gan(**kwargs):
    return GAN(
        mlp_generator(latent_dim=2, width=4, depth=1), mlp_discriminator(width=4, depth=1), **kwargs
    )


@pytest.mark.parametrize("n_critic", [1, 3])
def test_n_critic_schedule(n_critic):
    model = tiny_gan()
    model.compile(n_critic=n_critic)
    model.fit(synthetic_dataset(model, 4, 5), epochs=1, verbose=0)
    assert int(model.g_optimizer.iterations) == 5
    assert int(model.d_optimizer.iterations) == 5 * n_critic


def test_each_critic_update_sees_its_own_strided_minibatch():
    seen = []

    class Spy(GAN):
        def discriminator_loss(self, batch):
            seen.append(batch.real)
            return super().discriminator_loss(batch)

    model = Spy(mlp_generator(latent_dim=2, width=4, depth=1), mlp_discriminator(width=4, depth=1))
    model.compile(n_critic=3, run_eagerly=True)
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    model.fit(tf.data.Dataset.from_tensor_slices(x).batch(6), epochs=1, verbose=0)
    assert [s.numpy()[:, 0].tolist() for s in seen] == [[0, 6], [2, 8], [4, 10]]


def test_losses_follow_options():
    real, fake = tf.constant([[0.3], [-1.2]]), tf.constant([[2.0], [-0.5]])
    from keras_gan.models.latent import StepBatch

    batch = StepBatch(None, None, real, fake, None, None, None, None)
    model = tiny_gan(generator_loss="minimax", real_label=0.9)
    assert float(model.discriminator_loss(batch)) == pytest.approx(
        float(losses.minimax_discriminator_loss(real, fake, 0.9))
    )
    assert float(model.generator_loss(batch)) == pytest.approx(
        float(losses.minimax_generator_loss(fake))
    )
    ls = tiny_gan(generator_loss="least_squares", discriminator_loss="least_squares")
    assert float(ls.discriminator_loss(batch)) == pytest.approx(
        float(losses.least_squares_discriminator_loss(real, fake))
    )
    ml = tiny_gan(generator_loss="maximum_likelihood")
    assert float(ml.generator_loss(batch)) == pytest.approx(
        float(losses.maximum_likelihood_generator_loss(fake))
    )


def test_bad_options_are_named():
    with pytest.raises(ValueError, match="generator_loss='hinge'"):
        tiny_gan(generator_loss="hinge")
    with pytest.raises(ValueError, match="discriminator_loss='wasserstein'"):
        tiny_gan(discriminator_loss="wasserstein")
    with pytest.raises(ValueError, match="label smoothing"):
        tiny_gan(generator_loss="least_squares", discriminator_loss="least_squares", real_label=0.9)
    model = tiny_gan()
    with pytest.raises(ValueError, match="n_critic=0"):
        model.compile(n_critic=0)
    with pytest.raises(ValueError, match="seed="):
        tiny_gan(seed=-1)


def test_conditional_model_needs_labels():
    model = build_tiny("cgan-mnist")
    x = np.zeros((8, 28, 28, 1), np.float32)
    with pytest.raises(ValueError, match="needs \\(images, labels\\) batches"):
        model.fit(tf.data.Dataset.from_tensor_slices(x).batch(8), epochs=1, verbose=0)


def test_conditional_generate_checks_labels():
    model = build_tiny("cgan-mnist")
    assert model.generate(4, seed=0, labels=[0, 1, 2, 9]).shape == (4, 28, 28, 1)
    with pytest.raises(ValueError, match="labels must be 3 ints in \\[0, 10\\)"):
        model.generate(3, seed=0, labels=[0, 1, 10])


def test_training_is_reproducible_for_a_seed():
    weights = []
    for _ in range(2):
        model = build_tiny("gan-ring8", seed=7)
        model.generator.set_weights(
            [np.full(w.shape, 0.1, w.dtype) for w in model.generator.get_weights()]
        )
        model.discriminator.set_weights(
            [np.full(w.shape, 0.1, w.dtype) for w in model.discriminator.get_weights()]
        )
        model.fit(synthetic_dataset(model, 8, 3), epochs=1, verbose=0)
        weights.append(model.generator.get_weights())
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)


def test_generator_is_served_by_call():
    model = tiny_gan()
    z = model.sample_latents(3, seed=0)
    np.testing.assert_allclose(model(z), model.generator(z, training=False))


def test_incoherent_inputs_are_refused():
    g, d = mlp_generator(width=4, depth=1), mlp_discriminator(width=4, depth=1)
    for pair in (("non_saturating", "least_squares"), ("least_squares", "minimax")):
        with pytest.raises(ValueError, match="must fit one discriminator"):
            GAN(g, d, generator_loss=pair[0], discriminator_loss=pair[1])
    model = GAN(g, d)
    model.compile()
    with pytest.raises(ValueError, match="unconditional; labels must be None"):
        model.generate(4, seed=0, labels=[0, 1, 2, 3])
    x = np.zeros((8, 2), np.float32)
    with pytest.raises(ValueError, match="does not use sample weights"):
        model.fit(
            tf.data.Dataset.from_tensor_slices((x, np.zeros(8), np.ones(8))).batch(8), verbose=0
        )
