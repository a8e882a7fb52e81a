"""f-GAN: the scheme, and the critic's divergence estimates against quadrature."""

import numpy as np
import pytest
import tensorflow as tf
from scipy import stats

from keras_gan import divergences
from keras_gan.models import FGAN
from keras_gan.models.latent import StepBatch
from keras_gan.zoo.networks.mlp import mlp_discriminator
from keras_gan.zoo.networks.toy import gaussian_generator
from tests.harness import build_tiny, synthetic_dataset


def test_losses_follow_the_divergence_and_objective():
    real, fake = tf.constant([[0.3], [-1.0]]), tf.constant([[0.5], [2.0]])
    batch = StepBatch(None, None, real, fake, None, None, None, None)
    d = divergences.get("reverse_kl")
    model = FGAN(
        gaussian_generator(),
        mlp_discriminator(data_dim=1, width=4, depth=1),
        divergence="reverse_kl",
    )
    assert float(model.discriminator_loss(batch)) == pytest.approx(
        float(d.discriminator_loss(real, fake))
    )
    assert float(model.generator_loss(batch)) == pytest.approx(float(d.generator_loss(fake)))
    alt = FGAN(
        gaussian_generator(),
        mlp_discriminator(data_dim=1, width=4, depth=1),
        divergence="reverse_kl",
        generator_objective="alternative",
    )
    assert float(alt.generator_loss(batch)) == pytest.approx(
        float(d.alternative_generator_loss(fake))
    )


def test_divergence_estimate_is_reported_and_params_saved():
    model = build_tiny("fgan-jensen_shannon_weighted-mixture1d")
    history = model.fit(synthetic_dataset(model, 16, 2), epochs=1, verbose=0).history
    assert np.isfinite(history["divergence"][-1])
    assert model.get_config()["divergence_params"] == {"pi": 0.3}


def test_bad_options():
    with pytest.raises(ValueError, match="generator_objective must be one of"):
        FGAN(gaussian_generator(), mlp_discriminator(data_dim=1), generator_objective="minimax")
    with pytest.raises(ValueError, match="Unknown divergence"):
        FGAN(gaussian_generator(), mlp_discriminator(data_dim=1), divergence="wasserstein")


def _quadrature(d, p, q):
    x = np.linspace(-8, 9, 40001)
    pp, qq = p.pdf(x), q.pdf(x)
    return np.trapezoid(qq * d.f((pp / qq).astype(np.float32)).numpy(), x)


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["kl", "reverse_kl", "jensen_shannon", "squared_hellinger", "pearson"]
)
def test_trained_critic_estimates_divergence(name):
    """A critic trained on samples of two Gaussians estimates D_f within 10% (~15 s each)."""
    tf.keras.utils.set_random_seed(0)
    d = divergences.get(name)
    p, q = stats.norm(0.0, 1.0), stats.norm(1.0, 1.0)
    critic = mlp_discriminator(data_dim=1, width=64, depth=2)
    opt = tf.keras.optimizers.Adam(1e-3)
    rng = np.random.default_rng(0)

    @tf.function
    def step(xp, xq):
        with tf.GradientTape() as tape:
            loss = d.discriminator_loss(critic(xp), critic(xq))
        opt.apply_gradients(
            zip(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables)
        )

    for _ in range(3000):
        step(
            rng.normal(0, 1, (2048, 1)).astype("float32"),
            rng.normal(1, 1, (2048, 1)).astype("float32"),
        )
    xp, xq = (
        rng.normal(0, 1, (400000, 1)).astype("float32"),
        rng.normal(1, 1, (400000, 1)).astype("float32"),
    )
    estimate = float(
        d.bound(
            critic.predict(xp, batch_size=65536, verbose=0),
            critic.predict(xq, batch_size=65536, verbose=0),
        )
    )
    assert estimate == pytest.approx(_quadrature(d, p, q), rel=0.10)


@pytest.mark.parametrize(
    "divergence, params, expected",
    [
        (divergences.get("alpha", alpha=0.5), None, {"alpha": 0.5}),
        ({"name": "jensen_shannon_weighted", "pi": 0.2}, None, {"pi": 0.2}),
        ("alpha", {"alpha": 3.0}, {"alpha": 3.0}),
        ("kl", None, {}),
    ],
)
def test_divergence_parameters_round_trip_however_given(divergence, params, expected):
    model = FGAN(
        gaussian_generator(),
        mlp_discriminator(data_dim=1),
        divergence=divergence,
        divergence_params=params,
    )
    config = model.get_config()
    assert config["divergence_params"] == expected
    reloaded = FGAN.from_config(config)
    assert (
        reloaded.divergence.get_params() == expected
        and reloaded.divergence.name == model.divergence.name
    )
