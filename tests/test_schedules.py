"""`LinearDecay` and the presets' `lr_decay`."""

import dataclasses

import keras
import numpy as np
import pytest

from keras_gan import zoo
from keras_gan.checkpoints import Checkpoints
from keras_gan.schedules import LinearDecay
from keras_gan.zoo import registry
from tests.harness import build_tiny, synthetic_dataset


def _reference(step, initial, start, steps):
    return initial * np.clip(1.0 - (step - start) / steps, 0.0, 1.0)


def test_linear_decay_matches_the_closed_form():
    schedule = LinearDecay(2e-4, decay_start=100, decay_steps=50)
    for step in (0, 99, 100, 101, 125, 149, 150, 151, 10_000):
        # float32
        np.testing.assert_allclose(
            float(schedule(step)), _reference(step, 2e-4, 100, 50), rtol=1e-5, atol=0
        )
    assert float(schedule(150)) == 0.0 and float(schedule(0)) == pytest.approx(2e-4)


def test_linear_decay_round_trips_and_scales():
    schedule = LinearDecay(1e-3, decay_start=10, decay_steps=20)
    again = keras.optimizers.schedules.deserialize(keras.optimizers.schedules.serialize(schedule))
    assert isinstance(again, LinearDecay) and again.get_config() == schedule.get_config()
    half = schedule.scaled(0.5)
    assert half.get_config() == {
        "initial_learning_rate": 5e-4,
        "decay_start": 10,
        "decay_steps": 20,
    }


@pytest.mark.parametrize(
    "kwargs, bad",
    [
        (
            {"initial_learning_rate": 0.0, "decay_start": 0, "decay_steps": 1},
            "initial_learning_rate",
        ),
        ({"initial_learning_rate": 1e-3, "decay_start": -1, "decay_steps": 1}, "decay_start"),
        ({"initial_learning_rate": 1e-3, "decay_start": 0, "decay_steps": 0}, "decay_steps"),
    ],
)
def test_linear_decay_rejects_bad_arguments(kwargs, bad):
    with pytest.raises(ValueError, match=f"{bad} must be .*Received"):
        LinearDecay(**kwargs)


def test_lr_decay_places_each_optimizers_schedule_in_its_own_updates():
    # wgan-gp-ring8: n_critic 5, Adam 1e-4 for both networks.
    model = build_tiny("wgan-gp-ring8", lr_decay=0.25, steps=8)
    g, d = model.g_optimizer._learning_rate, model.d_optimizer._learning_rate
    assert g.get_config() == {"initial_learning_rate": 1e-4, "decay_start": 6, "decay_steps": 2}
    assert d.get_config() == {"initial_learning_rate": 1e-4, "decay_start": 30, "decay_steps": 10}
    model.fit(synthetic_dataset(model, 8, 7), epochs=1, verbose=0)
    assert int(model.g_optimizer.iterations) == 7 and int(model.d_optimizer.iterations) == 35
    np.testing.assert_allclose(float(model.g_optimizer.learning_rate), 0.5e-4, rtol=1e-6)
    np.testing.assert_allclose(float(model.d_optimizer.learning_rate), 0.5e-4, rtol=1e-6)


def test_lr_decay_survives_a_keras_round_trip(tmp_path):
    model = build_tiny("gan-ring8", lr_decay=1.0, steps=10)
    model.fit(synthetic_dataset(model, 8, 2), epochs=1, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    for name in ("g_optimizer", "d_optimizer"):
        schedule = getattr(loaded, name)._learning_rate
        assert isinstance(schedule, LinearDecay)
        assert schedule.get_config() == getattr(model, name)._learning_rate.get_config()
        assert int(getattr(loaded, name).iterations) == 2


def test_bad_lr_decay_is_refused():
    with pytest.raises(ValueError, match=r"lr_decay must be in \(0, 1\].*Received: 1.5"):
        zoo.build("gan-ring8", lr_decay=1.5)
    with pytest.raises(ValueError, match="lr_decay must be in"):
        dataclasses.replace(registry.spec("gan-ring8"), name="x", lr_decay=0.0)


def test_a_checkpoint_of_other_optimizer_settings_is_refused_not_half_loaded(tmp_path):
    # Keras skips optimizer variables whose count differs (with a warning);
    # resuming with fresh Adam moments and step 0 would silently change the run.
    model = build_tiny("gan-ring8")
    model.fit(synthetic_dataset(model, 8, 2), epochs=1, verbose=0)
    ckpts = Checkpoints(str(tmp_path))
    ckpts.save(model, step=2)
    with pytest.raises(
        ValueError, match="ckpt-000000002.weights.h5 does not match the model being resumed"
    ):
        ckpts.restore(build_tiny("gan-ring8", lr_decay=0.5))
    assert ckpts.steps() == [2]


def test_lr_decay_leaves_an_override_dict_alone_and_gives_each_optimizer_its_schedule():
    # The contract tests pass one module-level dict as both optimizers.
    sgd = {"class_name": "SGD", "config": {"learning_rate": 0.01}}
    model = build_tiny("wgan-gp-ring8", lr_decay=0.5, steps=8, g_optimizer=sgd, d_optimizer=sgd)
    assert sgd == {"class_name": "SGD", "config": {"learning_rate": 0.01}}
    assert model.g_optimizer._learning_rate.get_config()["decay_start"] == 4
    assert model.d_optimizer._learning_rate.get_config()["decay_start"] == 20  # n_critic 5
