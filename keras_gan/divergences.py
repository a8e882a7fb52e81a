"""f-divergences for f-GAN: the generator function f, its conjugate f*, and g_f.

Reference:
    Nowozin, Cseke & Tomioka, "f-GAN: Training Generative Neural Samplers
    using Variational Divergence Minimization", NeurIPS 2016, Tables 1, 2, 6.

For convex f with f(1) = 0, `D_f(P‖Q) = ∫ q f(p/q) ≥ sup_T E_P[T] - E_Q[f*(T)]`
with `f*(t) = sup_u (u t - f(u))` (Fenchel conjugate). The critic outputs a
real number v; `g_f` (the output activation) maps it into the domain of f*.

Every object computes `f*(g_f(v))` in closed, stable form (softplus, log1p,
expm1, ...), not by composing the two functions, so losses stay finite: every
loss is finite in float32 for |v| <= 20, and the JS, GAN, TV and Pearson
losses at v = ±1e3. Nothing is clipped.

Notes on the rows:
    jensen_shannon: the paper's f(u) = -(u+1) log((1+u)/2) + u log u has
        D_f = KL(P‖M) + KL(Q‖M) = 2·JSD (Table 1's prefactor ½ does not
        match its f); we keep the paper's f, f* and g_f, so this estimates
        2·JSD.
    gan: f(u) = u log u - (u+1) log(u+1), D_f = 2·JSD - log 4; f(1) = -log 4.
    alpha: see `Alpha` for the derivation of f* and the choice of g_f.
"""

import math

import numpy as np
import tensorflow as tf

LOG2 = math.log(2.0)


def _t(x):
    """float32 tensor; float64 input stays float64 (for quadrature of f)."""
    x = tf.convert_to_tensor(x)
    return x if x.dtype == tf.float64 else tf.cast(x, tf.float32)


def _softplus(x):
    return tf.nn.softplus(x)


def _wright_omega(x):
    """W(e^x): the solution w of w + log w = x, elementwise.

    A fixed number of Newton steps from Winitzki's approximation (x < 1) or
    x - log x (x >= 1), so that each element's value depends on that element
    alone (an iterative solver that loops until the whole batch converges,
    like `tfp.math.lambertw`, gives results that depend on the batch, which
    breaks the equality of 1 and N replicas) and e^x never overflows.
    """
    x = _t(x)
    y = tf.exp(tf.minimum(x, 1.0))
    l1 = tf.math.log1p(y)
    small = l1 * (1.0 - tf.math.log1p(l1) / (2.0 + l1))
    big_x = tf.maximum(x, 1.0)
    w = tf.where(x < 1.0, small, big_x - tf.math.log(big_x))
    for _ in range(6):
        w = w - (w + tf.math.log(w) - x) / (1.0 + 1.0 / w)
    return w


class Divergence:
    """An f-divergence. Subclasses define `f`, `conjugate`, `activation`,
    `conjugate_of_activation` (f*∘g_f in stable form) and `domain` (of f*)."""

    name = None
    f_at_one = 0.0
    domain_closed = False  # whether f* is finite at the domain's end points
    PARAMS = ()  # constructor parameters, stored as attributes of the same name

    def get_params(self):
        """`{param: value}`: what `get(self.name, **params)` needs to rebuild this divergence."""
        return {key: getattr(self, key) for key in self.PARAMS}

    def f(self, u):
        raise NotImplementedError

    def conjugate(self, t):
        """f*(t); +inf outside the domain of f*."""
        raise NotImplementedError

    def domain(self):
        """`(low, high)` of the open interval where f* is finite (None = unbounded)."""
        return (None, None)

    def activation(self, v):
        raise NotImplementedError

    def conjugate_of_activation(self, v):
        return self.conjugate(self.activation(v))

    def _outside(self, t, value):
        low, high = self.domain()
        bad = tf.zeros_like(t, tf.bool)
        if low is not None:
            bad = bad | (t <= low)
        if high is not None:
            bad = bad | (t >= high)
        return tf.where(bad, tf.constant(np.inf, t.dtype), value)

    def bound(self, real_v, fake_v):
        """The variational lower bound `E_P[g_f(v)] - E_Q[f*(g_f(v))]` (the divergence estimate)."""
        return tf.reduce_mean(self.activation(_t(real_v))) - tf.reduce_mean(
            self.conjugate_of_activation(_t(fake_v))
        )

    def discriminator_loss(self, real_v, fake_v):
        """`-(E_P[g_f(v)] - E_Q[f*(g_f(v))])`: the critic maximizes the bound."""
        return -self.bound(real_v, fake_v)

    def generator_loss(self, fake_v):
        """Saddle-point form: G minimizes the bound, i.e. `-E_Q[f*(g_f(v))]`."""
        return -tf.reduce_mean(self.conjugate_of_activation(_t(fake_v)))

    def alternative_generator_loss(self, fake_v):
        """The paper's alternative (§3.2, like the non-saturating GAN loss): `-E_Q[g_f(v)]`."""
        return -tf.reduce_mean(self.activation(_t(fake_v)))

    def get_config(self):
        return {"name": self.name}


class TotalVariation(Divergence):
    name = "total_variation"
    domain_closed = True

    def f(self, u):
        return 0.5 * tf.abs(_t(u) - 1.0)

    def conjugate(self, t):
        t = _t(t)
        return tf.where(tf.abs(t) > 0.5, tf.constant(np.inf, t.dtype), t)  # closed domain [-½, ½]

    def domain(self):
        return (-0.5, 0.5)

    def activation(self, v):
        return 0.5 * tf.tanh(_t(v))

    def conjugate_of_activation(self, v):
        return 0.5 * tf.tanh(_t(v))


class KL(Divergence):
    name = "kl"

    def f(self, u):
        u = _t(u)
        return tf.math.xlogy(u, u)

    def conjugate(self, t):
        return tf.exp(_t(t) - 1.0)

    def activation(self, v):
        return _t(v)


class ReverseKL(Divergence):
    name = "reverse_kl"

    def f(self, u):
        return -tf.math.log(_t(u))

    def conjugate(self, t):
        t = _t(t)
        return self._outside(t, -1.0 - tf.math.log(tf.where(t < 0, -t, 1.0)))

    def domain(self):
        return (None, 0.0)

    def activation(self, v):
        return -tf.exp(-_t(v))

    def conjugate_of_activation(self, v):
        return -1.0 + _t(v)  # -1 - log(exp(-v))


class Pearson(Divergence):
    name = "pearson"

    def f(self, u):
        return tf.square(_t(u) - 1.0)

    def conjugate(self, t):
        t = _t(t)
        return 0.25 * t * t + t

    def activation(self, v):
        return _t(v)


class Neyman(Divergence):
    name = "neyman"

    def f(self, u):
        u = _t(u)
        return tf.square(1.0 - u) / u

    def conjugate(self, t):
        t = _t(t)
        return self._outside(t, 2.0 - 2.0 * tf.sqrt(tf.maximum(1.0 - t, 0.0)))

    def domain(self):
        return (None, 1.0)

    def activation(self, v):
        return -tf.math.expm1(_t(v))  # 1 - exp(v)

    def conjugate_of_activation(self, v):
        return 2.0 - 2.0 * tf.exp(0.5 * _t(v))  # 2 - 2 sqrt(exp(v))


class SquaredHellinger(Divergence):
    name = "squared_hellinger"

    def f(self, u):
        return tf.square(tf.sqrt(_t(u)) - 1.0)

    def conjugate(self, t):
        t = _t(t)
        return self._outside(t, t / (1.0 - t))

    def domain(self):
        return (None, 1.0)

    def activation(self, v):
        return -tf.math.expm1(_t(v))

    def conjugate_of_activation(self, v):
        return tf.math.expm1(-_t(v))  # (1 - e^v) / e^v = e^-v - 1


_JEFFREY_TINY = -20.0  # below it, W(e^x) = e^x to float32 precision


class Jeffrey(Divergence):
    """f*(t) = W(e^(1-t)) + 1/W(e^(1-t)) + t - 2, W the Lambert W function."""

    name = "jeffrey"

    def f(self, u):
        u = _t(u)
        return (u - 1.0) * tf.math.log(u)

    def conjugate(self, t):
        t = _t(t)
        x = 1.0 - t
        # W(e^x) without overflowing e^x. For x < -20, W(e^x) = e^x (1 - e^x + ...) and
        # 1/W(e^x) = e^-x + 1 to float precision; computing 1/W as e^-x there keeps the value
        # and the gradient (f*'(t) = 1/W) finite until e^-x overflows to +inf, never NaN.
        tiny = x < _JEFFREY_TINY
        w = tf.where(
            tiny, tf.exp(tf.minimum(x, _JEFFREY_TINY)), _wright_omega(tf.maximum(x, _JEFFREY_TINY))
        )
        inverse = tf.where(
            tiny, tf.exp(-tf.minimum(x, _JEFFREY_TINY)) + 1.0, 1.0 / tf.where(tiny, 1.0, w)
        )
        return w + inverse + t - 2.0

    def activation(self, v):
        return _t(v)


class JensenShannon(Divergence):
    name = "jensen_shannon"

    def f(self, u):
        u = _t(u)
        return -(u + 1.0) * tf.math.log((1.0 + u) / 2.0) + tf.math.xlogy(u, u)

    def conjugate(self, t):
        t = _t(t)
        return self._outside(t, -tf.math.log(tf.maximum(2.0 - tf.exp(tf.minimum(t, LOG2)), 1e-30)))

    def domain(self):
        return (None, LOG2)

    def activation(self, v):
        return LOG2 - _softplus(-_t(v))

    def conjugate_of_activation(self, v):
        return _softplus(_t(v)) - LOG2  # -log(2 - 2 sigmoid(v)) = -log 2 - log sigmoid(-v)


class JensenShannonWeighted(Divergence):
    """Weighted JS with weight π ∈ (0, 1): f(u) = πu log u - (1 - π + πu) log(1 - π + πu).

    f*(t) = (1 - π) log((1 - π) / (1 - π e^(t/π))) on t < -π log π; g_f(v) =
    -π log π - π softplus(-v), so that `1 - π e^(g/π) = sigmoid(-v)` and
    `f*(g_f(v)) = (1 - π)(log(1 - π) + softplus(v))`.
    """

    name = "jensen_shannon_weighted"

    PARAMS = ("pi",)

    def __init__(self, pi=0.5):
        if not 0.0 < float(pi) < 1.0:
            raise ValueError(f"pi must be in (0, 1). Received: pi={pi}")
        self.pi = float(pi)

    def f(self, u):
        u, p = _t(u), self.pi
        m = 1.0 - p + p * u
        return p * tf.math.xlogy(u, u) - m * tf.math.log(m)

    def conjugate(self, t):
        t, p = _t(t), self.pi
        inner = tf.maximum(1.0 - p * tf.exp(tf.minimum(t, self.domain()[1]) / p), 1e-30)
        return self._outside(t, (1.0 - p) * tf.math.log((1.0 - p) / inner))

    def domain(self):
        return (None, -self.pi * math.log(self.pi))

    def activation(self, v):
        p = self.pi
        return -p * math.log(p) - p * _softplus(-_t(v))

    def conjugate_of_activation(self, v):
        p = self.pi
        return (1.0 - p) * (math.log(1.0 - p) + _softplus(_t(v)))

    def get_config(self):
        return {"name": self.name, "pi": self.pi}


class GAN(Divergence):
    name = "gan"
    f_at_one = -math.log(4.0)

    def f(self, u):
        u = _t(u)
        return tf.math.xlogy(u, u) - (u + 1.0) * tf.math.log(u + 1.0)

    def conjugate(self, t):
        t = _t(t)
        return self._outside(t, -tf.math.log(-tf.math.expm1(tf.minimum(t, -1e-30))))

    def domain(self):
        return (None, 0.0)

    def activation(self, v):
        return -_softplus(-_t(v))  # log sigmoid(v)

    def conjugate_of_activation(self, v):
        return _softplus(_t(v))  # -log(1 - sigmoid(v))


class Alpha(Divergence):
    """α-divergence (α ∉ {0, 1}): f(u) = (u^α - 1 - α(u - 1)) / (α(α - 1)).

    Derivation of f*: f'(u) = (u^(α-1) - 1)/(α - 1), so the supremum of
    `ut - f(u)` is at u = w^(1/(α-1)) with w = 1 + (α - 1)t > 0; substituting,
    `f*(t) = (w^(α/(α-1)) - 1) / α`. Domain: for α < 1, f'(u) -> 1/(1 - α)
    as u -> ∞, so f* is finite only for t < 1/(1 - α) (w > 0 there); for
    α > 1, f'(0) = -1/(α - 1) and for t <= -1/(α - 1) the supremum is at
    u = 0, f*(t) = -f(0) = -1/α, so f* is finite on all of R.
    Activation: α < 1: g(v) = 1/(1 - α) - softplus(-v), so w = (1 - α)
    softplus(-v); α > 1: g(v) = softplus(v) - 1/(α - 1), so w = (α - 1)
    softplus(v) (the flat part t <= -1/(α-1), where f* has no gradient, is
    never used). Both give `f*(g(v)) = (exp(α/(α-1) · log w) - 1) / α` with
    log w computed from softplus directly.
    """

    name = "alpha"

    PARAMS = ("alpha",)

    def __init__(self, alpha=2.0):
        alpha = float(alpha)
        if alpha in (0.0, 1.0):
            raise ValueError(
                f"alpha must not be 0 or 1 (those are the KL limits). Received: alpha={alpha}"
            )
        self.alpha = alpha

    def f(self, u):
        u, a = _t(u), self.alpha
        return (tf.pow(u, a) - 1.0 - a * (u - 1.0)) / (a * (a - 1.0))

    def conjugate(self, t):
        t, a = _t(t), self.alpha
        w = 1.0 + (a - 1.0) * t
        value = (tf.pow(tf.maximum(w, 0.0), a / (a - 1.0)) - 1.0) / a
        if a > 1.0:
            return tf.where(w > 0, value, -1.0 / a)
        return self._outside(t, value)

    def domain(self):
        return (None, 1.0 / (1.0 - self.alpha)) if self.alpha < 1.0 else (None, None)

    def activation(self, v):
        v, a = _t(v), self.alpha
        if a < 1.0:
            return 1.0 / (1.0 - a) - _softplus(-v)
        return _softplus(v) - 1.0 / (a - 1.0)

    def _log_w(self, v):
        v, a = _t(v), self.alpha
        if a < 1.0:
            return math.log(1.0 - a) + tf.math.log(_softplus(-v))
        return math.log(a - 1.0) + tf.math.log(_softplus(v))

    def conjugate_of_activation(self, v):
        a = self.alpha
        return tf.math.expm1(a / (a - 1.0) * self._log_w(v)) / a

    def get_config(self):
        return {"name": self.name, "alpha": self.alpha}


_REGISTRY = {
    cls.name: cls
    for cls in (
        TotalVariation,
        KL,
        ReverseKL,
        Pearson,
        Neyman,
        SquaredHellinger,
        Jeffrey,
        JensenShannon,
        JensenShannonWeighted,
        GAN,
        Alpha,
    )
}


def names():
    """The divergences' names, in the f-GAN paper's order."""
    return list(_REGISTRY)


def get(name, **params):
    """The divergence `name` (params: `pi` for `jensen_shannon_weighted`, `alpha` for `alpha`)."""
    if isinstance(name, Divergence):
        return name
    if isinstance(name, dict):
        params, name = {k: v for k, v in name.items() if k != "name"}, name["name"]
    if name not in _REGISTRY:
        raise ValueError(f"Unknown divergence {name!r}. Choose one of: {', '.join(names())}.")
    try:
        return _REGISTRY[name](**params)
    except TypeError as e:
        raise ValueError(f"Divergence {name!r} does not take parameters {sorted(params)}.") from e
