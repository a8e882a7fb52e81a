"""Networks of the WGAN family's image presets."""

from keras_gan.zoo.networks.dcgan import dcgan_discriminator, dcgan_generator


def critic_dcgan_networks(latent_dim, image_shape, width):
    """DCGAN generator and a DCGAN critic without BatchNorm (for the gradient penalty)."""
    return {
        "generator": dcgan_generator(latent_dim, image_shape, width),
        "discriminator": dcgan_discriminator(image_shape, width, batch_norm=False),
    }
