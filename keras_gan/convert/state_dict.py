"""A PyTorch state dict read as NumPy arrays, and its tensors put into Keras layers.

PyTorch lays out a convolution kernel `[out, in, kh, kw]` and a linear map `[out, in]`; Keras
`[kh, kw, in, out]` and `[in, out]`. `torch.nn.utils.spectral_norm` keeps the raw weight as
`weight_orig` with its power-iteration vectors `weight_u` (over the output axis) and
`weight_v`; keras-gan's `SpectralNormalization` keeps the raw kernel and `u` over the output axis
(for an embedding table `[classes, dim]`, over `dim`: PyTorch's `weight_v`).
"""

import numpy as np


class StateDict:
    """Named arrays (a state dict as NumPy) that keeps track of which were taken.

    Args:
        arrays: a mapping `name -> array`.
        source: what the arrays came from, for error messages (a file name).
    """

    def __init__(self, arrays, source="the state dict"):
        self.arrays = {k: np.asarray(v) for k, v in arrays.items()}
        self.source = source
        self.taken = set()

    def __contains__(self, key):
        return key in self.arrays

    def take(self, key):
        if key not in self.arrays:
            raise ValueError(
                f"{self.source} has no tensor {key!r}: it is not a checkpoint of this "
                f"architecture (or of this preset's size). Its first keys: "
                f"{', '.join(sorted(self.arrays)[:5])}"
            )
        self.taken.add(key)
        return self.arrays[key]

    def prefixes(self, pattern):
        """The distinct `prefix.N` module indices N under `pattern` (e.g. `blocks`), sorted."""
        found = set()
        for key in self.arrays:
            if key.startswith(pattern + "."):
                found.add(int(key[len(pattern) + 1 :].split(".")[0]))
        return sorted(found)

    def check_all_taken(self, ignore=("num_batches_tracked",)):
        """Every tensor was used: a leftover means the checkpoint has parts the network lacks."""
        left = sorted(k for k in self.arrays if k not in self.taken and not k.endswith(ignore))
        if left:
            raise ValueError(
                f"{self.source} has tensors this network has no place for, first {left[0]!r} "
                f"({len(left)} in all): it is a checkpoint of another architecture or size."
            )


def assign(variable, value, key):
    """`variable.assign(value)`, refusing a shape mismatch with the checkpoint's key named."""
    value = np.asarray(value, np.float32)
    if tuple(variable.shape) != value.shape:
        raise ValueError(
            f"The checkpoint's {key!r} has shape {value.shape} (converted), the network's "
            f"{variable.path} {tuple(variable.shape)}: the preset's size does not match the "
            "checkpoint."
        )
    variable.assign(value)


def linear_kernel(weight):
    """PyTorch `[out, in]` as Keras `[in, out]`."""
    return np.transpose(weight)


def conv_kernel(weight):
    """PyTorch `[out, in, kh, kw]` as Keras `[kh, kw, in, out]`."""
    return np.transpose(weight, (2, 3, 1, 0))


def spectral(
    state, prefix, sn_layer, kernel_fn, u_key="weight_u", weight="weight_orig", unused=None
):
    """A spectrally normalized PyTorch module `prefix` into a keras-gan `SpectralNormalization`
    (kernel, bias where both have one, and the power-iteration vector).

    `torch.nn.utils.spectral_norm` names them `weight_orig`, `weight_u`, `weight_v` (the defaults);
    BigGAN-PyTorch's `SN` layers `weight`, `u0` (`[1, out]`) and `sv0` (`weight="weight",
    u_key="u0", unused=("sv0",)`). `unused`: the module's other buffers (default: the vector
    not taken of `weight_u`/`weight_v`).
    """
    inner = sn_layer.layer
    kernel = inner.embeddings if hasattr(inner, "embeddings") else inner.kernel
    assign(kernel, kernel_fn(state.take(f"{prefix}.{weight}")), f"{prefix}.{weight}")
    assign(sn_layer.u, state.take(f"{prefix}.{u_key}").reshape(1, -1), f"{prefix}.{u_key}")
    if unused is None:
        unused = ("weight_v",) if u_key == "weight_u" else ("weight_u",)
    for key in unused:
        state.take(f"{prefix}.{key}")
    bias = getattr(inner, "bias", None)
    if bias is not None:
        assign(bias, state.take(f"{prefix}.bias"), f"{prefix}.bias")


def feature_map_order(weight, channels, side):
    """Rows of a linear map whose output PyTorch views as `[C, side, side]`, reordered for Keras's
    `[side, side, C]` reshape (`weight` `[C·side·side, ...]`; a bias or `u` as `[n, 1]`)."""
    weight = weight.reshape(channels, side, side, -1).transpose(1, 2, 0, 3)
    return weight.reshape(channels * side * side, -1)


def batch_norm(
    state, prefix, layer, affine=True, stats=("running_mean", "running_var"), gain="weight"
):
    """A PyTorch `BatchNorm2d` into a Keras BatchNormalization (moving statistics; gain and bias
    when affine). BigGAN-PyTorch's `bn` names them `stored_mean`, `stored_var`, `gain`."""
    mean, var = (f"{prefix}.{name}" for name in stats)
    assign(layer.moving_mean, state.take(mean), mean)
    assign(layer.moving_variance, state.take(var), var)
    if affine:
        assign(layer.gamma, state.take(f"{prefix}.{gain}"), f"{prefix}.{gain}")
        assign(layer.beta, state.take(f"{prefix}.bias"), f"{prefix}.bias")
