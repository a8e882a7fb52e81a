"""AdversarialModel mechanics beyond the contract: generator EMA and mixed precision."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan import export
from tests.harness import (
    assert_same_networks,
    build_tiny,
    fit_single_and_mirrored,
    max_weight_diff,
    synthetic_dataset,
)

SGD = {"class_name": "SGD", "config": {"learning_rate": 0.05}}


def _weights(network):
    return [(v.trainable, np.array(v.numpy())) for v in network.weights]


def test_ema_follows_the_trained_generator_step_by_step():
    decay = 0.75
    model = build_tiny("dcgan-digits", ema_decay=decay, g_optimizer=SGD, d_optimizer=dict(SGD))
    assert model.generator is not model.trained_generator
    ema = [w for _, w in _weights(model.generator)]
    np.testing.assert_array_equal(ema[0], model.trained_generator.weights[0].numpy())
    dataset = synthetic_dataset(model, 8, 3)
    for batch in dataset:
        model.train_on_batch(batch)
        trained = _weights(model.trained_generator)
        # Trainable weights: decay * ema + (1 - decay) * w; BatchNorm statistics: copied.
        ema = [
            decay * e + (1 - decay) * w if trainable else w
            for e, (trainable, w) in zip(ema, trained)
        ]
        for expected, actual in zip(ema, model.generator.get_weights()):
            np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)
    assert max_weight_diff(ema, [w for _, w in trained]) > 1e-4  # the average lags behind
    # generate() and call() serve the EMA network.
    z = model.sample_latents(3, seed=0)
    np.testing.assert_allclose(model(z), model.generator(z, training=False), atol=1e-6)
    assert not np.allclose(model(z), model.trained_generator(z, training=False), atol=1e-6)


def test_ema_rampup_caps_the_half_life_at_a_fraction_of_the_steps_done():
    # stylegan2-ada-pytorch's training loop: ema_nimg = min(ema_nimg, cur_nimg * ema_rampup),
    # beta = 0.5 ** (batch / ema_nimg); in steps: half-life min(H, rampup * t), H from `decay`.
    decay, rampup = 0.99, 0.05
    half_life = np.log(0.5) / np.log(decay)
    for step in [0, 1, 10, 100, 1000, 2000]:
        want = 0.0 if step == 0 else min(decay, 0.5 ** (1.0 / (rampup * step)))
        np.testing.assert_allclose(
            float(_ema_decay_at(step, decay, rampup=rampup)), want, rtol=1e-5, atol=1e-7
        )
    assert rampup * 2000 > half_life  # the last steps decay with `decay` itself
    np.testing.assert_allclose(float(_ema_decay_at(5, decay, start=5, rampup=rampup)), 0.0)
    np.testing.assert_allclose(float(_ema_decay_at(4, decay, start=5)), 0.0)
    np.testing.assert_allclose(float(_ema_decay_at(5, decay, start=5)), decay)


def _ema_decay_at(step, decay, start=0, rampup=None):
    from keras_gan.models.base import AdversarialModel

    return AdversarialModel.ema_decay_at(tf.constant(step, tf.int64), decay, start, rampup).numpy()


def test_ema_rampup_applies_in_the_train_step_and_round_trips(tmp_path):
    decay, rampup = 0.9, 0.5
    model = build_tiny(
        "gan-ring8", ema_decay=decay, ema_rampup=rampup, g_optimizer=SGD, d_optimizer=dict(SGD)
    )
    ema = [w for _, w in _weights(model.generator)]
    for step, batch in enumerate(synthetic_dataset(model, 8, 4)):
        model.train_on_batch(batch)
        d = 0.0 if step == 0 else min(decay, 0.5 ** (1.0 / (rampup * step)))
        ema = [
            d * e + (1 - d) * w if t else w
            for e, (t, w) in zip(ema, _weights(model.trained_generator))
        ]
        for expected, actual in zip(ema, model.generator.get_weights()):
            np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)
    model.save(str(tmp_path / "m.keras"))
    assert keras.models.load_model(str(tmp_path / "m.keras")).ema_rampup == rampup
    with pytest.raises(ValueError, match="ema_rampup=0"):
        build_tiny("gan-ring8", ema_decay=decay, ema_rampup=0)


def test_ema_round_trips_and_exports(tmp_path):
    model = build_tiny("gan-ring8", ema_decay=0.9)
    model.fit(synthetic_dataset(model, 8, 2), epochs=1, verbose=0)
    model.save(str(tmp_path / "m.keras"))
    loaded = keras.models.load_model(str(tmp_path / "m.keras"))
    assert loaded.ema_decay == 0.9
    assert max_weight_diff(loaded.generator.get_weights(), model.generator.get_weights()) == 0
    assert (
        max_weight_diff(
            loaded.trained_generator.get_weights(), model.trained_generator.get_weights()
        )
        == 0
    )
    path = export.export_generator(model, str(tmp_path / "serving"), "ema")
    z = model.sample_latents(4, seed=2)
    served = tf.saved_model.load(path).signatures["serving_default"](z=z)["points"]
    np.testing.assert_allclose(served, model.generator(z, training=False), atol=1e-6)


def test_ema_two_replicas_equal_one(mirrored, float64_policy):
    overrides = {"ema_decay": 0.5, "g_optimizer": SGD, "d_optimizer": dict(SGD)}
    single, multi, _, _ = fit_single_and_mirrored("dcgan-digits", mirrored, 8, 3, **overrides)
    assert_same_networks(single, multi)  # the EMA and the trained generator
    assert (
        max_weight_diff(single.generator.get_weights(), single.trained_generator.get_weights())
        > 1e-4
    )


def test_ema_decay_is_checked():
    with pytest.raises(ValueError, match="ema_decay=1.5"):
        build_tiny("gan-ring8", ema_decay=1.5)


@pytest.fixture
def mixed_float16():
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    yield
    keras.config.set_dtype_policy(previous)


@pytest.mark.parametrize("name", ["dcgan-digits", "wgan-gp-ring8", "sngan-mnist"])
def test_mixed_float16_trains_with_loss_scaling_and_exports_float32(name, mixed_float16, tmp_path):
    model = build_tiny(name)
    assert model.generator.compute_dtype == "float16"
    assert isinstance(model.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert isinstance(model.d_optimizer, keras.optimizers.LossScaleOptimizer)
    g0 = model.generator.get_weights()
    history = model.fit(synthetic_dataset(model, 8, 3), epochs=1, verbose=0).history
    for key, values in history.items():
        assert np.isfinite(values[-1]), (key, values)
    assert max_weight_diff(g0, model.generator.get_weights()) > 0
    assert model.generator.weights[0].dtype == "float32"  # float32 master weights
    samples = model.generate(4, seed=0)
    assert samples.dtype == np.float32 and np.isfinite(samples).all()
    path = export.export_generator(model, str(tmp_path), "mp")
    z = model.sample_latents(4, seed=0)
    served = tf.saved_model.load(path).signatures["serving_default"](z=z)
    (served,) = served.values()  # images, or points for 2-D data
    assert served.dtype == tf.float32
    np.testing.assert_allclose(served.numpy(), samples, atol=2e-3)  # float16 compute
    # A .keras file keeps the policy and the loss-scaled optimizers.
    model.save(str(tmp_path / "mp.keras"))
    loaded = keras.models.load_model(str(tmp_path / "mp.keras"))
    assert isinstance(loaded.g_optimizer, keras.optimizers.LossScaleOptimizer)
    np.testing.assert_allclose(loaded.generate(4, seed=0), samples, atol=1e-6)


def test_step_counter_advances_on_skipped_mixed_precision_steps(mixed_float16):
    model = build_tiny("dcgan-digits")
    # A loss scale this large overflows float16 gradients: each step is skipped and the scale
    # halved.
    model.compile(
        g_optimizer=keras.optimizers.LossScaleOptimizer(
            keras.optimizers.Adam(2e-4), initial_scale=2.0**100
        ),
        d_optimizer=keras.optimizers.LossScaleOptimizer(
            keras.optimizers.Adam(2e-4), initial_scale=2.0**100
        ),
    )
    seeds = []
    for _ in range(3):
        seeds.append(tuple(model.step_seed(1).numpy()))
        model.fit(synthetic_dataset(model, 8, 1), epochs=1, verbose=0)
    assert int(model.g_optimizer.iterations) == 0  # every update was skipped
    assert model.step == 3 and len(set(seeds)) == 3  # the model still counts steps: no draw repeats


def test_fit_on_a_dataset_raises_no_shuffle_warning():
    import warnings

    model = build_tiny("gan-ring8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(synthetic_dataset(model, 8, 1), epochs=1, verbose=0)
    assert not [w for w in caught if "shuffle" in str(w.message)], [str(w.message) for w in caught]
