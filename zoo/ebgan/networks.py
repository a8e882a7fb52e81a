"""An autoencoder discriminator for EBGAN on 28×28 images (after the paper's MNIST setting, §4.1).

Encoder: 4×4 stride-2 convolutions of `width` and `2·width` channels (BN on the
second), LeakyReLU(0.2), then a linear code. Decoder: a linear map to
`H/4 × W/4 × 2·width`, BN, ReLU, a 4×4 stride-2 deconvolution with BN and ReLU,
and one to the image with tanh. The discriminator returns `[reconstruction, code]`.
"""

import keras
from keras import layers

from keras_gan.layers import SyncBatchNormalization
from keras_gan.zoo.networks.dcgan import dcgan_generator


def autoencoder_discriminator(image_shape=(28, 28, 1), width=64, code_dim=64, name="discriminator"):
    height, wide, channels = image_shape
    x = keras.Input(image_shape, name="x")
    h = layers.LeakyReLU(0.2)(
        layers.Conv2D(width, 4, strides=2, padding="same", name="enc_conv1")(x)
    )
    h = layers.Conv2D(2 * width, 4, strides=2, padding="same", name="enc_conv2")(h)
    h = layers.LeakyReLU(0.2)(SyncBatchNormalization(name="enc_conv2_bn")(h))
    code = layers.Dense(code_dim, name="code")(layers.Flatten()(h))
    h = layers.Dense((height // 4) * (wide // 4) * 2 * width, name="dec_fc")(code)
    h = layers.ReLU()(SyncBatchNormalization(name="dec_fc_bn")(h))
    h = layers.Reshape((height // 4, wide // 4, 2 * width))(h)
    h = layers.Conv2DTranspose(width, 4, strides=2, padding="same", name="dec_deconv1")(h)
    h = layers.ReLU()(SyncBatchNormalization(name="dec_deconv1_bn")(h))
    out = layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", activation="tanh", name="reconstruction"
    )(h)
    return keras.Model(x, [out, code], name=name)


def ebgan_networks(latent_dim, image_shape, width, code_dim):
    return {
        "generator": dcgan_generator(latent_dim, image_shape, width),
        "discriminator": autoencoder_discriminator(image_shape, width, code_dim),
    }
