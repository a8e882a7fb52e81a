"""BiGAN's networks: the authors' permutation-invariant MNIST ones (jeffdonahue/bigan `net.py`:
`mnist_mlp`, `deconvnet_mnist_mlp`), and MLPs for the 2-D mixtures.

Encoder: FC 1024, LeakyReLU(0.2); FC 1024, BN, LeakyReLU; FC latent_dim.
Generator: FC 1024, BN, ReLU; FC 1024, BN, ReLU; FC H·W·C and tanh (images in
[-1, 1]; the authors' sigmoid gave [0, 1]). Discriminator: the encoder's body
on x beside FC 1024 + LeakyReLU on z, joined by FC 1024, BN, LeakyReLU, then a
logit (the authors join x and z features before the last layers as well).
"""

import math

import keras
from keras import layers

from keras_gan.layers import SyncBatchNormalization
from keras_gan.zoo.networks.mlp import mlp_generator


def _body(h, width, prefix):
    h = layers.LeakyReLU(0.2)(layers.Dense(width, name=f"{prefix}_fc1")(h))
    h = layers.Dense(width, name=f"{prefix}_fc2")(h)
    return layers.LeakyReLU(0.2)(SyncBatchNormalization(name=f"{prefix}_fc2_bn")(h))


def bigan_mlp_networks(latent_dim=50, image_shape=(28, 28, 1), width=1024):
    """`{"generator", "discriminator", "encoder"}` for flattened images."""
    pixels = math.prod(image_shape)
    x = keras.Input(image_shape, name="x")
    encoder = keras.Model(
        x,
        layers.Dense(latent_dim, name="z")(_body(layers.Flatten()(x), width, "enc")),
        name="encoder",
    )

    z = keras.Input((latent_dim,), name="z")
    h = layers.ReLU()(SyncBatchNormalization(name="fc1_bn")(layers.Dense(width, name="fc1")(z)))
    h = layers.ReLU()(SyncBatchNormalization(name="fc2_bn")(layers.Dense(width, name="fc2")(h)))
    out = layers.Reshape(image_shape)(layers.Dense(pixels, activation="tanh", name="to_image")(h))
    generator = keras.Model(z, out, name="generator")

    dx, dz = keras.Input(image_shape, name="x"), keras.Input((latent_dim,), name="z")
    hx = _body(layers.Flatten()(dx), width, "x")
    hz = layers.LeakyReLU(0.2)(layers.Dense(width, name="z_fc")(dz))
    h = layers.Dense(width, name="joint_fc")(layers.Concatenate()([hx, hz]))
    h = layers.LeakyReLU(0.2)(SyncBatchNormalization(name="joint_bn")(h))
    discriminator = keras.Model([dx, dz], layers.Dense(1, name="logit")(h), name="discriminator")
    return {"generator": generator, "discriminator": discriminator, "encoder": encoder}


def _mlp(h, width, depth, prefix):
    for i in range(depth):
        h = layers.LeakyReLU(0.2)(layers.Dense(width, name=f"{prefix}_{i}")(h))
    return h


def bigan_2d_networks(latent_dim=2, width=256, depth=3):
    """`{"generator", "discriminator", "encoder"}` for points in the plane.

    The generator is the GAN's 2-D one (`mlp_generator`: ReLU MLP, linear
    output); the encoder a LeakyReLU MLP of the same width and depth with a
    linear code; the discriminator the GAN's 2-D one on `[x, z]` concatenated
    (ALI's joint discriminator).
    """
    x = keras.Input((2,), name="x")
    code = layers.Dense(latent_dim, name="z")(_mlp(x, width, depth, "enc"))
    encoder = keras.Model(x, code, name="encoder")
    dx, dz = keras.Input((2,), name="x"), keras.Input((latent_dim,), name="z")
    h = _mlp(layers.Concatenate()([dx, dz]), width, depth, "joint")
    discriminator = keras.Model([dx, dz], layers.Dense(1, name="logit")(h), name="discriminator")
    generator = mlp_generator(latent_dim=latent_dim, width=width, depth=depth)
    return {"generator": generator, "discriminator": discriminator, "encoder": encoder}
