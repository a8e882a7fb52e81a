"""Metropolis-adjusted Langevin sampling (MALA), e.g. in a generator's latent space.

Each row of the state is an independent chain; a chain's proposal is
accepted or rejected on its own. Draws are stateless: the same seed gives
the same chain, eagerly or inside a `tf.function` / SavedModel signature.

Reference:
    Roberts & Tweedie, "Exponential convergence of Langevin distributions and
    their discrete approximations", Bernoulli 2(4), 1996.
    Kumar et al., "Maximum Entropy Generators for Energy-Based Models", 2019,
    §4 (MALA on z with the energy E(G(z))).

Formula:
    For a target density `p(z) ∝ exp(log_prob(z))` and step `α`:
    proposal `z' = z + α ∇log p(z) + √(2α) ε`, `ε ~ N(0, I)`;
    `log q(z' | z) = -‖z' - z - α ∇log p(z)‖² / (4α)` (+ const);
    accept with probability
    `min(1, p(z') q(z | z') / (p(z) q(z' | z)))`.
    With `log p = -E(G(z))` this is the seeds' update
    `z' = z - α ∂E/∂z + √(2α) ε`. `tfp.mcmc.MetropolisAdjustedLangevinAlgorithm`
    with `step_size = 2α` is the same chain.
"""

import tensorflow as tf


def _log_prob_and_grad(log_prob_fn, z):
    with tf.GradientTape() as tape:
        tape.watch(z)
        log_prob = log_prob_fn(z)
    grad = tape.gradient(log_prob, z)
    if grad is None:  # a log density that does not depend on z
        grad = tf.zeros_like(z)
    return log_prob, grad


def _log_q(to, frm, grad_frm, step_size):
    """`log q(to | frm)` up to a constant: `-‖to - frm - α ∇log p(frm)‖² / (4α)`, per row."""
    diff = to - frm - step_size * grad_frm
    return -tf.reduce_sum(tf.square(diff), axis=-1) / (4.0 * step_size)


def mala_log_accept_ratio(log_prob_fn, current, proposed, step_size):
    """Log Metropolis-Hastings ratio of moving each chain from `current` to `proposed`.

    Formula:
        `log p(z') - log p(z) + log q(z | z') - log q(z' | z)`; the acceptance
        probability is `min(1, exp(ratio))`.

    Args:
        log_prob_fn: `z [n, d] -> [n]` unnormalized log density, differentiable.
        current: states `[n, d]`.
        proposed: proposals `[n, d]`.
        step_size: α.

    Returns:
        `[n]` log ratios.
    """
    current, proposed = tf.convert_to_tensor(current), tf.convert_to_tensor(proposed)
    step_size = tf.cast(step_size, current.dtype)
    lp_current, g_current = _log_prob_and_grad(log_prob_fn, current)
    lp_proposed, g_proposed = _log_prob_and_grad(log_prob_fn, proposed)
    return (
        lp_proposed
        - lp_current
        + _log_q(current, proposed, g_proposed, step_size)
        - _log_q(proposed, current, g_current, step_size)
    )


def mala(log_prob_fn, initial, num_steps, step_size, seed):
    """Runs `num_steps` MALA steps from `initial`; one chain per row.

    Reference:
        Roberts & Tweedie 1996; Kumar et al. 2019 (MEG), §4.

    Formula:
        See the module docstring.

    Args:
        log_prob_fn: `z [n, d] -> [n]` unnormalized log density of the target.
        initial: starting states `[n, d]` (float32 or float64).
        num_steps: number of steps (int or int scalar tensor; 0 returns `initial`).
        step_size: α > 0 (float or float scalar tensor).
        seed: stateless seed, int `[2]`; step t uses `fold_in(seed, t)`.

    Returns:
        `(states, acceptance_rate)`: the final states `[n, d]` and the mean
        fraction of accepted proposals per chain `[n]` (0 when `num_steps` is 0).
    """
    z = tf.convert_to_tensor(initial)
    dtype = z.dtype
    step_size = tf.cast(step_size, dtype)
    num_steps = tf.cast(num_steps, tf.int32)
    seed = tf.cast(seed, tf.int64)
    log_prob, grad = _log_prob_and_grad(log_prob_fn, z)

    def body(t, z, log_prob, grad, accepted):
        step_seed = tf.random.experimental.stateless_fold_in(seed, t)
        noise_seed = tf.random.experimental.stateless_fold_in(step_seed, 0)
        accept_seed = tf.random.experimental.stateless_fold_in(step_seed, 1)
        noise = tf.random.stateless_normal(tf.shape(z), noise_seed, dtype=dtype)
        proposed = z + step_size * grad + tf.sqrt(2.0 * step_size) * noise
        lp_new, g_new = _log_prob_and_grad(log_prob_fn, proposed)
        log_ratio = (
            lp_new
            - log_prob
            + _log_q(z, proposed, g_new, step_size)
            - _log_q(proposed, z, grad, step_size)
        )
        log_u = tf.math.log(
            tf.random.stateless_uniform(tf.shape(log_ratio), accept_seed, dtype=dtype)
        )
        accept = log_u < log_ratio  # NaN ratios (e.g. an infinite energy) reject
        z = tf.where(accept[:, None], proposed, z)
        log_prob = tf.where(accept, lp_new, log_prob)
        grad = tf.where(accept[:, None], g_new, grad)
        return t + 1, z, log_prob, grad, accepted + tf.cast(accept, dtype)

    _, z, _, _, accepted = tf.while_loop(
        lambda t, *_: t < num_steps,
        body,
        (tf.constant(0, tf.int32), z, log_prob, grad, tf.zeros(tf.shape(z)[:1], dtype)),
    )
    rate = accepted / tf.maximum(tf.cast(num_steps, dtype), 1.0)
    return z, rate
