"""Energy-model losses and the JSD mutual-information estimator of MEG: pure functions.

Every loss takes raw network outputs (energies `E(x)`, statistics `T(x, z)`,
any shape `[batch]` or `[batch, 1]`) and returns a float32 scalar, the mean
over all elements. A model minimizes each `*_loss`; the estimator
`jsd_mutual_information` is maximized by the statistics network.

Reference:
    Kumar, Goyal, Courville & Bengio, "Maximum Entropy Generators for
    Energy-Based Models", arXiv:1901.08508, 2019 (MEG), Algorithm 1 and the
    authors' code (ritheshkumar95/energy_based_generative_models).
    Hjelm et al., "Learning deep representations by mutual information
    estimation and maximization", ICLR 2019 (Deep InfoMax, the JSD estimator).
"""

import tensorflow as tf

MARGINALS = ("shuffle", "resample")


def _f32(x):
    return tf.cast(tf.convert_to_tensor(x), tf.float32)


def energy_loss(real_energy, fake_energy):
    """The energy function's loss before its gradient penalty.

    Reference:
        Kumar et al. 2019 (MEG), Algorithm 1, line 4.

    Formula:
        `L_E = E_{p_d}[E(x)] - E_{p_G}[E(x̃)]`. MEG adds the zero-centred
        penalty `λ E_{p_d}[‖∇ₓE(x)‖²]`
        (`keras_gan.regularizers.r1_penalty`) to this.

    Args:
        real_energy: energies of real examples, `[batch]` or `[batch, 1]`.
        fake_energy: energies of generated examples.

    Returns:
        A float32 scalar.
    """
    return tf.reduce_mean(_f32(real_energy)) - tf.reduce_mean(_f32(fake_energy))


def energy_generator_loss(fake_energy, mutual_information, entropy_weight=1.0):
    """MEG's generator loss: low energy, high entropy.

    Reference:
        Kumar et al. 2019 (MEG), eq. (6) and Algorithm 1.

    Formula:
        `L_G = E_z[E(G(z))] - w·Î(X; Z)`; for a deterministic generator
        `H[G(Z)] = I(X; Z)`, estimated by `jsd_mutual_information`.

    Args:
        fake_energy: energies of generated examples.
        mutual_information: the scalar estimate `Î(X; Z)`.
        entropy_weight: w (1 in the paper).

    Returns:
        A float32 scalar.
    """
    return tf.reduce_mean(_f32(fake_energy)) - float(entropy_weight) * _f32(mutual_information)


def jsd_mutual_information(joint_scores, marginal_scores):
    """The Jensen-Shannon (Deep InfoMax) lower-bound estimate of I(X; Z).

    The statistics network scores pairs `T(x, z)`; pairs from the joint
    (`x = G(z)`) should score high, pairs from the product of marginals
    (`x = G(z)`, `z̃` independent of `z`) low. Both the statistics network
    and the generator maximize the estimate. (The seeds' second line,
    `E log σ(T) - E log(1 - σ(T̃))`, flips the sign of the marginal term; the
    form here is the Deep InfoMax and MEG authors' one.)

    Reference:
        Hjelm et al., ICLR 2019, eq. (4); Kumar et al. 2019 (MEG), eq. (7).

    Formula:
        `Î = E_joint[-softplus(-T(x, z))] - E_marginal[softplus(T(x, z̃))]`
        `  = E_joint[log σ(T)] + E_marginal[log(1 - σ(T̃))]`; at the optimal
        T it equals `2·JSD(p(x, z) ‖ p(x)p(z)) - 2 log 2`, hence it ranges in
        `[-2 log 2, 0]`, `-2 log 2` for independent pairs.

    Args:
        joint_scores: `T(x, z)` on dependent pairs.
        marginal_scores: `T(x, z̃)` on independent pairs.

    Returns:
        A float32 scalar (nats).
    """
    joint = -tf.nn.softplus(-_f32(joint_scores))
    marginal = tf.nn.softplus(_f32(marginal_scores))
    return tf.reduce_mean(joint) - tf.reduce_mean(marginal)


def shuffle_per_dimension(z, seed, group_size=None):
    """Permutes each latent dimension independently across examples.

    Marginals of every dimension are preserved exactly (each column is a
    permutation of itself) while the joint of `(x_i, z_i)` is broken: row i
    of the result mixes coordinates of different examples. The permutation of
    a column acts within groups of `group_size` consecutive rows, so rows of
    one group never receive values from another.

    Reference:
        Kumar et al. 2019 (MEG), Algorithm 1 ("per-dimension shuffle of z");
        Belghazi et al., "MINE", ICML 2018 (shuffling to sample the product
        of marginals).

    Args:
        z: latents `[n, d]`.
        seed: stateless seed, int32/int64 `[2]`.
        group_size: rows per group; must divide `n`. None: one group of all rows.

    Returns:
        A tensor of the shape and dtype of `z`.
    """
    if group_size is not None and int(group_size) < 1:
        raise ValueError(
            f"group_size must be a positive integer or None. Received: group_size={group_size}"
        )
    z = tf.convert_to_tensor(z)
    n, d = tf.shape(z)[0], tf.shape(z)[1]
    g = n if group_size is None else tf.constant(int(group_size), tf.int32)
    check = tf.debugging.assert_equal(
        tf.math.floormod(n, g),
        0,
        message="shuffle_per_dimension: group_size must divide the batch size",
    )
    with tf.control_dependencies([check]):
        groups = tf.reshape(z, [n // g, g, d])
    keys = tf.random.stateless_uniform(tf.shape(groups), seed)
    order = tf.argsort(keys, axis=1, stable=True)  # one permutation per (group, dimension)
    shuffled = _gather_rows(groups, order)
    return tf.reshape(shuffled, tf.shape(z))


def _gather_rows(groups, order):
    # groups, order: [G, g, d]; out[a, i, k] = groups[a, order[a, i, k], k]
    swapped = tf.transpose(groups, [0, 2, 1])  # [G, d, g]
    idx = tf.transpose(order, [0, 2, 1])
    out = tf.gather(swapped, idx, axis=2, batch_dims=2)
    return tf.transpose(out, [0, 2, 1])


def score_penalty(energy, x):
    """MEG's zero-centred score penalty on real data, in the authors' convention.

    Reference:
        Kumar et al. 2019 (MEG), the authors' `networks/regularizers.py`
        (`score_penalty`): `(score.norm(2, dim=1) ** 2).mean()` on NCHW
        tensors, the squared norm over channels averaged over the batch and
        every pixel. (Summing over pixels instead, as R1 does, makes the same
        λ H·W times stronger: 784 times on 28×28 images.)

    Formula:
        images `[n, H, W, C]`: `mean_{n,h,w} Σ_c (∂E/∂x_{n,h,w,c})²`;
        vectors `[n, d]`: `mean_n Σ_d (∂E/∂x_{n,d})²` (the norm is over the
        feature axis, the channels of a vector).

    Args:
        energy: a callable `x -> E(x)` of any shape `[n]` or `[n, 1]`.
        x: real examples, channels last.

    Returns:
        A float32 scalar, before λ.
    """
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(tf.cast(energy(x), tf.float32))
    score = tf.cast(tape.gradient(total, x), tf.float32)
    return tf.reduce_mean(tf.reduce_sum(tf.square(score), axis=-1))
