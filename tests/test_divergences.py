"""f-divergences: convexity, conjugates by numerical optimization, activations, stability, the
bound."""

import numpy as np
import pytest
import tensorflow as tf
from scipy import optimize, stats

from keras_gan import divergences

ALL = [
    ("total_variation", {}),
    ("kl", {}),
    ("reverse_kl", {}),
    ("pearson", {}),
    ("neyman", {}),
    ("squared_hellinger", {}),
    ("jeffrey", {}),
    ("jensen_shannon", {}),
    ("jensen_shannon_weighted", {"pi": 0.3}),
    ("gan", {}),
    ("alpha", {"alpha": 0.5}),
    ("alpha", {"alpha": 2.0}),
    ("alpha", {"alpha": -1.0}),
]
IDS = [n + "".join(f"-{v}" for v in p.values()) for n, p in ALL]


def div(name, params):
    return divergences.get(name, **params)


def f_np(d, u):
    return d.f(tf.constant(u, tf.float32)).numpy().astype(np.float64)


def test_names_cover_the_table():
    assert set(divergences.names()) == {n for n, _ in ALL}


@pytest.mark.parametrize("name,params", ALL, ids=IDS)
def test_f_convex_and_f_at_one(name, params):
    d = div(name, params)
    assert float(d.f(1.0)) == pytest.approx(-np.log(4.0) if name == "gan" else 0.0, abs=1e-6)
    u = np.linspace(0.05, 5.0, 400)
    values = f_np(d, u)
    second = values[:-2] - 2 * values[1:-1] + values[2:]
    assert np.all(second >= -1e-5), name


def _numeric_conjugate(d, t):
    # sup_u (u t - f(u)) over u > 0, searched in log u.
    objective = lambda s: -(np.exp(s) * t - float(d.f(np.exp(s))))  # noqa: E731
    grid = np.linspace(-12, 8, 401)
    best = grid[np.argmin([objective(s) for s in grid])]
    res = optimize.minimize_scalar(
        objective, bounds=(best - 0.1, best + 0.1), method="bounded", options={"xatol": 1e-10}
    )
    return -res.fun, res.x


@pytest.mark.parametrize("name,params", ALL, ids=IDS)
def test_conjugate_is_the_supremum(name, params):
    d = div(name, params)
    low, high = d.domain()
    lo = -2.0 if low is None else low + 0.05
    hi = 1.5 if high is None else high - 0.05
    if name == "alpha" and params["alpha"] > 1:
        lo = max(lo, -1.0 / (params["alpha"] - 1) + 0.05)
    for t in np.linspace(lo, hi, 7):
        numeric, s = _numeric_conjugate(d, t)
        if not -11.5 < s < 7.5:  # the supremum is inside the searched range
            continue
        assert float(d.conjugate(t)) == pytest.approx(numeric, rel=1e-3, abs=1e-4), (name, t)


@pytest.mark.parametrize("name,params", ALL, ids=IDS)
def test_conjugate_outside_domain_is_infinite(name, params):
    d = div(name, params)
    _, high = d.domain()
    if high is not None:
        assert np.isinf(float(d.conjugate(high + 0.1)))


@pytest.mark.parametrize("name,params", ALL, ids=IDS)
def test_activation_maps_into_domain_and_stable_composition_matches(name, params):
    d = div(name, params)
    v = tf.constant(np.linspace(-8, 8, 161), tf.float32)
    t = d.activation(v).numpy()
    low, high = d.domain()
    inside = np.greater_equal if d.domain_closed else np.greater
    if low is not None:
        assert np.all(inside(t, low))
    if high is not None:
        assert np.all(inside(high, t))
    naive = d.conjugate(d.activation(v)).numpy()
    np.testing.assert_allclose(d.conjugate_of_activation(v).numpy(), naive, rtol=2e-4, atol=2e-4)


@pytest.mark.parametrize("name,params", ALL, ids=IDS)
def test_losses_finite_within_twenty(name, params):
    d = div(name, params)
    v = tf.constant(np.linspace(-20, 20, 81), tf.float32)
    for value in (d.discriminator_loss(v, v), d.generator_loss(v), d.alternative_generator_loss(v)):
        assert np.isfinite(float(value)), name


@pytest.mark.parametrize("name", ["jensen_shannon", "gan", "total_variation", "pearson"])
def test_losses_finite_at_thousand(name):
    d = divergences.get(name)
    for v in (tf.constant([1e3]), tf.constant([-1e3])):
        assert np.isfinite(float(d.discriminator_loss(v, v))) and np.isfinite(
            float(d.generator_loss(v))
        )


def _quadrature_divergence(d, p, q, x):
    return np.trapezoid(q * f_np(d, p / q), x)


@pytest.mark.parametrize("name,params", ALL, ids=IDS)
def test_optimal_critic_bound_equals_divergence(name, params):
    d = div(name, params)
    x = np.linspace(-7, 7, 40001)
    p, q = stats.norm(0.0, 1.0).pdf(x), stats.norm(0.4, 1.1).pdf(x)
    ratio = tf.constant(p / q, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(ratio)
        fu = tf.reduce_sum(d.f(ratio))
    t_star = tape.gradient(fu, ratio)  # T*(x) = f'(p/q)
    if name == "total_variation":
        t_star = 0.5 * tf.sign(ratio - 1.0)
    bound = np.trapezoid(p * t_star.numpy() - q * d.conjugate(t_star).numpy().astype(np.float64), x)
    exact = _quadrature_divergence(d, p, q, x)
    assert bound == pytest.approx(exact, rel=1e-3, abs=1e-5), name


def test_bad_names_and_params():
    with pytest.raises(ValueError, match="Unknown divergence 'chi'"):
        divergences.get("chi")
    with pytest.raises(ValueError, match="alpha=1.0"):
        divergences.get("alpha", alpha=1.0)
    with pytest.raises(ValueError, match="pi=1.5"):
        divergences.get("jensen_shannon_weighted", pi=1.5)
    with pytest.raises(ValueError, match="does not take parameters"):
        divergences.get("kl", alpha=2.0)


def test_wright_omega_matches_lambert_w():
    import tensorflow_probability as tfp

    from keras_gan.divergences import _wright_omega

    x = np.linspace(-30, 80, 2001).astype(np.float32)
    reference = tfp.math.lambertw(tf.exp(tf.constant(x, tf.float64))).numpy()
    np.testing.assert_allclose(_wright_omega(x).numpy(), reference, rtol=2e-6)
    # Far beyond exp's float32 range: w + log w = x still holds.
    big = _wright_omega(np.float32(1e4)).numpy()
    assert big + np.log(big) == pytest.approx(1e4, rel=1e-6)


def test_jeffrey_conjugate_is_never_nan_and_matches_lambert_w():
    from scipy.special import lambertw

    d = divergences.get("jeffrey")
    t = tf.constant(np.linspace(-60.0, 300.0, 3601), tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(t)
        value = d.conjugate(t)
    grad = tape.gradient(value, t).numpy()
    value = value.numpy()
    assert not np.isnan(value).any() and not np.isnan(grad).any()
    tt = t.numpy().astype(np.float64)
    finite = tt < 89.0  # e^(t - 1) overflows float32 beyond: +inf, as the math is
    w = np.real(lambertw(np.exp(1.0 - tt[finite])))
    np.testing.assert_allclose(value[finite], w + 1.0 / w + tt[finite] - 2.0, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(grad[finite], 1.0 / w, rtol=1e-5)  # f*'(t) = 1/W(e^(1-t))
    assert np.isfinite(value[finite]).all() and np.all(np.isposinf(value[tt > 90.0]))
    assert np.all(np.isposinf(grad[tt > 90.0]))
