"""Reading the authors' checkpoints and turning them into keras-gan run directories.

`read_state_dict(path)` reads a state dict from `.npz`, `.safetensors` (read here, no package
needed) or `.pth`/`.pt` (PyTorch's format: needs `pip install keras-gan[convert]`).
`import_checkpoint(...)` builds a preset, loads the generator (and discriminator) into it and
writes a run directory that `keras-gan sample`, `evaluate`, `interpolate` and `export` use like a
trained one.
"""

import dataclasses
import json
import os

import numpy as np

from keras_gan.convert import biggan_pytorch, cyclegan, studiogan
from keras_gan.convert.state_dict import StateDict

_SAFETENSORS_DTYPES = {
    "F64": np.float64,
    "F32": np.float32,
    "F16": np.float16,
    "I64": np.int64,
    "I32": np.int32,
    "U8": np.uint8,
    "BOOL": np.bool_,
}


@dataclasses.dataclass(frozen=True)
class Format:
    """A source of checkpoints: the presets it fits and, per checkpoint file a user may give
    (`generator` always), the network it loads into and how."""

    reference: str
    presets: tuple
    parts: dict


FORMATS = {
    "studiogan": Format(
        reference="POSTECH-CVLab/PyTorch-StudioGAN (big_resnet.py, resnet.py)",
        presets=("biggan-cifar10", "sagan-cifar10"),
        parts={
            "generator": ("generator", studiogan.load_generator),
            "discriminator": ("discriminator", studiogan.load_discriminator),
        },
    ),
    # The released 128x128 ImageNet model: G.pth, G_ema.pth (import as the generator) and D.pth.
    "biggan-pytorch": Format(
        reference="ajbrock/BigGAN-PyTorch (BigGAN.py, launch_BigGAN_bs256x8.sh)",
        presets=("biggan-imagenet128",),
        parts={
            "generator": ("generator", biggan_pytorch.load_generator),
            "discriminator": ("discriminator", biggan_pytorch.load_discriminator),
        },
    ),
    # The authors' G_A translates A -> B and their D_A judges domain B (real B against G_A(A)).
    "cyclegan": Format(
        reference="junyanz/pytorch-CycleGAN-and-pix2pix (ResnetGenerator, NLayerDiscriminator)",
        presets=("cyclegan-horse2zebra",),
        parts={
            "generator": ("generator_ab", cyclegan.load_generator),
            "generator_b": ("generator_ba", cyclegan.load_generator),
            "discriminator": ("discriminator_b", cyclegan.load_discriminator),
            "discriminator_b": ("discriminator_a", cyclegan.load_discriminator),
        },
    ),
}


def _read_safetensors(path):
    with open(path, "rb") as f:
        size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(size))
        data = f.read()
    arrays = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        if spec["dtype"] not in _SAFETENSORS_DTYPES:
            raise ValueError(f"{path}: tensor {name!r} has dtype {spec['dtype']}, not read here.")
        begin, end = spec["data_offsets"]
        dtype = np.dtype(_SAFETENSORS_DTYPES[spec["dtype"]]).newbyteorder("<")
        arrays[name] = np.frombuffer(data[begin:end], dtype).reshape(spec["shape"])
    return arrays


def _read_torch(path):
    try:
        import torch
    except ImportError as e:
        raise ValueError(
            f"{path} is a PyTorch checkpoint: reading it needs PyTorch (`pip install "
            "keras-gan[convert]`). Or save its state dict as .safetensors or .npz where PyTorch "
            "is installed, and import that."
        ) from e
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # pickle's errors name what it would have had to run
        raise ValueError(
            f"{path} holds more than tensors, and is not unpickled here ({e}). If you trust the "
            "file, save its state dict where PyTorch is installed (torch.save(torch.load(path, "
            "weights_only=False)['state_dict'], 'G_state.pth')) and import that."
        ) from e
    if isinstance(checkpoint, dict) and isinstance(checkpoint.get("state_dict"), dict):
        checkpoint = checkpoint["state_dict"]  # StudioGAN's {"state_dict": ..., "optimizer": ...}
    if not isinstance(checkpoint, dict):
        raise ValueError(f"{path} holds a {type(checkpoint).__name__}, not a state dict.")
    return {k: v.detach().cpu().numpy() for k, v in checkpoint.items() if hasattr(v, "detach")}


def read_state_dict(path):
    """A checkpoint's state dict as a `StateDict`; a `state_dict` entry (StudioGAN saves
    `{"state_dict": ..., "step": ...}`) and DataParallel's `module.` prefixes are unwrapped."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise ValueError(f"No checkpoint at {path}.")
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".npz":
        with np.load(path) as f:
            arrays = {k: f[k] for k in f.files}
    elif suffix == ".safetensors":
        arrays = _read_safetensors(path)
    elif suffix in (".pth", ".pt"):
        arrays = _read_torch(path)
    else:
        raise ValueError(
            f"Checkpoints are read from .pth/.pt (PyTorch), .safetensors or .npz files. "
            f"Received: {path}"
        )
    prefix = "state_dict."
    if any(k.startswith(prefix) for k in arrays):
        arrays = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
    if arrays and all(k.startswith("module.") for k in arrays):
        arrays = {k[len("module.") :]: v for k, v in arrays.items()}
    return StateDict(arrays, source=path)


def format_for(preset):
    """The name of the `FORMATS` entry that converts into `preset`, or None."""
    return next((name for name, f in FORMATS.items() if preset in f.presets), None)


def _format(fmt, preset):
    if fmt not in FORMATS:
        raise ValueError(f"Unknown checkpoint format {fmt!r}: choose one of {sorted(FORMATS)}.")
    if preset not in FORMATS[fmt].presets:
        raise ValueError(
            f"{fmt} checkpoints convert into {', '.join(FORMATS[fmt].presets)}. Received: "
            f"preset={preset!r}"
        )
    return FORMATS[fmt]


def load_checkpoints(model, fmt, checkpoints, preset):
    """Loads the authors' checkpoints of `fmt` into `model` (a build of `preset`): each part's
    network, then the EMA copies from the trained networks.

    Args:
        model: a keras-gan model built from `preset`.
        fmt: a key of `FORMATS` (`"studiogan"`, `"cyclegan"`, `"biggan-pytorch"`).
        checkpoints: `{part: file}`, parts of `FORMATS[fmt].parts`: `generator` (required; an
            EMA generator's where the authors release one: it is loaded into both the trained
            and the EMA generator), and e.g. `discriminator`, CycleGAN's `generator_b`. A
            network without a file keeps its initial weights.
        preset: the preset `model` was built from (one of `FORMATS[fmt].presets`).

    Returns:
        `checkpoints` without empty entries.
    """
    source = _format(fmt, preset)
    checkpoints = {k: v for k, v in checkpoints.items() if v}
    unknown = sorted(set(checkpoints) - set(source.parts))
    if unknown or "generator" not in checkpoints:
        raise ValueError(
            f"{fmt} checkpoints are {', '.join(source.parts)} (generator required). Received: "
            f"{', '.join(checkpoints) or 'none'}"
        )
    states = {part: read_state_dict(path) for part, path in checkpoints.items()}
    for part, state in states.items():
        network, load = source.parts[part]
        load(state, model.network_to_save(network))
        state.check_all_taken()
    for ema, network in model.ema_networks():
        ema.set_weights(network.get_weights())
    return checkpoints


def import_checkpoint(fmt, checkpoints, preset, out, overrides=None):
    """Converts checkpoints of `fmt` into the run directory `out` of `preset`.

    Args:
        fmt, checkpoints: as `load_checkpoints` takes them.
        preset: a preset of the format's (`FORMATS[fmt].presets`).
        out: the run directory to write; refused if it already holds a run.
        overrides: preset arguments, as `zoo.build` takes them (e.g. a smaller `ch`).

    Returns:
        The `RunDir` written.
    """
    from keras_gan import zoo
    from keras_gan.runs.directory import RunDir, write_json_atomic

    _format(fmt, preset)
    run = RunDir(out)
    if os.path.exists(run.config_path) or os.path.exists(run.model_path):
        raise ValueError(f"{out} already holds a run: choose another --out.")
    model = zoo.build(preset, **(overrides or {}))
    checkpoints = load_checkpoints(model, fmt, checkpoints, preset)
    spec = zoo.spec(preset)
    os.makedirs(run.path, exist_ok=True)
    model.save(run.model_path)
    config = {
        "model": preset,
        "data": spec.dataset,
        "data_b": None,
        "data_dir": spec.data_dir,
        "batch_size": spec.batch_size,
        "steps": 0,
        "epochs": None,
        "seed": 0,
        "strategy": "default",
        "overrides": dict(overrides) if overrides else None,
        "steps_per_epoch": spec.steps_per_epoch,
        "imported": {
            "format": fmt,
            "reference": FORMATS[fmt].reference,
            **{part: os.path.abspath(path) for part, path in checkpoints.items()},
        },
    }
    write_json_atomic(run.config_path, config)
    return run
