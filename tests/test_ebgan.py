"""EBGAN: the energy, margin loss and pulling-away term against NumPy; the term over the global
batch."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import losses
from keras_gan.replicas import all_gather
from tests.harness import build_tiny, synthetic_dataset


def _pt_numpy(s):
    s = s.reshape(len(s), -1)
    s = s / np.linalg.norm(s, axis=1, keepdims=True)
    n = len(s)
    return sum((s[i] @ s[j]) ** 2 for i in range(n) for j in range(n) if i != j) / (n * (n - 1))


def test_energy_margin_and_pulling_away_match_numpy():
    rng = np.random.default_rng(0)
    x, rec = rng.normal(size=(4, 3, 3, 1)), rng.normal(size=(4, 3, 3, 1))
    energy = losses.autoencoder_energy(x, rec).numpy()
    np.testing.assert_allclose(energy, ((x - rec) ** 2).mean(axis=(1, 2, 3)), rtol=1e-5)
    real, fake = np.array([0.2, 0.4]), np.array([0.5, 2.0])
    assert float(losses.margin_discriminator_loss(real, fake, 1.0)) == pytest.approx(
        0.3 + (0.5 + 0.0) / 2
    )
    codes = rng.normal(size=(5, 6)).astype(np.float32)
    assert float(losses.pulling_away_term(codes)) == pytest.approx(_pt_numpy(codes), rel=1e-5)
    assert float(losses.pulling_away_term(np.eye(3, dtype=np.float32))) == pytest.approx(
        0.0, abs=1e-7
    )
    same = np.tile(codes[:1], (4, 1))
    assert float(losses.pulling_away_term(same)) == pytest.approx(1.0, rel=1e-5)


def test_generator_loss_is_energy_plus_weighted_pulling_away():
    model = build_tiny("ebgan-mnist", pt_weight=0.5)
    rng = np.random.default_rng(1)
    energy, codes = (
        rng.uniform(size=4).astype(np.float32),
        rng.normal(size=(4, 4)).astype(np.float32),
    )
    batch = type("B", (), {"fake_output": (tf.constant(energy), None, tf.constant(codes))})()
    assert float(model.generator_loss(batch)) == pytest.approx(
        energy.mean() + 0.5 * _pt_numpy(codes), rel=1e-5
    )


def test_pulling_away_spans_the_global_batch(mirrored):
    codes = np.random.default_rng(2).normal(size=(6, 3)).astype(np.float32)
    dist = mirrored.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices(codes).batch(6)
    )
    out = mirrored.run(
        tf.function(lambda s: losses.pulling_away_term(all_gather(s))), args=(next(iter(dist)),)
    )
    for value in mirrored.experimental_local_results(out):
        assert float(value) == pytest.approx(_pt_numpy(codes), rel=1e-5)


def test_fit_reports_energies_and_the_term():
    model = build_tiny("ebgan-mnist")
    history = model.fit(synthetic_dataset(model, 4, 2), epochs=1, verbose=0).history
    assert history["d_real"][-1] >= 0 and history["pulling_away"][-1] > 0
