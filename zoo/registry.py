"""The preset registry: presets are plain data; `build` turns one into a compiled model."""

import copy
import dataclasses
from typing import Callable, Optional

from keras_gan.schedules import LinearDecay

_PRESETS = {}


@dataclasses.dataclass(frozen=True)
class Preset:
    """A ready model: architecture, scheme, hyper-parameters and data, from a paper.

    Attributes:
        name: registry name, e.g. `"dcgan-mnist"`.
        model: the `keras_gan.models` class to build.
        networks: `networks(**arch) -> {argument: network}`: the model's network arguments
            (`generator` and `discriminator`; MEG's `energy`, `generator`, `statistics`; ...).
        arch: keyword arguments of `networks` (sizes, `latent_dim`, `num_classes`).
        shared: the keys of `arch` that the model takes too (e.g. `latent_dim`, `num_classes`,
            `pack`): each is passed to both, so an override of it changes both.
        model_args: keyword arguments of `model` (losses, options).
        g_optimizer, d_optimizer: Keras optimizer configs (`{"class_name", "config"}`).
        n_critic: discriminator updates per generator update.
        dataset: default `keras_gan.data.load` source.
        batch_size: examples per discriminator update.
        steps: default training length in steps.
        steps_per_epoch: steps between checkpoints, samples and log lines.
        reference: the paper(s) the preset follows.
        tiny: overrides that make a fast test-size model (for the contract tests).
        data_dir: default data folder (relative to the repository), if any.
        jit_compile: compile the train step with XLA by default (set where
            it measured faster on CPU: `python -m benchmarks.speed`, BENCHMARKS.md).
        lr_decay: None (constant learning rates), or the fraction of the run,
            at its end, over which both learning rates fall linearly to 0
            (`keras_gan.schedules.LinearDecay`): 1.0 decays from the first
            step, 0.5 keeps the rates for the first half.
    """

    name: str
    model: type
    networks: Callable
    arch: dict
    model_args: dict
    g_optimizer: dict
    d_optimizer: dict
    dataset: str
    batch_size: int
    steps: int
    reference: str
    n_critic: int = 1
    steps_per_epoch: int = 200
    tiny: dict = dataclasses.field(default_factory=dict)
    data_dir: Optional[str] = None
    jit_compile: bool = False
    lr_decay: Optional[float] = None
    shared: tuple = ()

    def __post_init__(self):
        _check_lr_decay(self.lr_decay, f"Preset {self.name!r}: ")
        missing = [key for key in self.shared if key not in self.arch]
        if missing:
            raise ValueError(
                f"Preset {self.name!r}: shared keys must be keys of arch. Received: {missing}"
            )

    def to_dict(self):
        """A JSON-able summary of the preset."""
        return {
            "name": self.name,
            "model": self.model.__name__,
            "arch": dict(self.arch),
            "model_args": dict(self.model_args),
            "g_optimizer": self.g_optimizer,
            "d_optimizer": self.d_optimizer,
            "n_critic": self.n_critic,
            "dataset": self.dataset,
            "batch_size": self.batch_size,
            "steps": self.steps,
            "steps_per_epoch": self.steps_per_epoch,
            "reference": self.reference,
            "jit_compile": self.jit_compile,
            "lr_decay": self.lr_decay,
            "shared": list(self.shared),
        }


def _check_lr_decay(value, where=""):
    if value is not None and not 0 < value <= 1:
        raise ValueError(f"{where}lr_decay must be in (0, 1] (or None). Received: {value}")


def adam(learning_rate, beta_1=0.9, beta_2=0.999, epsilon=None):
    """An Adam optimizer's config (`epsilon`: Keras's default 1e-7 unless given)."""
    config = {"learning_rate": learning_rate, "beta_1": beta_1, "beta_2": beta_2}
    if epsilon is not None:
        config["epsilon"] = epsilon
    return {"class_name": "Adam", "config": config}


def register(preset):
    if preset.name in _PRESETS:
        raise ValueError(f"A preset named {preset.name!r} is already registered.")
    _PRESETS[preset.name] = preset
    return preset


def names():
    """Names of all presets, sorted."""
    return sorted(_PRESETS)


def spec(name):
    """The `Preset` named `name` (dataset, batch size, schedule, reference)."""
    if name not in _PRESETS:
        raise ValueError(
            f"Unknown model {name!r}. Available: {', '.join(names())} (see `keras-gan list`)."
        )
    return _PRESETS[name]


_COMPILE_KEYS = ("g_optimizer", "d_optimizer", "n_critic", "jit_compile")


def build(name, steps=None, weights=None, **overrides):
    """Builds and compiles preset `name`.

    Args:
        name: a name from `names()`.
        weights: the authors' released weights of the networks this preset reproduces: a
            checkpoint file of the generator (`.pth`, `.safetensors`, `.npz`), or
            `{part: file}` with e.g. `discriminator` too (`keras_gan.convert.checkpoints`:
            StudioGAN's, BigGAN-PyTorch's, CycleGAN's). None: initial weights.
        steps: the length of the training run in generator steps (default:
            the preset's); it places a preset's `lr_decay`. The discriminator's
            schedule counts its own updates (`n_critic` per step).
        **overrides: any key of the preset's `arch` (e.g. `width`,
            `latent_dim`), a keyword of its model class (e.g. `seed`,
            `generator_loss`), or `g_optimizer`, `d_optimizer`, `n_critic`,
            `jit_compile`; `learning_rate` sets both optimizers' rate,
            `g_learning_rate` and `d_learning_rate` one each (two time-scale
            rates, Heusel et al. 2017);
            `lr_decay` replaces the preset's (see `Preset`; None: constant).

    Returns:
        A compiled `keras_gan.models` instance.
    """
    preset = spec(name)
    network_keys = tuple(preset.model.NETWORKS)
    arch, model_args = dict(preset.arch), dict(preset.model_args)
    # Optimizer configs are copied: Keras and `_decay` edit them in place.
    compile_args = {
        "g_optimizer": copy.deepcopy(preset.g_optimizer),
        "d_optimizer": copy.deepcopy(preset.d_optimizer),
        "n_critic": preset.n_critic,
        "jit_compile": preset.jit_compile,
    }
    model_params = preset.model.option_names() - set(network_keys)
    lr_decay = preset.lr_decay
    for key, value in overrides.items():
        if key in arch:
            _check_like(name, key, arch[key], value)
            arch[key] = value
        elif key == "learning_rate":
            for opt in ("g_optimizer", "d_optimizer"):
                compile_args[opt]["config"]["learning_rate"] = value
        # two time-scale rates (Heusel et al. 2017)
        elif key in ("g_learning_rate", "d_learning_rate"):
            compile_args[key[0] + "_optimizer"]["config"]["learning_rate"] = value
        elif key == "lr_decay":
            lr_decay = value
        elif key in _COMPILE_KEYS:
            compile_args[key] = copy.deepcopy(value) if isinstance(value, dict) else value
        elif key in model_params:
            model_args[key] = value
        else:
            rates = {"learning_rate", "g_learning_rate", "d_learning_rate", "lr_decay"}
            allowed = sorted(set(arch) | set(_COMPILE_KEYS) | rates | model_params)
            raise ValueError(
                f"Unknown override {key!r} for {name!r}. Allowed: {', '.join(allowed)}."
            )
    total = preset.steps if steps is None else int(steps)
    _check_lr_decay(lr_decay)
    if lr_decay is not None:
        _decay(compile_args, lr_decay, total)
    networks = preset.networks(**arch)
    for key in preset.shared:
        model_args[key] = arch[key]
    model = preset.model(name=name.replace("-", "_"), **networks, **model_args)
    model.compile(**compile_args)
    if weights is not None:
        from keras_gan.convert.checkpoints import FORMATS, format_for, load_checkpoints

        fmt = format_for(name)
        if fmt is None:
            convertible = sorted(p for f in FORMATS.values() for p in f.presets)
            raise ValueError(
                f"No authors' checkpoints convert into {name!r}; weights= is for "
                f"{', '.join(convertible)}. Received: weights={weights!r}"
            )
        parts = weights if isinstance(weights, dict) else {"generator": weights}
        load_checkpoints(model, fmt, parts, name)
    return model


def _check_like(name, key, default, value):
    """Refuses an architecture override of another kind than the preset's value (e.g. text for a
    size), naming the key."""
    kinds = (
        (bool, (bool,), "true or false"),
        (int, (int,), "an integer"),
        (float, (int, float), "a number"),
        (str, (str,), "text"),
        ((list, tuple), (list, tuple), "a list"),
    )
    for of, allowed, said in kinds:
        if isinstance(default, of):
            wrong_bool = isinstance(value, bool) and of is not bool
            if not isinstance(value, allowed) or wrong_bool:
                raise ValueError(
                    f"Override {key!r} of {name!r} must be {said}, like the preset's "
                    f"{default!r}. Received: {value!r}"
                )
            return


def _decay(compile_args, fraction, total):
    """Replaces constant learning rates by `LinearDecay` over the last `fraction` of `total`
    steps."""
    if total < 1:
        raise ValueError(f"steps must be positive. Received: {total}")
    start = int(round(total * (1.0 - fraction)))
    updates = {"g_optimizer": 1, "d_optimizer": int(compile_args["n_critic"])}
    for key, per_step in updates.items():
        config = compile_args[key]
        if not isinstance(config, dict) or not isinstance(
            config["config"].get("learning_rate"), (int, float)
        ):
            continue  # an optimizer instance or an explicit schedule given as an override
        config["config"]["learning_rate"] = LinearDecay(
            config["config"]["learning_rate"], start * per_step, max(total - start, 1) * per_step
        )
