"""StudioGAN checkpoints into keras-gan's SAGAN and BigGAN networks.

Matches PyTorch-StudioGAN's `src/models/big_resnet.py` (Generator with cBN on a shared class
embedding and chunks of z, Discriminator with projection, spectral norms in both, self-attention),
which its `configs/CIFAR10/BigGAN.yaml` builds, and `src/models/resnet.py` (cBN on the one-hot
label, the same discriminator), which `configs/CIFAR10/SAGAN.yaml` builds; `zoo/biggan` builds the
same networks (`biggan-cifar10`, `sagan-cifar10`), and `tests/test_parity.py` holds them to
StudioGAN's own outputs.

One documented difference: keras-gan's spectral normalization runs one power iteration per call,
also in inference, where PyTorch's eval mode reuses the stored `u` and `v`. For a trained
checkpoint, whose vectors have converged, the two agree.
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


def _attention(state, prefix, layer):
    for torch_name, ours in (
        ("conv1x1_theta", layer.theta),
        ("conv1x1_phi", layer.phi),
        ("conv1x1_g", layer.g),
        ("conv1x1_attn", layer.o),
    ):
        spectral(state, f"{prefix}.{torch_name}", ours, conv_kernel)
    layer.gamma.assign(float(state.take(f"{prefix}.sigma").reshape(())))


def _blocks(state, root):
    """`(index, kind)` of `root.blocks.N.0`: "attention" or "block"."""
    return [
        (j, "attention" if f"{root}blocks.{j}.0.sigma" in state else "block")
        for j in state.prefixes(f"{root}blocks")
    ]


def _residual_blocks(state, network, root):
    """`(i, prefix)` of each residual block under `root.blocks`, in order; the self-attention
    blocks between them (their own `blocks.N`) are loaded on the way."""
    attention = iter(layer for layer in network.layers if isinstance(layer, SelfAttention2D))
    block = 0
    for j, kind in _blocks(state, root):
        prefix = f"{root}blocks.{j}.0"
        if kind == "attention":
            _attention(state, prefix, next(attention))
            continue
        yield block, prefix
        block += 1


def load_generator(state, generator, root=""):
    """StudioGAN's big_resnet or resnet `Generator` state (keys under `root`) into `generator`."""
    linear = generator.get_layer("sn_linear")
    bottom_channels = int(linear.layer.kernel.shape[-1])
    first_block = generator.get_layer("sn_block0_skip").layer.kernel
    channels = int(first_block.shape[2])
    bottom = int(round((bottom_channels // channels) ** 0.5))

    def permuted(weight):  # PyTorch views the output as [C, h, w]; Keras reshapes to [h, w, C]
        return feature_map_order(weight, channels, bottom)

    key = f"{root}linear0"
    rows = state.arrays.get(f"{key}.weight_orig", np.zeros((0, 0))).shape[0]
    if f"{key}.weight_orig" in state and rows != bottom_channels:
        raise ValueError(
            f"The checkpoint's '{key}.weight_orig' has shape "
            f"{state.arrays[f'{key}.weight_orig'].shape}, the network's {linear.layer.kernel.path} "
            f"{tuple(linear.layer.kernel.shape)}: the preset's size does not match the checkpoint."
        )
    assign(linear.layer.kernel, permuted(state.take(f"{key}.weight_orig")).T, f"{key}.weight_orig")
    assign(linear.layer.bias, permuted(state.take(f"{key}.bias")[:, None])[:, 0], f"{key}.bias")
    assign(linear.u, permuted(state.take(f"{key}.weight_u")[:, None]).T, f"{key}.weight_u")
    state.take(f"{key}.weight_v")
    if f"{root}shared.weight" in state:  # big_resnet's shared class embedding
        shared = generator.get_layer("shared")
        assign(shared.embeddings, state.take(f"{root}shared.weight"), f"{root}shared.weight")
    for block, prefix in _residual_blocks(state, generator, root):
        for bn in ("bn1", "bn2"):
            cbn = generator.get_layer(f"block{block}_{bn}")
            if not isinstance(cbn, ConditionalBatchNormalization):
                raise ValueError(f"block{block}_{bn} of {generator.name} is not conditional.")
            batch_norm(state, f"{prefix}.{bn}.bn", cbn.normalize, affine=False)
            spectral(state, f"{prefix}.{bn}.gain", cbn.gain, linear_kernel)
            spectral(state, f"{prefix}.{bn}.bias", cbn.bias, linear_kernel)
        for torch_name, ours in (("conv2d1", "conv1"), ("conv2d2", "conv2"), ("conv2d0", "skip")):
            layer = generator.get_layer(f"sn_block{block}_{ours}")
            spectral(state, f"{prefix}.{torch_name}", layer, conv_kernel)
    batch_norm(state, f"{root}bn4", generator.get_layer("out_bn"))
    spectral(state, f"{root}conv2d5", generator.get_layer("sn_to_image"), conv_kernel)


def load_discriminator(state, discriminator, root=""):
    """StudioGAN's big_resnet or resnet `Discriminator` state (keys under `root`) into
    `discriminator`."""
    for block, prefix in _residual_blocks(state, discriminator, root):
        for torch_name, ours in (("conv2d1", "conv1"), ("conv2d2", "conv2"), ("conv2d0", "skip")):
            if torch_name == "conv2d0" and f"{prefix}.conv2d0.weight_orig" not in state:
                continue  # an identity shortcut
            layer = discriminator.get_layer(f"sn_block{block}_{ours}")
            spectral(state, f"{prefix}.{torch_name}", layer, conv_kernel)
    if f"{root}embedding.weight_orig" in state:
        head = discriminator.get_layer("projection")
        spectral(state, f"{root}linear1", head.linear, linear_kernel)
        spectral(state, f"{root}embedding", head.embed, lambda w: w, u_key="weight_v")
    else:
        spectral(state, f"{root}linear1", discriminator.get_layer("sn_linear"), linear_kernel)
