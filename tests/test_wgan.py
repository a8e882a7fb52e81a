"""WGAN, WGAN-GP and SNGAN: the scheme-specific mechanics."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import losses, zoo
from keras_gan.layers import SpectralNormalization
from keras_gan.models import SNGAN, WGAN, WGANGP
from keras_gan.models.latent import StepBatch
from keras_gan.zoo.networks.mlp import mlp_discriminator, mlp_generator
from tests.harness import build_tiny, synthetic_dataset


def test_every_critic_weight_is_clipped_after_each_step():
    model = build_tiny("wgan-ring8", learning_rate=0.5)  # large steps push weights past c
    c = model.clip_value
    assert c == zoo.spec("wgan-ring8").model_args["clip_value"]

    class Check(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            largest = {
                v.path: np.abs(v.numpy()).max()
                for v in self.model.discriminator.trainable_variables
            }
            for path, value in largest.items():
                assert value <= c + 1e-7, path
            # the clip was active: some weight sits at the bound
            assert max(largest.values()) >= c - 1e-7

    model.fit(synthetic_dataset(model, 8, 3), epochs=1, verbose=0, callbacks=[Check()])
    assert int(model.d_optimizer.iterations) == 15  # n_critic 5


def test_wasserstein_estimate_is_reported():
    model = build_tiny("wgan-gp-ring8")
    history = model.fit(synthetic_dataset(model, 8, 2), epochs=1, verbose=0).history
    assert np.isfinite(history["wasserstein"][-1]) and np.isfinite(history["gradient_penalty"][-1])
    np.testing.assert_allclose(
        history["wasserstein"][-1], history["d_real"][-1] - history["d_fake"][-1], rtol=1e-4
    )


def test_paper_defaults():
    g, d = mlp_generator(width=4, depth=1), mlp_discriminator(width=4, depth=1)
    wgan = WGAN(g, d)
    wgan.compile()
    assert isinstance(wgan.d_optimizer, keras.optimizers.RMSprop) and wgan.n_critic == 5
    assert float(wgan.d_optimizer.learning_rate) == pytest.approx(5e-5) and wgan.clip_value == 0.01
    gp = WGANGP(mlp_generator(width=4, depth=1), mlp_discriminator(width=4, depth=1))
    gp.compile()
    assert (
        isinstance(gp.d_optimizer, keras.optimizers.Adam)
        and gp.n_critic == 5
        and gp.gp_weight == 10.0
    )
    assert gp.d_optimizer.beta_1 == 0.0 and gp.d_optimizer.beta_2 == 0.9 and gp.clip_value is None


def test_wgan_gp_loss_with_linear_critic():
    w = np.array([[3.0], [4.0]], np.float32)  # ‖w‖ = 5: the penalty is (5 - 1)² = 16
    x = keras.Input((2,))
    critic = keras.Model(
        x, keras.layers.Dense(1, kernel_initializer=keras.initializers.Constant(w))(x)
    )
    model = WGANGP(mlp_generator(width=4, depth=1), critic, gp_weight=10.0)
    model.compile()
    real, fake = tf.ones((4, 2)), tf.zeros((4, 2))
    batch = StepBatch(
        real, fake, critic(real), critic(fake), None, None, None, tf.constant([0, 1], tf.int64)
    )
    expected = float(losses.wasserstein_critic_loss(critic(real), critic(fake))) + 10.0 * 16.0
    assert float(model.discriminator_loss(batch)) == pytest.approx(expected, rel=1e-5)
    one_sided = WGANGP(mlp_generator(width=4, depth=1), critic, one_sided=True)
    assert float(one_sided.discriminator_loss(batch)) == pytest.approx(expected, rel=1e-5)


def test_sngan_needs_spectral_norm_and_known_loss():
    with pytest.raises(ValueError, match="SpectralNormalization"):
        SNGAN(mlp_generator(width=4, depth=1), mlp_discriminator(width=4, depth=1))
    model = build_tiny("sngan-mnist")
    # One normalized layer is not enough: every weight layer must be, and the bare ones are named.
    x = keras.Input((2,))
    h = SpectralNormalization(keras.layers.Dense(4))(x)
    partly = keras.Model(x, keras.layers.Dense(1, name="bare_logit")(h))
    with pytest.raises(ValueError, match="these are not: bare_logit"):
        SNGAN(mlp_generator(width=4, depth=1), partly)
    with pytest.raises(ValueError, match="loss='wasserstein'"):
        SNGAN(model.generator, model.discriminator, loss="wasserstein")


def test_sngan_power_iteration_state_moves_and_round_trips(tmp_path):
    model = build_tiny("sngan-mnist")
    u_before = [w.numpy() for w in model.discriminator.weights if w.name == "u"]
    model.fit(synthetic_dataset(model, 8, 2), epochs=1, verbose=0)
    u_after = [w.numpy() for w in model.discriminator.weights if w.name == "u"]
    assert len(u_after) == 6 and all(not np.array_equal(a, b) for a, b in zip(u_before, u_after))
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    for a, b in zip(u_after, [w.numpy() for w in loaded.discriminator.weights if w.name == "u"]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("bad", [{"clip_value": -1.0}, {"clip_value": 0.0}])
def test_bad_clip_value(bad):
    with pytest.raises(ValueError, match="clip_value="):
        WGAN(mlp_generator(width=4, depth=1), mlp_discriminator(width=4, depth=1), **bad)
