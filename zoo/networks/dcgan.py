"""DCGAN networks (Radford et al. 2015), optionally class-conditional.

Generator: a projection to `(H/4) x (W/4) x 2^(1+b) w`, `b` transposed
convolutions at that resolution (5x5, stride 1, halving the channels; `b` is
`base_blocks`, 0 by default), then two fractional-strided convolutions (5x5,
stride 2); BatchNorm and ReLU everywhere except the tanh output.
Discriminator: two strided convolutions (5x5, stride 2) with LeakyReLU(0.2),
BatchNorm on all but the first, then one logit. BatchNorm is
`keras_gan.layers.SyncBatchNormalization`: its statistics span the global
batch under a distribution strategy, so N replicas train as one device does.

Conditional mode (Mirza & Osindero 2014): the label is embedded and
concatenated to z in G, and embedded into an extra image plane in D.
"""

import keras
from keras import layers

from keras_gan.layers import (
    MinibatchDiscrimination,
    ReferenceBatch,
    StripReference,
    SyncBatchNormalization,
    VirtualBatchNormalization,
)


def _bn(name, vbn_reference=0):
    if vbn_reference:
        return VirtualBatchNormalization(vbn_reference, name=name)
    return SyncBatchNormalization(name=name)


def dcgan_generator(
    latent_dim=100,
    image_shape=(28, 28, 1),
    width=64,
    num_classes=None,
    base_blocks=0,
    vbn_reference=0,
    name="generator",
):
    """`vbn_reference` = R > 0: virtual batch normalization (Salimans et al. 2016) in place of
    BatchNorm, with a reference batch of R latents fixed when the network is built
    (`ReferenceBatch` ... `StripReference`), so each sample is independent of its batch."""
    height, wide, channels = image_shape
    if vbn_reference and num_classes is not None:
        raise ValueError(
            "vbn_reference needs an unconditional generator (the reference batch has no labels). "
            f"Received: vbn_reference={vbn_reference}, num_classes={num_classes}"
        )
    if height % 4 or wide % 4:
        raise ValueError(
            f"DCGAN needs image sides divisible by 4. Received: image_shape={image_shape}"
        )
    if base_blocks < 0:
        raise ValueError(f"base_blocks must be >= 0. Received: base_blocks={base_blocks}")
    z = keras.Input((latent_dim,), name="z")
    inputs, h = (
        [z],
        (ReferenceBatch(vbn_reference, name="reference_batch")(z) if vbn_reference else z),
    )
    if num_classes is not None:
        label = keras.Input((), dtype="int32", name="label")
        inputs.append(label)
        h = layers.Concatenate()(
            [z, layers.Embedding(num_classes, latent_dim, name="label_embedding")(label)]
        )
    channels_in = 2 ** (1 + base_blocks) * width
    h = layers.Dense((height // 4) * (wide // 4) * channels_in, use_bias=False, name="project")(h)
    h = layers.ReLU()(_bn("project_bn", vbn_reference)(h))
    h = layers.Reshape((height // 4, wide // 4, channels_in))(h)
    for block in range(base_blocks):
        channels_in //= 2
        h = layers.Conv2DTranspose(
            channels_in, 5, padding="same", use_bias=False, name=f"base_{block + 1}"
        )(h)
        h = layers.ReLU()(_bn(f"base_{block + 1}_bn", vbn_reference)(h))
    h = layers.Conv2DTranspose(
        width, 5, strides=2, padding="same", use_bias=False, name="deconv_1"
    )(h)
    h = layers.ReLU()(_bn("deconv_1_bn", vbn_reference)(h))
    out = layers.Conv2DTranspose(
        channels, 5, strides=2, padding="same", activation="tanh", name="deconv_2"
    )(h)
    if vbn_reference:
        out = StripReference(vbn_reference, name="strip_reference")(out)
    return keras.Model(inputs if num_classes is not None else z, out, name=name)


def dcgan_discriminator(
    image_shape=(28, 28, 1),
    width=64,
    num_classes=None,
    batch_norm=True,
    minibatch_kernels=0,
    name="discriminator",
):
    """Two strided convolutions, then one logit; the flattened features are the layer `features`.

    `minibatch_kernels` > 0 appends minibatch discrimination (B = that, C = 5;
    `keras_gan.layers.MinibatchDiscrimination`) to the features before the logit.
    """
    height, wide, _ = image_shape
    x = keras.Input(image_shape, name="x")
    inputs, h = [x], x
    if num_classes is not None:
        label = keras.Input((), dtype="int32", name="label")
        inputs.append(label)
        plane = layers.Embedding(num_classes, height * wide, name="label_embedding")(label)
        h = layers.Concatenate()([x, layers.Reshape((height, wide, 1))(plane)])
    h = layers.Conv2D(width, 5, strides=2, padding="same", name="conv_1")(h)
    h = layers.LeakyReLU(0.2)(h)
    h = layers.Conv2D(
        2 * width, 5, strides=2, padding="same", use_bias=not batch_norm, name="conv_2"
    )(h)
    if batch_norm:  # off for WGAN-GP critics: the gradient penalty is per example
        h = _bn("conv_2_bn")(h)
    h = layers.LeakyReLU(0.2)(h)
    h = layers.Flatten(name="features")(h)
    if minibatch_kernels:
        h = MinibatchDiscrimination(minibatch_kernels, 5, name="minibatch")(h)
    out = layers.Dense(1, name="logit")(h)
    return keras.Model(inputs if num_classes is not None else x, out, name=name)
