"""Networks of the GAN family's presets: MLPs for 2-D data, DCGAN for images."""

from keras_gan.zoo.networks.dcgan import dcgan_discriminator, dcgan_generator
from keras_gan.zoo.networks.mlp import mlp_discriminator, mlp_generator


def mlp_networks(latent_dim, width, depth, pack=1):
    """`pack` > 1: the discriminator takes `pack` points concatenated (PacGAN; the model's
    `pack`)."""
    return {
        "generator": mlp_generator(latent_dim=latent_dim, width=width, depth=depth),
        "discriminator": mlp_discriminator(data_dim=2 * pack, width=width, depth=depth),
    }


def dcgan_networks(
    latent_dim,
    image_shape,
    width,
    num_classes=None,
    base_blocks=0,
    minibatch_kernels=0,
    pack=1,
    vbn_reference=0,
):
    """`pack` > 1: the discriminator takes `pack` images stacked on the channels (PacGAN);
    `vbn_reference` = R > 0: virtual batch normalization in the generator (reference batch of R)."""
    packed = (*image_shape[:-1], image_shape[-1] * pack)
    return {
        "generator": dcgan_generator(
            latent_dim, image_shape, width, num_classes, base_blocks, vbn_reference
        ),
        "discriminator": dcgan_discriminator(
            packed, width, num_classes, minibatch_kernels=minibatch_kernels
        ),
    }
