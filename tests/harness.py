"""Shared helpers of the contract tests: tiny models and synthetic batches for any preset."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import zoo


def build_tiny(name, **overrides):
    return zoo.build(name, **{**zoo.spec(name).tiny, **overrides})


def synthetic_dataset(model, batch_size, steps, seed=0):
    """`steps` elements of `n_critic * batch_size` examples shaped like the model's data."""
    rng = np.random.default_rng(seed)
    d_input = model.discriminator.inputs[0]
    n = model.n_critic * batch_size * steps
    x = rng.uniform(-1, 1, size=(n, *d_input.shape[1:])).astype(np.float32)
    if model.conditional:
        y = rng.integers(0, model.num_classes, size=n).astype(np.int32)
        ds = tf.data.Dataset.from_tensor_slices((x, y))
    else:
        ds = tf.data.Dataset.from_tensor_slices(x)
    return ds.batch(model.n_critic * batch_size, drop_remainder=True)


def networks(model):
    """The model's networks by attribute name: the trained generator (distinct from the
    served `generator` under EMA), the generator, the discriminator and MEG's statistics."""
    names = ["generator", "discriminator"] + (["statistics"] if hasattr(model, "statistics") else [])
    if model.trained_generator is not model.generator:
        names.insert(0, "trained_generator")
    return {name: getattr(model, name) for name in names}


def copy_networks(source, target):
    """Gives `target` every network weight of `source` (e.g. before a replica comparison)."""
    for name, network in networks(source).items():
        getattr(target, name).set_weights(network.get_weights())


def fit_single_and_mirrored(name, mirrored, batch_size, steps, **overrides):
    """Builds tiny preset `name` on one device and under `mirrored` with the same
    weights, and fits both on the same global batches.

    Returns:
        `(single, multi, single_history, multi_history)`.
    """
    single = build_tiny(name, **overrides)
    with mirrored.scope():
        multi = build_tiny(name, **overrides)
    copy_networks(single, multi)
    h1 = single.fit(synthetic_dataset(single, batch_size, steps), epochs=1, verbose=0).history
    h2 = multi.fit(synthetic_dataset(multi, batch_size, steps), epochs=1, verbose=0).history
    return single, multi, h1, h2


def assert_same_networks(a, b, atol=1e-5):
    """Every network of `a` (see `networks`) equals `b`'s within `atol`."""
    for name, network in networks(a).items():
        assert max_weight_diff(network.get_weights(), getattr(b, name).get_weights()) <= atol, name


def max_weight_diff(a, b):
    return max(float(np.max(np.abs(u - v))) for u, v in zip(a, b)) if a else 0.0


def one_per_kind(names, kind):
    """pytest params of `names`: the first preset of each `kind(name)` plain, the others
    marked `slow`, so `make test` covers every kind and `make test-slow` every preset."""
    first = set({kind(name): name for name in reversed(names)}.values())
    return [name if name in first else pytest.param(name, marks=pytest.mark.slow) for name in names]
