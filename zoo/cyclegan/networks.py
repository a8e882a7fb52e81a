"""CycleGAN's networks, as the authors' code builds them (junyanz/pytorch-CycleGAN-and-pix2pix,
`models/networks.py`: `ResnetGenerator`, `NLayerDiscriminator`), with instance normalization
without affine parameters and N(0, 0.02) initial weights.

ResNet generator: reflection pad 3, 7x7 convolution to `width` channels; `downsamplings`
3x3 stride-2 convolutions doubling the channels; `blocks` residual blocks (reflection pad 1,
3x3 convolution, instance norm, ReLU, reflection pad 1, 3x3 convolution, instance norm, plus
the input); as many 3x3 stride-2 transposed convolutions halving the channels (aligned as
PyTorch's padding 1, output padding 1); reflection
pad 3, 7x7 convolution, tanh. The authors use 9 blocks at 256x256 and 6 at 128x128.

PatchGAN discriminator: 4x4 convolutions with zero padding 1: one stride-2 convolution with
LeakyReLU(0.2) and no normalization, `layers - 1` more stride-2 ones with instance norm, one
stride-1 with instance norm (channels doubling up to 8x `width`), and a stride-1 convolution
to one score per patch. `layers = 3` gives the 70x70 receptive field of the paper; each layer
fewer roughly halves it (34x34 with 2, 16x16 with 1) for small images.
"""

import keras
from keras import layers

from keras_gan.layers import ReflectionPadding2D


def _init():
    return keras.initializers.RandomNormal(0.0, 0.02)


def _instance_norm(name):
    # Instance normalization: one group per channel, no affine parameters (the authors' default).
    return layers.GroupNormalization(groups=-1, center=False, scale=False, epsilon=1e-5, name=name)


def _conv(filters, kernel, stride, name):
    return layers.Conv2D(
        filters, kernel, strides=stride, padding="valid", kernel_initializer=_init(), name=name
    )


def resnet_generator(
    image_shape, out_channels=None, width=64, downsamplings=2, blocks=9, name="generator"
):
    """The authors' `ResnetGenerator` for `image_shape` images -> `out_channels` channels (default:
    the same)."""
    height, wide, channels = image_shape
    factor = 2**downsamplings
    if height % factor or wide % factor:
        raise ValueError(
            f"{downsamplings} downsamplings need sides divisible by {factor}. Received: "
            f"image_shape={image_shape}"
        )
    out_channels = channels if out_channels is None else out_channels
    x = keras.Input(image_shape, name="images")
    h = ReflectionPadding2D(3, name="pad_in")(x)
    h = _conv(width, 7, 1, "conv_in")(h)
    h = layers.ReLU()(_instance_norm("norm_in")(h))
    for i in range(downsamplings):
        h = layers.ZeroPadding2D(1)(h)
        h = _conv(width * 2 ** (i + 1), 3, 2, f"down_{i}")(h)
        h = layers.ReLU()(_instance_norm(f"down_{i}_norm")(h))
    channels_mid = width * factor
    for i in range(blocks):
        r = ReflectionPadding2D(1)(h)
        r = _conv(channels_mid, 3, 1, f"block_{i}_conv_0")(r)
        r = layers.ReLU()(_instance_norm(f"block_{i}_norm_0")(r))
        r = ReflectionPadding2D(1)(r)
        r = _conv(channels_mid, 3, 1, f"block_{i}_conv_1")(r)
        r = _instance_norm(f"block_{i}_norm_1")(r)
        h = layers.Add()([h, r])
    for i in reversed(range(downsamplings)):
        # PyTorch's ConvTranspose2d(3, stride 2, padding 1, output_padding 1) puts input i at
        # outputs 2i - 1 .. 2i + 1: Keras's "valid" transposed convolution (2i .. 2i + 2) without
        # its first row and column. ("same" would put it at 2i .. 2i + 2, one pixel off.)
        h = layers.Conv2DTranspose(
            width * 2**i, 3, strides=2, padding="valid", kernel_initializer=_init(), name=f"up_{i}"
        )(h)
        h = layers.Cropping2D(((1, 0), (1, 0)), name=f"up_{i}_crop")(h)
        h = layers.ReLU()(_instance_norm(f"up_{i}_norm")(h))
    h = ReflectionPadding2D(3, name="pad_out")(h)
    h = _conv(out_channels, 7, 1, "conv_out")(h)
    out = layers.Activation("tanh", dtype="float32")(h)
    return keras.Model(x, out, name=name)


def patch_discriminator(image_shape, width=64, layers_=3, name="discriminator"):
    """The authors' `NLayerDiscriminator` (PatchGAN) with `layers_` stride-2 convolutions."""
    if layers_ < 1:
        raise ValueError(
            f"A PatchGAN discriminator needs at least 1 layer. Received: layers={layers_}"
        )
    x = keras.Input(image_shape, name="images")
    h = _conv(width, 4, 2, "conv_0")(layers.ZeroPadding2D(1)(x))
    h = layers.LeakyReLU(0.2)(h)
    for i in range(1, layers_ + 1):
        stride = 2 if i < layers_ else 1
        h = _conv(width * min(2**i, 8), 4, stride, f"conv_{i}")(layers.ZeroPadding2D(1)(h))
        h = layers.LeakyReLU(0.2)(_instance_norm(f"norm_{i}")(h))
    out = layers.Conv2D(1, 4, padding="valid", kernel_initializer=_init(), name="patch_scores")(
        layers.ZeroPadding2D(1)(h)
    )
    out = layers.Activation("linear", dtype="float32")(out)  # float32 scores under mixed precision
    return keras.Model(x, out, name=name)


def cyclegan_networks(image_shape, width=64, blocks=9, downsamplings=2, d_width=64, d_layers=3):
    """`{generator_ab, generator_ba, discriminator_a, discriminator_b}` for two domains of
    `image_shape`."""
    return {
        "generator_ab": resnet_generator(
            image_shape, None, width, downsamplings, blocks, name="generator_ab"
        ),
        "generator_ba": resnet_generator(
            image_shape, None, width, downsamplings, blocks, name="generator_ba"
        ),
        "discriminator_a": patch_discriminator(
            image_shape, d_width, d_layers, name="discriminator_a"
        ),
        "discriminator_b": patch_discriminator(
            image_shape, d_width, d_layers, name="discriminator_b"
        ),
    }
