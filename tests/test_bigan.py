"""BiGAN: the discriminator's pairs, the swapped-label objective, encode and reconstruct."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import losses
from tests.harness import build_tiny, synthetic_dataset


def test_discriminator_sees_data_with_codes_and_samples_with_latents():
    model = build_tiny("bigan-mnist")
    pairs = []
    original = model.discriminate

    def spy(inputs, training=True):
        x, z = inputs
        # What E and G give right now, before this update changes them.
        pairs.append(
            (x, z, model.encoder(x, training=True), model.trained_generator(z, training=True))
        )
        return original(inputs, training)

    model.discriminate = spy
    model.compile(run_eagerly=True)
    data = synthetic_dataset(model, 4, 1)
    real = next(iter(data)).numpy()
    model.fit(data, epochs=1, verbose=0)
    (x_real, codes, encoded, _), (x_fake, latents, _, generated) = pairs[0], pairs[1]
    np.testing.assert_array_equal(x_real.numpy(), real)  # data ...
    np.testing.assert_allclose(codes.numpy(), encoded.numpy(), atol=1e-5)  # ... with E(x)
    np.testing.assert_allclose(x_fake.numpy(), generated.numpy(), atol=1e-5)  # G(z) ...
    assert np.abs(latents.numpy()).max() <= 1.0  # ... with its z ~ U[-1, 1]
    assert len(pairs) == 4  # two pairs in the D update, two in the G/E update


def test_generator_and_encoder_minimize_the_swapped_loss():
    real, fake = tf.constant([[2.0], [-1.0]]), tf.constant([[0.5], [-3.0]])
    swapped = float(losses.minimax_discriminator_loss(fake, real))
    expected = np.mean(np.log1p(np.exp(-np.array([0.5, -3.0])))) + np.mean(
        np.log1p(np.exp(np.array([2.0, -1.0])))
    )
    assert swapped == pytest.approx(expected, rel=1e-6)


def test_fit_trains_generator_and_encoder_and_serves_encode():
    model = build_tiny("bigan-mnist")
    before = [w.copy() for w in model.encoder.get_weights()]
    model.fit(synthetic_dataset(model, 4, 2), epochs=1, verbose=0)
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.encoder.get_weights()))
    x = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype(np.float32)
    z = model.encode(x)
    assert z.shape == (3, 4)
    out = model.serving_signatures()["encode"].function(images=tf.constant(x))
    np.testing.assert_allclose(out["z"].numpy(), z, atol=1e-6)
    assert model.reconstruct(x).shape == x.shape


def test_an_encoder_of_the_wrong_size_is_refused():
    model = build_tiny("bigan-mnist")
    encoder = keras.Sequential(
        [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(7)]
    )
    with pytest.raises(ValueError, match="The encoder must output latent_dim = 4 values"):
        type(model)(model.trained_generator, model.discriminator, encoder, latent_dim=4)


@pytest.mark.parametrize("data", ["ring8", "grid25"])
def test_mixture_presets_differ_from_the_gan_rows_only_in_the_scheme(data):
    from keras_gan import zoo

    bigan, gan = zoo.spec(f"bigan-{data}"), zoo.spec(f"gan-{data}")
    assert (bigan.dataset, bigan.batch_size, bigan.steps) == (
        gan.dataset,
        gan.batch_size,
        gan.steps,
    )
    assert bigan.g_optimizer == gan.g_optimizer and bigan.d_optimizer == gan.d_optimizer
    bigan_model, gan_model = zoo.build(f"bigan-{data}"), zoo.build(f"gan-{data}")
    shapes = [
        [tuple(w.shape) for w in m.trained_generator.weights] for m in (bigan_model, gan_model)
    ]
    assert shapes[0] == shapes[1]
    # The joint discriminator is the GAN's on [x, z] concatenated: only its first kernel is wider.
    d_shapes = [[tuple(w.shape) for w in m.discriminator.weights] for m in (bigan_model, gan_model)]
    assert d_shapes[0][0] == (2 + 2, 256) and d_shapes[1][0] == (2, 256)
    assert d_shapes[0][1:] == d_shapes[1][1:]
    x = np.random.default_rng(0).normal(size=(5, 2)).astype(np.float32)
    assert bigan_model.encode(x).shape == (5, 2)
