"""Penalties against closed forms and NumPy references."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import regularizers


def linear_critic(w, b=0.3):
    w = tf.constant(w, tf.float32)

    def critic(x):
        flat = tf.reshape(x, [tf.shape(x)[0], -1])
        return tf.reduce_sum(flat * tf.reshape(w, [1, -1]), axis=1, keepdims=True) + b

    return critic


@pytest.mark.parametrize("shape", [(6, 3), (4, 2, 3, 2)])
def test_gradient_penalty_of_linear_critic_is_closed_form(shape):
    rng = np.random.default_rng(0)
    w = rng.normal(size=int(np.prod(shape[1:]))).astype(np.float32)
    real, fake = (
        rng.normal(size=shape).astype(np.float32),
        rng.normal(size=shape).astype(np.float32),
    )
    gp = regularizers.gradient_penalty(linear_critic(w), real, fake, seed=tf.constant([1, 2]))
    assert float(gp) == pytest.approx((np.linalg.norm(w) - 1.0) ** 2, rel=1e-5)
    assert float(10.0 * gp) == pytest.approx(10.0 * (np.linalg.norm(w) - 1.0) ** 2, rel=1e-5)


def test_one_sided_penalty():
    small = np.array([0.3, 0.4], np.float32)  # ‖w‖ = 0.5
    large = np.array([3.0, 4.0], np.float32)  # ‖w‖ = 5
    real, fake = np.ones((4, 2), np.float32), np.zeros((4, 2), np.float32)
    assert (
        float(
            regularizers.gradient_penalty(
                linear_critic(small), real, fake, one_sided=True, epsilon=np.full(4, 0.5)
            )
        )
        == 0.0
    )
    assert float(
        regularizers.gradient_penalty(linear_critic(small), real, fake, epsilon=np.full(4, 0.5))
    ) == pytest.approx(0.25)
    assert float(
        regularizers.gradient_penalty(
            linear_critic(large), real, fake, one_sided=True, epsilon=np.full(4, 0.5)
        )
    ) == pytest.approx(16.0)


def test_penalty_is_per_example_on_interpolates():
    # D(x) = ½‖x‖²: ∇D(x̂) = x̂, so the penalty is mean_i (‖ε_i x_i + (1-ε_i) x̃_i‖ - 1)².
    rng = np.random.default_rng(1)
    real, fake = (
        rng.normal(size=(5, 3)).astype(np.float32),
        rng.normal(size=(5, 3)).astype(np.float32),
    )
    eps = rng.uniform(size=5).astype(np.float32)
    gp = regularizers.gradient_penalty(
        lambda x: 0.5 * tf.reduce_sum(x * x, axis=1), real, fake, epsilon=eps
    )
    hat = eps[:, None] * real + (1 - eps[:, None]) * fake
    assert float(gp) == pytest.approx(np.mean((np.linalg.norm(hat, axis=1) - 1) ** 2), rel=1e-5)


def test_penalty_gradient_reaches_critic_weights_and_is_finite_at_zero_gradient():
    w = tf.Variable([0.0, 0.0])
    with tf.GradientTape() as tape:
        gp = regularizers.gradient_penalty(
            lambda x: tf.linalg.matvec(x, w),
            tf.ones((3, 2)),
            tf.zeros((3, 2)),
            epsilon=tf.fill([3], 0.5),
        )
    grad = tape.gradient(gp, w)
    # sqrt(0 + 1e-12)
    assert float(gp) == pytest.approx(1.0, rel=1e-5) and np.isfinite(grad.numpy()).all()


def test_r1_of_linear_discriminator():
    w = np.array([1.0, -2.0, 2.0], np.float32)
    r1 = regularizers.r1_penalty(
        linear_critic(w), np.random.default_rng(2).normal(size=(7, 3)).astype(np.float32)
    )
    assert float(r1) == pytest.approx(9.0, rel=1e-6)


def test_orthogonal_regularization_matches_numpy():
    kernel = np.random.default_rng(3).normal(size=(3, 3, 4, 5)).astype(np.float32)
    w = kernel.reshape(-1, 5)
    gram = w.T @ w
    expected = np.sum((gram * (1 - np.eye(5))) ** 2)
    assert float(regularizers.orthogonal_regularization(kernel)) == pytest.approx(
        expected, rel=1e-5
    )
    q, _ = np.linalg.qr(np.random.default_rng(4).normal(size=(6, 4)))
    assert float(regularizers.orthogonal_regularization(q.astype(np.float32))) == pytest.approx(
        0.0, abs=1e-10
    )


def test_clip_weights():
    v = tf.Variable([-1.0, 0.005, 0.5])
    regularizers.clip_weights([v], 0.01)
    np.testing.assert_allclose(v.numpy(), [-0.01, 0.005, 0.01])
