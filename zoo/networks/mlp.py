"""Multi-layer perceptrons for the 2-D toy mixtures."""

import keras
from keras import layers


def mlp_generator(latent_dim=2, width=128, depth=3, data_dim=2, name="generator"):
    """z -> ReLU MLP -> linear output in data space."""
    z = keras.Input((latent_dim,), name="z")
    h = z
    for i in range(depth):
        h = layers.Dense(width, activation="relu", name=f"dense_{i}")(h)
    out = layers.Dense(data_dim, name="points")(h)
    return keras.Model(z, out, name=name)


def mlp_discriminator(data_dim=2, width=128, depth=3, name="discriminator"):
    """x -> LeakyReLU MLP -> one logit."""
    x = keras.Input((data_dim,), name="x")
    h = x
    for i in range(depth):
        h = layers.Dense(width, name=f"dense_{i}")(h)
        h = layers.LeakyReLU(0.2)(h)
    out = layers.Dense(1, name="logit")(h)
    return keras.Model(x, out, name=name)
