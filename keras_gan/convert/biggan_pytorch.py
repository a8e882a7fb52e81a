"""BigGAN-PyTorch (ajbrock) checkpoints into keras-gan's BigGAN networks.

Matches `BigGAN.py`'s `Generator` with `G_shared`, `hier`, SN and `norm_style='bn'`, and its
`Discriminator` (projection, SN, attention), as `scripts/launch_BigGAN_bs256x8.sh` builds them
for the released 128×128 ImageNet model: the `biggan-imagenet128` preset builds the same
networks, and `tests/test_parity.py` holds them to BigGAN-PyTorch's own outputs. Its `SN` layers
run one power iteration from the stored `u0` in eval mode too, as keras-gan's
`SpectralNormalization` does, so the two agree for any stored vector; the one exception is the
discriminator's class embedding, whose `u0` lies on the class side of the table (keras-gan's
vector on the feature side): it is carried over as `normalize(u0 · W)`, which gives the same
normalized table for a converged `u0` (a trained checkpoint's).
"""

import numpy as np

from keras_gan.convert.state_dict import (
    assign,
    batch_norm,
    conv_kernel,
    feature_map_order,
    linear_kernel,
    spectral,
)
from keras_gan.layers import ConditionalBatchNormalization, SelfAttention2D

_SN = {"weight": "weight", "u_key": "u0", "unused": ("sv0",)}
_BN = {"stats": ("stored_mean", "stored_var")}


def _attention_layers(network):
    return iter(layer for layer in network.layers if isinstance(layer, SelfAttention2D))


def _attention(state, prefix, layers):
    """The `Attention` module at `prefix`, if the checkpoint has one there, into the next of
    `layers`."""
    if f"{prefix}.gamma" not in state:
        return
    layer = next(layers)
    for name in ("theta", "phi", "g", "o"):
        spectral(state, f"{prefix}.{name}", getattr(layer, name), conv_kernel, **_SN)
    layer.gamma.assign(float(state.take(f"{prefix}.gamma").reshape(())))


def load_generator(state, generator, root=""):
    """BigGAN-PyTorch's `Generator` state (keys under `root`) into `generator`."""
    linear = generator.get_layer("sn_linear")
    rows = int(linear.layer.kernel.shape[-1])
    channels = int(generator.get_layer("sn_block0_skip").layer.kernel.shape[2])
    side = int(round((rows // channels) ** 0.5))
    key = f"{root}linear"
    weight = state.take(f"{key}.weight")
    if weight.shape[0] != rows:
        raise ValueError(
            f"The checkpoint's '{key}.weight' has shape {weight.shape}, the network's "
            f"{linear.layer.kernel.path} {tuple(linear.layer.kernel.shape)}: the preset's size "
            "does not match the checkpoint."
        )
    assign(linear.layer.kernel, feature_map_order(weight, channels, side).T, f"{key}.weight")
    bias = feature_map_order(state.take(f"{key}.bias")[:, None], channels, side)[:, 0]
    assign(linear.layer.bias, bias, f"{key}.bias")
    u = feature_map_order(state.take(f"{key}.u0").reshape(-1, 1), channels, side).T
    assign(linear.u, u, f"{key}.u0")
    state.take(f"{key}.sv0")
    assign(generator.get_layer("shared").embeddings, state.take(f"{root}shared.weight"), "shared")
    attention = _attention_layers(generator)
    for i in state.prefixes(f"{root}blocks"):
        prefix = f"{root}blocks.{i}.0"
        for bn in ("bn1", "bn2"):
            cbn = generator.get_layer(f"block{i}_{bn}")
            if not isinstance(cbn, ConditionalBatchNormalization):
                raise ValueError(f"block{i}_{bn} of {generator.name} is not conditional.")
            batch_norm(state, f"{prefix}.{bn}", cbn.normalize, affine=False, **_BN)
            spectral(state, f"{prefix}.{bn}.gain", cbn.gain, linear_kernel, **_SN)
            spectral(state, f"{prefix}.{bn}.bias", cbn.bias, linear_kernel, **_SN)
        for theirs, ours in (("conv1", "conv1"), ("conv2", "conv2"), ("conv_sc", "skip")):
            layer = generator.get_layer(f"sn_block{i}_{ours}")
            spectral(state, f"{prefix}.{theirs}", layer, conv_kernel, **_SN)
        _attention(state, f"{root}blocks.{i}.1", attention)
    batch_norm(state, f"{root}output_layer.0", generator.get_layer("out_bn"), gain="gain", **_BN)
    spectral(state, f"{root}output_layer.2", generator.get_layer("sn_to_image"), conv_kernel, **_SN)


def load_discriminator(state, discriminator, root=""):
    """BigGAN-PyTorch's `Discriminator` state (keys under `root`) into `discriminator`."""
    attention = _attention_layers(discriminator)
    for i in state.prefixes(f"{root}blocks"):
        prefix = f"{root}blocks.{i}.0"
        for theirs, ours in (("conv1", "conv1"), ("conv2", "conv2"), ("conv_sc", "skip")):
            if theirs == "conv_sc" and f"{prefix}.conv_sc.weight" not in state:
                continue  # an identity shortcut
            layer = discriminator.get_layer(f"sn_block{i}_{ours}")
            spectral(state, f"{prefix}.{theirs}", layer, conv_kernel, **_SN)
        _attention(state, f"{root}blocks.{i}.1", attention)
    head = discriminator.get_layer("projection")
    spectral(state, f"{root}linear", head.linear, linear_kernel, **_SN)
    key = f"{root}embed"
    table = state.take(f"{key}.weight")
    assign(head.embed.layer.embeddings, table, f"{key}.weight")
    u = state.take(f"{key}.u0").reshape(1, -1) @ table
    assign(head.embed.u, u / max(float(np.linalg.norm(u)), 1e-12), f"{key}.u0")
    state.take(f"{key}.sv0")
