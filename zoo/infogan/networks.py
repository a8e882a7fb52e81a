"""The InfoGAN MNIST networks (openai/InfoGAN `infogan/models/regularized_gan.py`, network_type
"mnist").

Generator: FC 1024, BN, ReLU; FC 7·7·128, BN, ReLU; 4×4 stride-2 deconvolution
to 64 channels, BN, ReLU; 4×4 stride-2 deconvolution to the image (tanh here:
images are in [-1, 1]; the authors' Bernoulli output used a sigmoid).
Discriminator body: 4×4 stride-2 convolutions of 64 and 128 channels (BN on the
second), FC 1024 with BN, LeakyReLU(0.1) after each (the authors'
`leaky_rectify`); the logit is one linear unit and Q a head of FC 128, BN,
LeakyReLU, then the code parameters.
"""

import keras
from keras import layers

from keras_gan.layers import SyncBatchNormalization


def infogan_generator(latent_dim, image_shape=(28, 28, 1), width=64, name="generator"):
    height, wide, channels = image_shape
    z = keras.Input((latent_dim,), name="z")
    h = layers.ReLU()(
        SyncBatchNormalization(name="fc1_bn")(layers.Dense(16 * width, name="fc1")(z))
    )
    h = layers.Dense((height // 4) * (wide // 4) * 2 * width, name="fc2")(h)
    h = layers.ReLU()(SyncBatchNormalization(name="fc2_bn")(h))
    h = layers.Reshape((height // 4, wide // 4, 2 * width))(h)
    h = layers.Conv2DTranspose(width, 4, strides=2, padding="same", name="deconv1")(h)
    h = layers.ReLU()(SyncBatchNormalization(name="deconv1_bn")(h))
    out = layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", activation="tanh", name="deconv2"
    )(h)
    return keras.Model(z, out, name=name)


def infogan_discriminator(q_dim, image_shape=(28, 28, 1), width=64, name="discriminator"):
    x = keras.Input(image_shape, name="x")
    h = layers.LeakyReLU(0.1)(layers.Conv2D(width, 4, strides=2, padding="same", name="conv1")(x))
    h = layers.Conv2D(2 * width, 4, strides=2, padding="same", name="conv2")(h)
    h = layers.LeakyReLU(0.1)(SyncBatchNormalization(name="conv2_bn")(h))
    h = layers.Dense(16 * width, name="fc")(layers.Flatten()(h))
    h = layers.LeakyReLU(0.1)(SyncBatchNormalization(name="fc_bn")(h))
    logit = layers.Dense(1, name="logit")(h)
    q = layers.Dense(2 * width, name="q_fc")(h)
    q = layers.LeakyReLU(0.1)(SyncBatchNormalization(name="q_bn")(q))
    q = layers.Dense(q_dim, name="q")(q)
    return keras.Model(x, [logit, q], name=name)


def infogan_networks(image_shape, width, noise_dim, categorical_codes, continuous_codes):
    latent_dim = noise_dim + sum(categorical_codes) + continuous_codes
    return {
        "generator": infogan_generator(latent_dim, image_shape, width),
        "discriminator": infogan_discriminator(
            sum(categorical_codes) + continuous_codes, image_shape, width
        ),
    }
