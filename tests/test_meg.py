"""MEG: its losses and estimator against NumPy, the penalty, the shuffle, MALA in z, the split."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from keras_gan import data, estimators
from keras_gan.models import MEG
from keras_gan.zoo.meg.networks import mlp_energy, mlp_statistics
from keras_gan.zoo.networks.mlp import mlp_generator
from tests.harness import (
    assert_same_networks,
    build_tiny,
    fit_single_and_mirrored,
    max_weight_diff,
    networks,
    synthetic_dataset,
)


def _softplus(x):
    return np.logaddexp(0.0, x)


def _log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


# --------------------------------------------------------------------- losses
def test_energy_loss_matches_numpy():
    real, fake = np.array([[0.5], [-1.0], [2.0]]), np.array([[3.0], [0.25], [-0.5]])
    expected = real.mean() - fake.mean()
    np.testing.assert_allclose(float(estimators.energy_loss(real, fake)), expected, rtol=1e-6)


def test_energy_generator_loss_matches_numpy():
    fake = np.array([1.0, -2.0, 0.5, 4.0])
    np.testing.assert_allclose(
        float(estimators.energy_generator_loss(fake, -0.3)), fake.mean() + 0.3, rtol=1e-6
    )
    np.testing.assert_allclose(
        float(estimators.energy_generator_loss(fake, -0.3, entropy_weight=2.0)),
        fake.mean() + 0.6,
        rtol=1e-6,
    )


def test_jsd_estimator_matches_numpy_and_both_written_forms():
    joint, marginal = np.array([2.0, -1.0, 0.3, 5.0]), np.array([-3.0, 0.5, 1.5, -0.2])
    softplus_form = np.mean(-_softplus(-joint)) - np.mean(_softplus(marginal))
    sigmoid = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    log_form = np.mean(np.log(sigmoid(joint))) + np.mean(np.log(1 - sigmoid(marginal)))
    np.testing.assert_allclose(softplus_form, log_form, rtol=1e-12)
    np.testing.assert_allclose(
        float(estimators.jsd_mutual_information(joint, marginal)), softplus_form, rtol=1e-6
    )
    # A perfect critic (joint → +∞, marginal → −∞) gives the bound's maximum 0; a constant one gives
    # −2 log 2.
    np.testing.assert_allclose(
        float(estimators.jsd_mutual_information([1e4], [-1e4])), 0.0, atol=1e-6
    )
    np.testing.assert_allclose(
        float(estimators.jsd_mutual_information([0.0], [0.0])), -2 * np.log(2), rtol=1e-6
    )
    assert np.isfinite(float(estimators.jsd_mutual_information([-1e4], [1e4])))


def _train_statistics(x, z, steps=300, seed=0):
    """Fits T(x, z) by maximizing the JSD estimate with shuffled z; returns the final estimate."""
    keras.utils.set_random_seed(seed)
    net = mlp_statistics(data_dim=1, latent_dim=1, width=32, depth=2)
    opt = keras.optimizers.Adam(1e-2)
    x, z = tf.constant(x, tf.float32), tf.constant(z, tf.float32)

    @tf.function
    def step(i):
        z_tilde = estimators.shuffle_per_dimension(z, tf.stack([seed, i]))
        with tf.GradientTape() as tape:
            mi = estimators.jsd_mutual_information(net([x, z]), net([x, z_tilde]))
            loss = -mi  # T maximizes Î
        opt.apply_gradients(
            zip(tape.gradient(loss, net.trainable_variables), net.trainable_variables)
        )

    for i in range(steps):
        step(tf.constant(i))
    z_tilde = estimators.shuffle_per_dimension(z, [seed, 10**6])
    return float(estimators.jsd_mutual_information(net([x, z]), net([x, z_tilde])))


def test_trained_estimate_is_larger_for_dependent_pairs():
    """Pins the sign: maximizing Î over T separates dependent pairs, not independent ones."""
    rng = np.random.default_rng(0)
    z = rng.normal(size=(512, 1))
    dependent = _train_statistics(z + 0.05 * rng.normal(size=z.shape), z)
    independent = _train_statistics(rng.normal(size=z.shape), z)
    assert dependent > independent + 0.5, (dependent, independent)
    assert dependent > -0.7  # far above −2 log 2 ≈ −1.386
    assert independent < -1.2  # near −2 log 2: no information to find


# --------------------------------------------------------------- the penalty
class _Quadratic(layers.Layer):
    """E(x) = Σ a_i x_i² (trainable a): ∇ₓE = 2 a x, known per example."""

    def build(self, input_shape):
        self.a = self.add_weight(
            shape=(input_shape[-1],), initializer=keras.initializers.Constant([1.0, 3.0])
        )

    def call(self, x):
        return keras.ops.sum(self.a * x**2, axis=-1, keepdims=True)


def _quadratic_meg(gp_weight=0.5):
    x = keras.Input((2,))
    energy = keras.Model(x, _Quadratic()(x))
    return MEG(
        energy,
        mlp_generator(latent_dim=2, width=4, depth=1),
        mlp_statistics(width=4, depth=1),
        gp_weight=gp_weight,
    )


def test_gradient_penalty_is_zero_centred_and_per_example():
    model = _quadratic_meg()
    x = np.array([[1.0, 2.0], [-0.5, 0.0], [0.0, 0.0]], np.float32)
    per_example = np.sum((2 * np.array([1.0, 3.0]) * x) ** 2, axis=1)  # ‖2 a ⊙ x‖²
    np.testing.assert_allclose(float(model.energy_penalty(x)), per_example.mean(), rtol=1e-6)
    # Zero-centred: a zero gradient costs nothing (unlike WGAN-GP's (‖∇‖ − 1)²).
    assert float(model.energy_penalty(np.zeros((4, 2), np.float32))) == 0.0
    # Per example: not the norm of the gradient of the batch mean.
    batch_mean_norm = np.sum((2 * np.array([1.0, 3.0]) * x / len(x)).sum(0) ** 2)
    assert abs(float(model.energy_penalty(x)) - batch_mean_norm) > 1.0


def test_discriminator_loss_is_energy_loss_plus_weighted_penalty():
    from keras_gan.models.latent import StepBatch

    model = _quadratic_meg(gp_weight=0.5)
    model.compile()
    real = np.array([[1.0, 2.0], [-0.5, 1.0]], np.float32)
    fake = np.array([[0.1, 0.2], [2.0, -1.0]], np.float32)
    e = lambda v: np.sum(np.array([1.0, 3.0]) * v**2, axis=1)  # noqa: E731
    batch = StepBatch(real, fake, model.energy(real), model.energy(fake), None, None, None, None)
    penalty = np.mean(np.sum((2 * np.array([1.0, 3.0]) * real) ** 2, axis=1))
    np.testing.assert_allclose(
        float(model.discriminator_loss(batch)),
        e(real).mean() - e(fake).mean() + 0.5 * penalty,
        rtol=1e-6,
    )


# ---------------------------------------------------------------- the shuffle
def test_shuffle_permutes_each_dimension_independently():
    rng = np.random.default_rng(1)
    base = rng.normal(size=(4096, 1))
    z = np.concatenate([base, base, base], axis=1).astype(np.float32)  # perfectly dependent columns
    out = estimators.shuffle_per_dimension(z, [3, 4]).numpy()
    # Marginals preserved exactly: every column is a permutation of itself.
    for k in range(3):
        np.testing.assert_array_equal(np.sort(out[:, k]), np.sort(z[:, k]))
    # Each dimension has its own permutation: the copies are no longer equal, and decorrelated.
    corr = np.corrcoef(out.T)
    assert np.all(np.abs(corr[np.triu_indices(3, 1)]) < 0.06), corr
    # The joint with the original rows is broken.
    assert abs(np.corrcoef(out[:, 0], z[:, 0])[0, 1]) < 0.06
    # Stateless: same seed, same shuffle; another seed, another.
    np.testing.assert_array_equal(out, estimators.shuffle_per_dimension(z, [3, 4]).numpy())
    assert not np.array_equal(out, estimators.shuffle_per_dimension(z, [3, 5]).numpy())


def test_shuffle_stays_within_groups():
    z = np.arange(24, dtype=np.float32).reshape(12, 2)
    out = estimators.shuffle_per_dimension(z, [0, 1], group_size=4).numpy()
    for g in range(3):
        for k in range(2):
            np.testing.assert_array_equal(
                np.sort(out[4 * g : 4 * g + 4, k]), z[4 * g : 4 * g + 4, k]
            )
    with pytest.raises(tf.errors.InvalidArgumentError, match="group_size must divide"):
        estimators.shuffle_per_dimension(z, [0, 1], group_size=5)
    with pytest.raises(ValueError, match="group_size=0"):
        estimators.shuffle_per_dimension(z, [0, 1], group_size=0)


# -------------------------------------------------------------------- the model
def test_arguments_are_checked_with_the_received_value():
    g, e, t = (
        mlp_generator(width=4, depth=1),
        mlp_energy(width=4, depth=1),
        mlp_statistics(width=4, depth=1),
    )
    with pytest.raises(ValueError, match="marginal='permute'"):
        MEG(e, g, t, marginal="permute")
    with pytest.raises(ValueError, match="gp_weight=-1"):
        MEG(e, g, t, gp_weight=-1)
    with pytest.raises(ValueError, match="shuffle_group_size=0"):
        MEG(e, g, t, shuffle_group_size=0)
    with pytest.raises(ValueError, match="mcmc_steps=-1"):
        MEG(e, g, t).generate(3, seed=0, mcmc_steps=-1)


@pytest.mark.parametrize("marginal", ["shuffle", "resample"])
def test_fit_trains_all_three_networks_and_reports_mi(marginal):
    model = build_tiny("meg-ring8", marginal=marginal)
    t0 = model.statistics.get_weights()
    history = model.fit(synthetic_dataset(model, 8, 2), epochs=1, verbose=0).history
    assert np.isfinite(history["mutual_information"][-1])
    assert history["mutual_information"][-1] <= 0.0  # both terms of Î are ≤ 0 for any T
    assert max_weight_diff(t0, model.statistics.get_weights()) > 0
    assert int(model.t_optimizer.iterations) == 2


def test_group_shuffle_two_replicas_equal_one(mirrored, float64_policy):
    """With groups of 4 inside each replica's slice of 8, 2 replicas still train as 1 device."""
    sgd = {"class_name": "SGD", "config": {"learning_rate": 0.01}}
    kwargs = dict(shuffle_group_size=4, g_optimizer=sgd, d_optimizer=sgd)
    single, multi, _, _ = fit_single_and_mirrored("meg-grid25", mirrored, 8, 2, **kwargs)
    assert set(networks(single)) == {"generator", "energy", "statistics"}  # by constructor argument
    assert_same_networks(single, multi)


def test_mala_in_latent_space_with_zero_energy_samples_the_prior():
    """Zero energy + the prior term: z-chains started far away reach N(0, I)."""
    model = build_tiny("meg-ring8")
    for v in model.energy.trainable_variables:
        v.assign(tf.zeros_like(v))
    start = tf.fill([2000, 2], 3.0)
    z, rate = model.refine_latents(start, 300, 0.1, [0, 3])
    np.testing.assert_allclose(z.numpy().mean(0), 0.0, atol=0.08)
    np.testing.assert_allclose(z.numpy().var(0), 1.0, atol=0.1)
    assert float(np.mean(rate)) > 0.8
    # Without the prior term (the seeds' p(z)), a zero energy is flat: a random walk of variance
    # 2αK.
    flat = build_tiny("meg-ring8", mcmc_prior=False)
    for v in flat.energy.trainable_variables:
        v.assign(tf.zeros_like(v))
    z, rate = flat.refine_latents(tf.zeros([2000, 2]), 50, 0.1, [0, 3])
    np.testing.assert_allclose(z.numpy().var(0), 2 * 0.1 * 50, rtol=0.12)
    np.testing.assert_allclose(rate.numpy(), 1.0)


def test_generate_with_mcmc_is_seeded_and_moves_samples():
    model = build_tiny("meg-ring8")
    plain = model.generate(6, seed=2)
    refined = model.generate(6, seed=2, mcmc_steps=5, step_size=0.05)
    assert refined.shape == plain.shape and np.isfinite(refined).all()
    np.testing.assert_array_equal(refined, model.generate(6, seed=2, mcmc_steps=5, step_size=0.05))
    assert not np.array_equal(refined, plain)
    np.testing.assert_array_equal(plain, model.generate(6, seed=2, mcmc_steps=0))


def test_latent_energy_lowers_under_mala():
    """On a quadratic energy of G(z), MALA moves z towards lower E(G(z)) + ½‖z‖²."""
    model = _quadratic_meg()
    z0 = model.sample_latents(512, 0)
    u = lambda z: -model.latent_log_prob(z).numpy()  # noqa: E731
    shifted = z0 + 2.5
    z, _ = model.refine_latents(shifted, 100, 0.05, [1, 1])
    assert u(z).mean() < u(shifted).mean() - 1.0


# ------------------------------------------------------------------- the data
def test_anomaly_split_protocol():
    y = np.repeat(np.arange(10), 50)
    x = np.arange(len(y), dtype=np.float32)
    train_x, train_y = data.anomaly_split(x, y, held_out=4, split="train")
    test_x, test_y = data.anomaly_split(x, y, held_out=4, split="test")
    assert 4 not in train_y and len(train_y) == round(0.8 * 450)
    assert np.sum(test_y == 4) == 50 and np.sum(test_y != 4) == 450 - len(train_y)
    assert not set(train_x) & set(test_x)  # disjoint
    # fixed
    np.testing.assert_array_equal(train_x, data.anomaly_split(x, y, held_out=4, split="train")[0])
    with pytest.raises(ValueError, match="split='val'"):
        data.anomaly_split(x, y, held_out=4, split="val")


def test_mnist_anomaly_source(mnist_dir):
    x, y = data.load_arrays("mnist_anomaly:7", data_dir=mnist_dir)
    assert 7 not in y and x.shape[1:] == (28, 28, 1)
    xt, yt = data.load_arrays("mnist_anomaly:7", data_dir=mnist_dir, split="test")
    assert len(x) + len(yt) == 10000 and np.sum(yt == 7) == 1028
    with pytest.raises(ValueError, match="mnist_anomaly:x"):
        data.load_arrays("mnist_anomaly:x", data_dir=mnist_dir)


def test_ema_generator_is_served_and_the_trained_one_learns():
    model = build_tiny("meg-ring8", ema_decay=0.5)
    trained0, ema0 = model.trained_generator.get_weights(), model.generator.get_weights()
    model.fit(synthetic_dataset(model, 8, 2), epochs=1, verbose=0)
    trained, ema = model.trained_generator.get_weights(), model.generator.get_weights()
    assert max_weight_diff(trained0, trained) > 0 and max_weight_diff(ema0, ema) > 0
    assert max_weight_diff(trained, ema) > 0  # the average lags the trained weights
    z = model.sample_latents(4, 0)
    np.testing.assert_allclose(model.generate(4, seed=0), model.generator(z).numpy(), atol=1e-6)


def test_score_penalty_is_the_authors_channel_norm_averaged_over_pixels():
    a = np.array([1.0, 3.0], np.float32)  # E(x) = Σ a_c x²: ∂E/∂x = 2 a ⊙ x
    energy = lambda x: tf.reduce_sum(a * tf.square(x), axis=[1, 2, 3])  # noqa: E731
    x = np.random.default_rng(0).normal(size=(3, 4, 5, 2)).astype(np.float32)
    expected = np.mean(np.sum((2 * a * x) ** 2, axis=-1))  # mean over n, h, w of the channel norm²
    np.testing.assert_allclose(float(estimators.score_penalty(energy, x)), expected, rtol=1e-5)
    # R1's convention: H·W = 20 times more
    summed = np.mean(np.sum((2 * a * x) ** 2, axis=(1, 2, 3)))
    np.testing.assert_allclose(summed / float(estimators.score_penalty(energy, x)), 20.0, rtol=1e-5)


def test_the_authors_bce_is_minus_half_the_jsd_estimate_and_meg_uses_it(monkeypatch):
    rng = np.random.default_rng(1)
    joint, marginal = rng.normal(size=8).astype(np.float32), rng.normal(size=8).astype(np.float32)
    bce = keras.losses.BinaryCrossentropy(from_logits=True)(
        np.concatenate([np.ones(8), np.zeros(8)]), np.concatenate([joint, marginal])
    )
    np.testing.assert_allclose(
        float(bce), -0.5 * float(estimators.jsd_mutual_information(joint, marginal)), rtol=1e-5
    )
    weights, original = [], estimators.energy_generator_loss
    monkeypatch.setattr(
        estimators,
        "energy_generator_loss",
        lambda e, mi, w=1.0: (weights.append(w), original(e, mi, w))[1],
    )
    model = build_tiny("meg-ring8", entropy_weight=3.0)
    model.fit(synthetic_dataset(model, 8, 1), epochs=1, verbose=0)
    assert weights and set(weights) == {1.5}


def test_sample_grid_writes_the_energy_heat_map_of_2d_data_to_png_and_tensorboard(tmp_path):
    from keras_gan import data
    from keras_gan.callbacks import SampleGrid
    from tests.harness import build_tiny, synthetic_dataset

    model = build_tiny("meg-ring8")
    reference = data.mixture("ring8").sample(200, seed=1)[0]
    model.fit(
        synthetic_dataset(model, 16, 2),
        epochs=1,
        verbose=0,
        callbacks=[
            SampleGrid(
                str(tmp_path),
                every_n_steps=2,
                n=50,
                log_dir=str(tmp_path / "tb"),
                reference=reference,
            )
        ],
    )
    heat = tf.io.decode_png(
        tf.io.read_file(str(tmp_path / "samples" / "energy_step_0000002.png"))
    ).numpy()
    assert heat.shape == (200, 200, 3) and np.unique(heat.reshape(-1, 3), axis=0).shape[0] > 10
    assert (heat == (220, 30, 30)).all(axis=-1).any()  # generated points drawn in red
    tags = set()
    for path in tf.io.gfile.glob(str(tmp_path / "tb" / "samples" / "*")):
        for event in tf.compat.v1.train.summary_iterator(path):
            tags |= {v.tag for v in event.summary.value}
    assert {"samples", "energy"} <= tags
    assert build_tiny("meg-ring8").pictures(reference=None) == {}
