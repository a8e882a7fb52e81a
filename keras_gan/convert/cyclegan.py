"""junyanz/pytorch-CycleGAN-and-pix2pix checkpoints into keras-gan's CycleGAN networks.

Matches `models/networks.py`'s `ResnetGenerator` (`--netG resnet_9blocks` / `resnet_6blocks`,
`--norm instance`, no dropout) and `NLayerDiscriminator` (`--netD basic`, n_layers 3), which
`zoo/cyclegan` builds; `tests/test_parity.py` holds them to the authors' outputs. The released
translators (`latest_net_G_A.pth`, `latest_net_G_B.pth`, `latest_net_G.pth` of the test-only
models) are generator state dicts: `model.N.weight` in the network's order.
"""

import re

from keras_gan.convert.state_dict import assign, conv_kernel

_KEY = re.compile(r"^model\.(\d+)\.(?:conv_block\.(\d+)\.)?weight$")


def _weights_in_order(state):
    """The keys of every convolution's weight, in the network's order (4-d tensors: the
    instance norms have none; old checkpoints' running statistics are left out)."""
    keys = []
    for key, value in state.arrays.items():
        match = _KEY.match(key)
        if match and value.ndim == 4:
            keys.append(((int(match.group(1)), int(match.group(2) or 0)), key))
    return [key for _, key in sorted(keys)]


def _load(state, network, convolutions):
    keys = _weights_in_order(state)
    if len(keys) != len(convolutions):
        raise ValueError(
            f"{state.source} has {len(keys)} convolutions, {network.name} "
            f"{len(convolutions)}: it is a checkpoint of another architecture (blocks, layers)."
        )
    for key, layer in zip(keys, convolutions):
        assign(layer.kernel, conv_kernel(state.take(key)), key)
        bias = key[: -len("weight")] + "bias"
        if layer.bias is not None:
            assign(layer.bias, state.take(bias), bias)
    for key in list(state.arrays):  # the old InstanceNorm buffers (track_running_stats=True)
        if key.endswith(("running_mean", "running_var", "num_batches_tracked")):
            state.taken.add(key)


def _convolutions(network):
    import keras

    return [
        layer
        for layer in network.layers
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.Conv2DTranspose))
    ]


def load_generator(state, generator):
    """A `ResnetGenerator` state dict into a keras-gan CycleGAN generator."""
    _load(state, generator, _convolutions(generator))


def load_discriminator(state, discriminator):
    """An `NLayerDiscriminator` state dict into a keras-gan PatchGAN discriminator."""
    _load(state, discriminator, _convolutions(discriminator))
