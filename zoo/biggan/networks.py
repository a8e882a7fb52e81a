"""ResNet networks of SAGAN and BigGAN (BigGAN-PyTorch `BigGAN.py` and `layers.py`).

Generator: a linear map of z (or of its first chunk) to `bottom × bottom`
features, then `GBlock`s (cBN, ReLU, nearest 2× upsampling, 3×3 conv, cBN,
ReLU, 3×3 conv, plus a 1×1-conv shortcut), a self-attention block after the
block whose output has the `attention` resolution, BatchNorm, ReLU, a 3×3
conv and tanh. Every conv and linear map is spectrally normalized (SAGAN and
BigGAN normalize G as well as D).

Each block's BatchNorm is conditioned on a vector c (`keras_gan.layers.
ConditionalBatchNormalization`):
- BigGAN (`shared_dim > 0`, `hierarchical=True`): z splits into one chunk per
  block plus one for the linear map; block i's c is [shared embedding of y,
  chunk i + 1] (the "hierarchical latent space" with a shared embedding);
- SAGAN, class-conditional: c is the one-hot label (a gain and a bias per class);
- unconditional and not hierarchical: plain BatchNorm.

Discriminator: `DBlock`s (ReLU pre-activation from the second block on, 3×3
conv, ReLU, 3×3 conv, 2×2 average pooling where the arch downsamples, plus a
1×1-conv shortcut), self-attention after the block at the `attention`
resolution, ReLU, a sum over positions, then a linear score, plus the
projection ⟨embed(y), φ(x)⟩ when class-conditional (`ProjectionHead`).
"""

import keras
from keras import layers

from keras_gan.layers import (
    ConditionalBatchNormalization,
    ProjectionHead,
    SelfAttention2D,
    SpectralNormalization,
    SyncBatchNormalization,
)


def _sn(layer):
    return SpectralNormalization(layer, name=f"sn_{layer.name}")


def _conv(filters, kernel, name):
    return _sn(layers.Conv2D(filters, kernel, padding="same", name=name))


def _norm(h, c, bn, name):
    if c is None:
        return SyncBatchNormalization(**bn, name=name)(h)
    return ConditionalBatchNormalization(spectral_norm=True, **bn, name=name)([h, c])


def _g_block(h, c, filters, bn, name):
    x = layers.UpSampling2D(name=f"{name}_up_skip")(h)
    x = _conv(filters, 1, f"{name}_skip")(x)
    h = layers.ReLU()(_norm(h, c, bn, f"{name}_bn1"))
    h = layers.UpSampling2D(name=f"{name}_up")(h)
    h = _conv(filters, 3, f"{name}_conv1")(h)
    h = layers.ReLU()(_norm(h, c, bn, f"{name}_bn2"))
    h = _conv(filters, 3, f"{name}_conv2")(h)
    return layers.Add(name=f"{name}_out")([h, x])


def _d_block(h, filters, downsample, preactivation, activated_shortcut, name):
    x = h
    if preactivation:
        h = layers.ReLU()(h)
        if activated_shortcut:
            x = h
    h = _conv(filters, 3, f"{name}_conv1")(h)
    h = _conv(filters, 3, f"{name}_conv2")(layers.ReLU()(h))
    if downsample:
        h = layers.AveragePooling2D(2, name=f"{name}_pool")(h)
    # The shortcut: the identity where the block keeps its resolution and width; else 1x1 conv
    # then pool with pre-activation, pool then conv without (as the references: BigGAN-PyTorch's
    # `learnable_sc`, StudioGAN's `DiscBlock`).
    learnable = downsample or x.shape[-1] != filters
    if learnable and preactivation:
        x = _conv(filters, 1, f"{name}_skip")(x)
        if downsample:
            x = layers.AveragePooling2D(2, name=f"{name}_pool_skip")(x)
    elif learnable:
        if downsample:
            x = layers.AveragePooling2D(2, name=f"{name}_pool_skip")(x)
        x = _conv(filters, 1, f"{name}_skip")(x)
    return layers.Add(name=f"{name}_out")([h, x])


def resnet_generator(
    latent_dim,
    image_shape,
    ch,
    multipliers,
    bottom,
    num_classes=None,
    shared_dim=0,
    hierarchical=False,
    attention=None,
    bn_epsilon=1e-3,
    bn_momentum=0.99,
    name="generator",
):
    """The BigGAN/SAGAN generator.

    Args:
        latent_dim: size of z (a multiple of `len(multipliers)` when hierarchical).
        image_shape: `(height, width, channels)`; height = bottom · 2^(blocks).
        ch: base width; the linear map gives `ch · multipliers[0]` channels
            and block i outputs `ch · multipliers[i + 1]`.
        multipliers: widths of the linear map and of each upsampling block.
        bottom: spatial size of the linear map's output.
        num_classes: class-conditional when set (an int label input).
        shared_dim: size of BigGAN's shared class embedding (0: condition
            on the one-hot label, SAGAN's class-conditional BatchNorm).
        hierarchical: split z into one chunk per block plus one (BigGAN).
        attention: the resolution after which a self-attention block is
            added (None: none).
        bn_epsilon, bn_momentum: of every BatchNorm (Keras's defaults; StudioGAN's are 1e-4
            and 0.9, PyTorch's momentum 0.1).
    """
    bn = {"epsilon": bn_epsilon, "momentum": bn_momentum}
    blocks = len(multipliers) - 1
    if bottom * 2**blocks != image_shape[0]:
        raise ValueError(
            f"bottom · 2^blocks must equal the image height: {bottom} · 2^{blocks} != "
            f"{image_shape[0]}. Received: multipliers={multipliers}, bottom={bottom}, "
            f"image_shape={image_shape}"
        )
    if hierarchical and latent_dim % (blocks + 1):
        raise ValueError(
            f"A hierarchical z splits into {blocks + 1} equal chunks: latent_dim must be a "
            f"multiple of {blocks + 1}. Received: latent_dim={latent_dim}"
        )
    z = keras.Input((latent_dim,), name="z")
    inputs = [z]
    parts = [[] for _ in range(blocks)]
    if num_classes is not None:
        y = keras.Input((), dtype="int32", name="label")
        inputs.append(y)
        if shared_dim:
            label = layers.Embedding(num_classes, shared_dim, name="shared")(y)
        else:
            label = keras.ops.one_hot(y, num_classes)
        parts = [[label] for _ in range(blocks)]
    first = z
    if hierarchical:
        size = latent_dim // (blocks + 1)
        chunks = [z[:, i * size : (i + 1) * size] for i in range(blocks + 1)]
        first = chunks[0]
        for part, chunk in zip(parts, chunks[1:]):
            part.append(chunk)
    conditions = [
        None if not part else part[0] if len(part) == 1 else layers.Concatenate()(part)
        for part in parts
    ]
    h = _sn(layers.Dense(bottom * bottom * ch * multipliers[0], name="linear"))(first)
    h = layers.Reshape((bottom, bottom, ch * multipliers[0]))(h)
    size = bottom
    for i, (mult, c) in enumerate(zip(multipliers[1:], conditions)):
        h = _g_block(h, c, ch * mult, bn, f"block{i}")
        size *= 2
        if attention == size:
            h = SelfAttention2D(name=f"attention{size}")(h)
    h = layers.ReLU()(SyncBatchNormalization(**bn, name="out_bn")(h))
    out = layers.Activation("tanh", name="tanh")(_conv(image_shape[-1], 3, "to_image")(h))
    return keras.Model(inputs if len(inputs) > 1 else z, out, name=name)


def resnet_discriminator(
    image_shape,
    ch,
    multipliers,
    downsample,
    num_classes=None,
    attention=None,
    activated_shortcut=False,
    name="discriminator",
):
    """The BigGAN/SAGAN discriminator (every weight layer spectrally normalized).

    Args:
        image_shape: `(height, width, channels)`.
        ch, multipliers: block i outputs `ch · multipliers[i]` channels.
        downsample: per block, whether it halves the resolution.
        num_classes: add the projection term of `ProjectionHead` when set.
        attention: the resolution after which a self-attention block is added.
        activated_shortcut: the shortcut of a pre-activated block takes the activated input
            (StudioGAN's `big_resnet.py`, where `x0 = x` and then an in-place ReLU on `x` also
            changes `x0`; BigGAN-PyTorch's `DBlock` gives the shortcut the raw input).
    """
    if len(downsample) != len(multipliers):
        raise ValueError(
            f"downsample needs one entry per block. Received: multipliers={multipliers}, "
            f"downsample={downsample}"
        )
    x = keras.Input(image_shape, name="x")
    inputs = [x]
    h, size = x, image_shape[0]
    for i, (mult, down) in enumerate(zip(multipliers, downsample)):
        h = _d_block(h, ch * mult, down, i > 0, activated_shortcut, f"block{i}")
        size = size // 2 if down else size
        if attention == size:  # after the first block at that resolution
            h = SelfAttention2D(name=f"attention{size}")(h)
            attention = None
    h = layers.ReLU()(h)
    features = keras.ops.sum(h, axis=(1, 2))
    if num_classes is None:
        out = _sn(layers.Dense(1, name="linear"))(features)
    else:
        y = keras.Input((), dtype="int32", name="label")
        inputs.append(y)
        out = ProjectionHead(num_classes, name="projection")([features, y])
    return keras.Model(inputs if len(inputs) > 1 else x, out, name=name)


def biggan_networks(
    latent_dim,
    image_shape,
    ch,
    g_multipliers,
    d_multipliers,
    d_downsample,
    bottom,
    attention=None,
    num_classes=None,
    shared_dim=0,
    hierarchical=False,
    bn_epsilon=1e-3,
    bn_momentum=0.99,
    d_activated_shortcut=False,
):
    """`{"generator", "discriminator"}` for a preset's arch (see the two builders)."""
    return {
        "generator": resnet_generator(
            latent_dim,
            image_shape,
            ch,
            g_multipliers,
            bottom,
            num_classes,
            shared_dim,
            hierarchical,
            attention,
            bn_epsilon,
            bn_momentum,
        ),
        "discriminator": resnet_discriminator(
            image_shape,
            ch,
            d_multipliers,
            d_downsample,
            num_classes,
            attention,
            d_activated_shortcut,
        ),
    }
