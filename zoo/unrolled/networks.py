"""The unrolled GAN authors' networks.

`metz_networks`: the 2-D ring demo behind the paper's Figure 1 (poolio/unrolled_gan): generator
and discriminator are MLPs of `depth` tanh layers of `width` units, weights initialized orthogonal
with gain 1.4 and biases at zero; the generator ends in a linear 2-D output, the discriminator in a
logit.

`metz_stacked_networks`: the small convolutional pair of the paper's Stacked MNIST test with a
shrunk discriminator (Metz et al., Table 2), as PacGAN's code runs it for its Table 3
(fjxmlzn/PacGAN, `stacked_MNIST_experiments/unrolled_GAN_experiment/D=0.25G` and `D=0.5G`).
"""

import keras
from keras import layers

from keras_gan.layers import SyncBatchNormalization


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


def _bn(name):
    """DCGAN-tensorflow's batch norm: moving-average decay 0.9, epsilon 1e-5, with scale."""
    return SyncBatchNormalization(momentum=0.9, epsilon=1e-5, name=name)


def metz_stacked_networks(latent_dim=256, image_shape=(28, 28, 3), width=64, d_width=2, pack=1):
    """`{"generator", "discriminator"}` for 28 x 28 images (Stacked MNIST: 3 channels).

    Generator: z -> dense 4 x 4 x `width` -> three stride-2 3 x 3 transposed convolutions to
    7 x 7 x width/2, 14 x 14 x width/4, 28 x 28 x width/8 (batch norm, ReLU) -> 3 x 3
    convolution to the image's channels, tanh. Discriminator: three stride-2 3 x 3 convolutions of
    `d_width`, 2 `d_width`, 4 `d_width` channels (batch norm, leaky ReLU 0.3) -> a logit.
    With `width` 64, `d_width` 2 is the paper's discriminator of 1/4 the generator's size and 4
    its 1/2. Kernels N(0, 0.02) (convolutions truncated at 2 sigma), biases zero. `pack` > 1:
    the discriminator takes `pack` images on the channels (PacGAN, the model's `pack`).
    """
    if tuple(image_shape[:2]) != (28, 28):
        raise ValueError(f"These networks draw 28 x 28 images. Received: image_shape={image_shape}")
    channels = int(image_shape[2])
    if width % 8 or width < 8:
        raise ValueError(f"width must be a multiple of 8. Received: width={width!r}")
    if isinstance(d_width, bool) or int(d_width) != d_width or d_width < 1:
        raise ValueError(f"d_width must be a positive int. Received: d_width={d_width!r}")
    normal = keras.initializers.RandomNormal(stddev=0.02)
    truncated = keras.initializers.TruncatedNormal(stddev=0.02)
    z = keras.Input((latent_dim,), name="z")
    h = layers.Dense(4 * 4 * width, kernel_initializer=normal, name="project")(z)
    h = layers.Reshape((4, 4, width))(h)
    h = layers.ReLU()(_bn("project_bn")(h))
    # 4 -> 7 -> 14 -> 28: "same" transposed convolutions, the first without output padding
    for i, padding in enumerate((0, 1, 1)):
        h = layers.Conv2DTranspose(
            width // 2 ** (i + 1),
            3,
            strides=2,
            padding="same",
            output_padding=padding,
            kernel_initializer=normal,
            name=f"deconv_{i + 1}",
        )(h)
        h = layers.ReLU()(_bn(f"deconv_{i + 1}_bn")(h))
    h = layers.Conv2D(channels, 3, padding="same", kernel_initializer=truncated, name="to_rgb")(h)
    generator = keras.Model(z, layers.Activation("tanh", name="images")(h), name="generator")

    x = keras.Input((28, 28, channels * pack), name="x")
    h = x
    for i in range(3):
        h = layers.Conv2D(
            d_width * 2**i,
            3,
            strides=2,
            padding="same",
            kernel_initializer=truncated,
            name=f"conv_{i + 1}",
        )(h)
        h = layers.LeakyReLU(0.3)(_bn(f"conv_{i + 1}_bn")(h))
    h = layers.Flatten(name="features")(h)
    logit = layers.Dense(1, kernel_initializer=normal, name="logit")(h)
    return {"generator": generator, "discriminator": keras.Model(x, logit, name="discriminator")}
