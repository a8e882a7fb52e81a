"""StyleGAN's networks at a fixed resolution (NVlabs `networks_stylegan.py`, without progressive
growing).

Mapping: z (pixel-normalized) through `depth` equalized dense layers (lr ×0.01).
Synthesis: a learned 4×4 constant; per resolution two 3×3 equalized
convolutions (the first after a nearest 2× upsampling, from 8×8 on), each
followed by a noise input, a bias, LeakyReLU(0.2) and AdaIN with its own w
(2 per resolution: `num_ws = 2 log2(R) - 2`); a 1×1 toRGB (gain 1, linear).
Its inputs are `ws` `[batch, num_ws, w_dim]` and one noise image per
convolution. Discriminator: 1×1 fromRGB, per resolution two 3×3 convolutions
and 2×2 average pooling, then at 4×4 the minibatch standard deviation (group
4), a 3×3 convolution, a dense layer and the score; equalized layers and
LeakyReLU(0.2) throughout.

Progressive growing is left out: at 32×32 and 64×64 the networks train
directly at full resolution (as StyleGAN2 does), which keeps one train step
and one graph for `fit`, the replicas and XLA.
"""

import math

import keras
from keras import layers

from keras_gan.layers import (
    AdaIN,
    BiasAdd,
    ConstantInput,
    EqualizedConv2D,
    EqualizedDense,
    MappingNetwork,
    MinibatchStdDev,
    NoiseInjection,
)


def _resolutions(size):
    log = int(round(math.log2(size)))
    if 2**log != size or size < 8:
        raise ValueError(f"StyleGAN needs a square power-of-two image side >= 8. Received: {size}")
    return [2**k for k in range(2, log + 1)]


def _channels(resolution, base, maximum):
    return int(min(maximum, base // resolution))


def mapping_network(z_dim, w_dim, depth=8, name="mapping"):
    z = keras.Input((z_dim,), name="z")
    return keras.Model(z, MappingNetwork(w_dim, depth=depth, name="layers")(z), name=name)


def synthesis_network(image_shape, w_dim, channel_base=4096, channel_max=256, name="synthesis"):
    resolutions = _resolutions(image_shape[0])
    num_ws = 2 * len(resolutions)
    ws = keras.Input((num_ws, w_dim), name="ws")
    noises = [
        keras.Input((r, r, 1), name=f"noise{2 * i + j}")
        for i, r in enumerate(resolutions)
        for j in range(2)
    ]

    def epilogue(h, index):
        h = NoiseInjection(name=f"noise_strength{index}")([h, noises[index]])
        h = layers.LeakyReLU(0.2)(BiasAdd(name=f"bias{index}")(h))
        return AdaIN(name=f"adain{index}")([h, ws[:, index]])

    h = ConstantInput(4, _channels(4, channel_base, channel_max), name="const")(ws)
    h = epilogue(h, 0)
    h = epilogue(
        EqualizedConv2D(_channels(4, channel_base, channel_max), 3, use_bias=False, name="conv1")(
            h
        ),
        1,
    )
    for i, r in enumerate(resolutions[1:], start=1):
        filters = _channels(r, channel_base, channel_max)
        h = layers.UpSampling2D(name=f"up{r}")(h)
        h = epilogue(EqualizedConv2D(filters, 3, use_bias=False, name=f"conv{r}_0")(h), 2 * i)
        h = epilogue(EqualizedConv2D(filters, 3, use_bias=False, name=f"conv{r}_1")(h), 2 * i + 1)
    out = EqualizedConv2D(image_shape[-1], 1, gain=1.0, name="to_rgb")(h)
    return keras.Model([ws, *noises], out, name=name)


def stylegan_discriminator(
    image_shape, channel_base=4096, channel_max=256, group_size=4, name="discriminator"
):
    resolutions = _resolutions(image_shape[0])
    x = keras.Input(image_shape, name="x")
    h = layers.LeakyReLU(0.2)(
        EqualizedConv2D(_channels(resolutions[-1], channel_base, channel_max), 1, name="from_rgb")(
            x
        )
    )
    for r in reversed(resolutions[1:]):
        h = layers.LeakyReLU(0.2)(
            EqualizedConv2D(_channels(r, channel_base, channel_max), 3, name=f"conv{r}_0")(h)
        )
        h = layers.LeakyReLU(0.2)(
            EqualizedConv2D(_channels(r // 2, channel_base, channel_max), 3, name=f"conv{r}_1")(h)
        )
        h = layers.AveragePooling2D(2, name=f"down{r}")(h)
    h = MinibatchStdDev(group_size, name="mbstd")(h)
    h = layers.LeakyReLU(0.2)(
        EqualizedConv2D(_channels(4, channel_base, channel_max), 3, name="conv4")(h)
    )
    h = layers.LeakyReLU(0.2)(
        EqualizedDense(_channels(4, channel_base, channel_max), name="dense")(layers.Flatten()(h))
    )
    return keras.Model(x, EqualizedDense(1, gain=1.0, name="score")(h), name=name)


def stylegan_networks(
    z_dim, w_dim, image_shape, channel_base=4096, channel_max=256, mapping_depth=8, group_size=4
):
    """`{"mapping", "synthesis", "discriminator"}` for `keras_gan.models.StyleGAN`."""
    return {
        "mapping": mapping_network(z_dim, w_dim, mapping_depth),
        "synthesis": synthesis_network(image_shape, w_dim, channel_base, channel_max),
        "discriminator": stylegan_discriminator(image_shape, channel_base, channel_max, group_size),
    }
