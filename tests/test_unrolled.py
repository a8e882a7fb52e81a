"""UnrolledGAN (Metz et al. 2017): the unrolled discriminator against hand-computed gradient
steps, the second-order generator gradient against finite differences."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan.models import UnrolledGAN
from keras_gan.models.latent import StepBatch
from keras_gan.zoo.networks.mlp import mlp_discriminator, mlp_generator


def _linear_pair():
    """G: z -> A z + c (2-D); D: x -> w.x + b (a logit)."""
    z = keras.Input((2,))
    generator = keras.Model(z, keras.layers.Dense(2, name="g")(z), name="generator")
    x = keras.Input((2,))
    discriminator = keras.Model(x, keras.layers.Dense(1, name="d")(x), name="discriminator")
    return generator, discriminator


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def test_the_unrolled_discriminator_takes_the_papers_gradient_steps_and_leaves_d_alone(
    float64_policy,
):
    generator, discriminator = _linear_pair()
    rng = np.random.default_rng(0)
    discriminator.set_weights([rng.normal(size=(2, 1)), rng.normal(size=(1,))])
    model = UnrolledGAN(generator, discriminator, unroll_steps=3, unroll_learning_rate=0.5)
    real, fake = rng.normal(size=(6, 2)), rng.normal(size=(6, 2)) + 1.0
    before = [w.copy() for w in discriminator.get_weights()]
    batch = StepBatch(tf.constant(real), tf.constant(fake), None, None, None, None, None, None)
    (kernel, bias), _ = model.unrolled_discriminator(batch)
    w, b = before[0][:, 0], before[1][0]
    for _ in range(3):  # -mean log s(D(x)) - mean log(1 - s(D(G(z)))), plain gradient steps
        r, f = _sigmoid(real @ w + b), _sigmoid(fake @ w + b)
        grad_w = ((r - 1)[:, None] * real).mean(0) + (f[:, None] * fake).mean(0)
        grad_b = (r - 1).mean() + f.mean()
        w, b = w - 0.5 * grad_w, b - 0.5 * grad_b
    # keras_gan.losses return float32 (CONTRACT.md), so the steps agree to float32 precision.
    np.testing.assert_allclose(np.asarray(kernel)[:, 0], w, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(bias)[0], b, rtol=1e-6)
    for was, now in zip(before, discriminator.get_weights()):
        np.testing.assert_array_equal(was, now)


def _tanh_discriminator(width=8):
    x = keras.Input((2,))
    hidden = keras.layers.Dense(width, activation="tanh", name="hidden")(x)
    return keras.Model(x, keras.layers.Dense(1, name="logit")(hidden), name="discriminator")


def test_the_adam_unroll_takes_the_discriminators_own_adam_steps_from_its_moments():
    """K simulated steps equal K real `keras.optimizers.Adam` steps taken afterwards from the
    same (warm) moments and step count, and the simulation leaves D and its optimizer alone."""
    keras.utils.set_random_seed(3)
    model = UnrolledGAN(
        mlp_generator(width=4, depth=1),
        _tanh_discriminator(),
        unroll_steps=3,
        unroll_learning_rate=None,
        unroll_optimizer="adam",
    )
    model.compile(
        g_optimizer=keras.optimizers.Adam(1e-3),
        d_optimizer=keras.optimizers.Adam(0.05, beta_1=0.5, epsilon=1e-3),
    )
    discriminator, optimizer = model.discriminator, model.d_optimizer
    rng = np.random.default_rng(4)

    def batch_of(offset):
        real = tf.constant(rng.normal(size=(16, 2)), tf.float32)
        fake = tf.constant(rng.normal(size=(16, 2)) + offset, tf.float32)
        return StepBatch(real, fake, None, None, None, None, None, None)

    def real_step(batch):
        with tf.GradientTape() as tape:
            scored = StepBatch(
                batch.real,
                batch.fake,
                discriminator(batch.real, training=True),
                discriminator(batch.fake, training=True),
                None,
                None,
                None,
                None,
            )
            loss = model.discriminator_loss(scored)
        optimizer.apply(tape.gradient(loss, discriminator.trainable_variables))

    for offset in (0.5, 1.0):  # moments and step count that are not Adam's fresh ones
        real_step(batch_of(offset))
    batch = batch_of(0.8)
    state = [v.numpy().copy() for v in discriminator.variables + optimizer.variables]
    unrolled, _ = model.unrolled_discriminator(batch)
    for was, variable in zip(state, discriminator.variables + optimizer.variables):
        np.testing.assert_array_equal(was, variable.numpy())
    for _ in range(3):
        real_step(batch)
    assert int(optimizer.iterations) == 5
    for simulated, variable in zip(unrolled, discriminator.trainable_variables):
        np.testing.assert_allclose(np.asarray(simulated), variable.numpy(), rtol=1e-5, atol=1e-6)
    moved = max(np.abs(np.asarray(u) - w).max() for u, w in zip(unrolled, state[: len(unrolled)]))
    assert moved > 0.05, moved  # three steps of rate 0.05 moved the weights


def test_the_adam_unroll_names_an_optimizer_it_cannot_simulate():
    model = UnrolledGAN(
        mlp_generator(width=4, depth=1),
        mlp_discriminator(width=4, depth=1),
        unroll_learning_rate=None,
        unroll_optimizer="adam",
    )
    model.compile(g_optimizer="adam", d_optimizer=keras.optimizers.SGD(0.1))
    batch = StepBatch(tf.zeros((2, 2)), tf.ones((2, 2)), None, None, None, None, None, None)
    with pytest.raises(ValueError, match=r"optimizers.Adam\(...\). Received: SGD"):
        model.unrolled_discriminator(batch)
    model.compile(g_optimizer="adam", d_optimizer=keras.optimizers.Adam(amsgrad=True))
    with pytest.raises(ValueError, match="Received: {'amsgrad': True}"):
        model.unrolled_discriminator(batch)


def _generator_loss(model, z, real):
    fake = model.generator(z, training=True)
    batch = StepBatch(real, fake, None, None, None, None, z, None)
    return model.generator_loss(batch)


@pytest.mark.parametrize(
    "second_order, unroll_optimizer", [(True, "sgd"), (False, "sgd"), (True, "adam")]
)
def test_the_generator_gradient_goes_through_the_unrolled_steps(
    float64_policy, second_order, unroll_optimizer
):
    keras.utils.set_random_seed(1)
    # A smooth discriminator: finite differences across a LeakyReLU kink are not derivatives.
    x = keras.Input((2,))
    hidden = keras.layers.Dense(8, activation="tanh")(x)
    discriminator = keras.Model(x, keras.layers.Dense(1)(hidden), name="discriminator")
    model = UnrolledGAN(
        mlp_generator(width=8, depth=1),
        discriminator,
        unroll_steps=4,
        unroll_learning_rate=0.3 if unroll_optimizer == "sgd" else None,
        second_order=second_order,
        unroll_optimizer=unroll_optimizer,
    )
    model.compile(g_optimizer="adam", d_optimizer=keras.optimizers.Adam(0.05, beta_1=0.5))
    rng = np.random.default_rng(2)
    if unroll_optimizer == "adam":  # unroll from moments after one real step
        with tf.GradientTape() as tape:
            loss = -tf.reduce_mean(model.discriminator(tf.constant(rng.normal(size=(16, 2)))))
        model.d_optimizer.apply(tape.gradient(loss, model.discriminator.trainable_variables))
    z, real = tf.constant(rng.normal(size=(16, 2))), tf.constant(rng.normal(size=(16, 2)))
    kernel = model.generator.get_layer("points").kernel
    with tf.GradientTape() as tape:
        loss = _generator_loss(model, z, real)
    autodiff = tape.gradient(loss, kernel).numpy()
    numeric = np.zeros_like(autodiff)
    value, eps = kernel.numpy(), 1e-3  # the loss is float32: a step well above its rounding
    for index in np.ndindex(value.shape):
        for sign in (1, -1):
            shifted = value.copy()
            shifted[index] += sign * eps
            kernel.assign(shifted)
            numeric[index] += sign * float(_generator_loss(model, z, real)) / (2 * eps)
    kernel.assign(value)
    error = np.abs(autodiff - numeric).max() / np.abs(numeric).max()
    if second_order:
        assert error < 5e-3, error  # the exact gradient of f_K
    else:
        assert error > 5e-2, error  # the first-order gradient ignores dθ_D^K/dθ_G


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"unroll_steps": 0}, "unroll_steps must be an integer >= 1. Received: 0"),
        ({"unroll_steps": 2.5}, "unroll_steps must be an integer >= 1. Received: 2.5"),
        ({"unroll_learning_rate": 0.0}, "unroll_learning_rate must be > 0. Received: 0.0"),
        ({"feature_matching": "dense_0"}, "drop feature_matching"),
        ({"unroll_optimizer": "rmsprop"}, "unroll_optimizer must be one of .* 'rmsprop'"),
        ({"unroll_optimizer": "adam"}, "pass unroll_learning_rate=None. Received: unroll_lea"),
    ],
)
def test_bad_options_are_named(bad, message):
    with pytest.raises(ValueError, match=message):
        UnrolledGAN(mlp_generator(width=4, depth=1), mlp_discriminator(width=4, depth=1), **bad)


def test_config_round_trips():
    model = UnrolledGAN(
        mlp_generator(width=4, depth=1),
        mlp_discriminator(width=4, depth=1),
        unroll_steps=3,
        unroll_learning_rate=0.01,
        second_order=False,
    )
    config = model.get_config()
    assert (config["unroll_steps"], config["unroll_learning_rate"], config["second_order"]) == (
        3,
        0.01,
        False,
    )
    adam = UnrolledGAN(
        mlp_generator(width=4, depth=1),
        mlp_discriminator(width=4, depth=1),
        unroll_learning_rate=None,
        unroll_optimizer="adam",
    )
    restored = UnrolledGAN.from_config(adam.get_config())
    assert (restored.unroll_optimizer, restored.unroll_learning_rate) == ("adam", None)
