"""The unrolled GAN authors' 2-D networks (poolio/unrolled_gan, the ring demo behind the
paper's Figure 1): generator and discriminator are MLPs of `depth` tanh layers of `width`
units, weights initialized orthogonal with gain 1.4 and biases at zero; the generator ends in a
linear 2-D output, the discriminator in a logit.
"""

import keras
from keras import layers


def _tanh_mlp(inputs, width, depth, outputs, output_name, name):
    h = inputs
    for i in range(depth):
        h = layers.Dense(
            width,
            activation="tanh",
            kernel_initializer=keras.initializers.Orthogonal(gain=1.4),
            name=f"dense_{i}",
        )(h)
    out = layers.Dense(
        outputs, kernel_initializer=keras.initializers.Orthogonal(gain=1.4), name=output_name
    )(h)
    return keras.Model(inputs, out, name=name)


def metz_networks(latent_dim=256, width=128, depth=2, pack=1):
    """`{"generator", "discriminator"}`: z (latent_dim) -> 2-D point; `2 * pack` inputs -> logit
    (`pack` > 1: PacGAN's packed points, the model's `pack`)."""
    return {
        "generator": _tanh_mlp(
            keras.Input((latent_dim,), name="z"), width, depth, 2, "points", "generator"
        ),
        "discriminator": _tanh_mlp(
            keras.Input((2 * pack,), name="x"), width, depth, 1, "logit", "discriminator"
        ),
    }
