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


def conv_kernel(weight):
    """PyTorch `[out, in, kh, kw]` as Keras `[kh, kw, in, out]`."""
    return np.transpose(weight, (2, 3, 1, 0))


def spectral(state, prefix, sn_layer, kernel_fn, u_key="weight_u"):
    """A spectrally normalized PyTorch module `prefix` into a keras-gan `SpectralNormalization`
    (kernel, bias where both have one, and the power-iteration vector)."""
    inner = sn_layer.layer
    kernel = inner.embeddings if hasattr(inner, "embeddings") else inner.kernel
    assign(kernel, kernel_fn(state.take(f"{prefix}.weight_orig")), f"{prefix}.weight_orig")
    assign(sn_layer.u, state.take(f"{prefix}.{u_key}")[None], f"{prefix}.{u_key}")
    state.take(f"{prefix}.weight_v" if u_key == "weight_u" else f"{prefix}.weight_u")
    bias = getattr(inner, "bias", None)
    if bias is not None:
        assign(bias, state.take(f"{prefix}.bias"), f"{prefix}.bias")


def batch_norm(state, prefix, layer, affine=True):
    """A PyTorch `BatchNorm2d` into a Keras BatchNormalization (moving statistics; gain and bias
    when affine)."""
    assign(layer.moving_mean, state.take(f"{prefix}.running_mean"), f"{prefix}.running_mean")
    assign(layer.moving_variance, state.take(f"{prefix}.running_var"), f"{prefix}.running_var")
    if affine:
        assign(layer.gamma, state.take(f"{prefix}.weight"), f"{prefix}.weight")
        assign(layer.beta, state.take(f"{prefix}.bias"), f"{prefix}.bias")
