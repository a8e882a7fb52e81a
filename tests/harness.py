"""Shared helpers of the contract tests: tiny models and synthetic batches for any preset."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import export, zoo


def build_tiny(name, **overrides):
    return zoo.build(name, **{**zoo.spec(name).tiny, **overrides})


def _random(spec, n, rng, num_classes):
    if spec.dtype.is_integer:
        return rng.integers(0, num_classes, size=n).astype(spec.dtype.as_numpy_dtype)
    return rng.uniform(-1, 1, size=(n, *spec.shape[1:])).astype(spec.dtype.as_numpy_dtype)


def synthetic_dataset(model, batch_size, steps, seed=0):
    """`steps` elements of `n_critic * batch_size` examples shaped like the model's data
    (`data_spec`)."""
    rng = np.random.default_rng(seed)
    n = model.n_critic * batch_size * steps
    spec = model.data_spec()
    parts = tuple(
        _random(s, n, rng, getattr(model, "num_classes", None)) for s in tf.nest.flatten(spec)
    )
    ds = tf.data.Dataset.from_tensor_slices(parts if isinstance(spec, tuple) else parts[0])
    return ds.batch(model.n_critic * batch_size, drop_remainder=True)


def serving_inputs(model, n, seed=0):
    """Random inputs of `serving_default` as a feed dict (images and z in [-1, 1], labels in
    range)."""
    rng = np.random.default_rng(seed)
    specs = model.serving_signatures()["serving_default"].function.input_signature
    return {s.name: _random(s, n, rng, getattr(model, "num_classes", None)) for s in specs}


def call_inputs(feed):
    """A `serving_default` feed as `model(...)` takes it (one tensor, or the list in signature
    order)."""
    values = list(feed.values())
    return values[0] if len(values) == 1 else values


def networks(model):
    """The model's networks by constructor name (the trained ones), and their EMA copies."""
    out = {name: model.network_to_save(name) for name in model.NETWORKS}
    for ema, network in model.ema_networks():
        out[f"ema of {network.name}"] = ema
    return out


def copy_networks(source, target):
    """Gives `target` every network weight of `source` (e.g. before a replica comparison)."""
    targets = networks(target)
    for name, network in networks(source).items():
        targets[name].set_weights(network.get_weights())


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
    others = networks(b)
    for name, network in networks(a).items():
        assert max_weight_diff(network.get_weights(), others[name].get_weights()) <= atol, name
    # State the model holds beside its networks (e.g. CycleGAN's image pools).
    for u, v in zip(a.weights, b.weights):
        assert max_weight_diff([np.asarray(u, np.float64)], [np.asarray(v, np.float64)]) <= atol, (
            u.path
        )


def max_weight_diff(a, b):
    return max(float(np.max(np.abs(u - v))) for u, v in zip(a, b)) if a else 0.0


def first_of_each_kind(names, kind):
    """The first name of each `kind(name)`, as a set."""
    return set({kind(name): name for name in reversed(names)}.values())


def one_per_kind(names, kind):
    """pytest params of `names`: the first preset of each `kind(name)` plain, the others
    marked `slow`, so `make test` covers every kind and `make test-slow` every preset."""
    first = first_of_each_kind(names, kind)
    return [name if name in first else pytest.param(name, marks=pytest.mark.slow) for name in names]


# Presets that train on downloads (CIFAR-10, CelebA, horse2zebra, ImageNet) last, so that the preset
# picked to represent a kind in `make test` is the cheaper one where both exist.
_DOWNLOADS = ("cifar", "celeba", "horse2zebra", "imagenet")


def downloads_last(names):
    return sorted(names, key=lambda n: (any(s in n for s in _DOWNLOADS), n))


def signature_kind(name):
    """What shapes a preset's serving signatures: the class that declares them, images or points,
    conditioning."""
    spec = zoo.spec(name)
    owner = next(c for c in spec.model.__mro__ if "serving_signatures" in vars(c))
    return owner.__name__, "image_shape" in spec.arch, "num_classes" in spec.arch


def serving_kind(name):
    """What shapes what a preset serves: its signatures, and whether they serve an EMA generator."""
    return (*signature_kind(name), zoo.spec(name).model_args.get("ema_decay") is not None)


class TinyExports:
    """Tiny presets, trained one step and exported once per test session under one base directory
    (tests/test_contract.py and tests/test_export.py read the same exports)."""

    def __init__(self, base):
        self.base = base
        self.exported = {}

    def get(self, names):
        """`{name: (model, path)}` of `names`, exporting the ones not exported yet."""
        for name in sorted(set(names) - set(self.exported)):
            model = build_tiny(name)
            model.fit(synthetic_dataset(model, 8, 1), epochs=1, verbose=0)
            self.exported[name] = (model, export.export_generator(model, str(self.base), name))
        return {name: self.exported[name] for name in names}
