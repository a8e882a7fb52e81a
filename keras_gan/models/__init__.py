"""Adversarial schemes, each a `keras.Model` overriding `train_step`."""

from keras_gan.models.base import AdversarialModel
from keras_gan.models.bigan import BiGAN
from keras_gan.models.biggan import BigGAN
from keras_gan.models.capabilities import Capabilities
from keras_gan.models.cyclegan import CycleGAN
from keras_gan.models.ebgan import EBGAN
from keras_gan.models.fgan import FGAN
from keras_gan.models.gan import GAN
from keras_gan.models.infogan import InfoGAN
from keras_gan.models.latent import LatentAdversarialModel
from keras_gan.models.meg import MEG
from keras_gan.models.sagan import SAGAN
from keras_gan.models.sngan import SNGAN
from keras_gan.models.stylegan import StyleGAN
from keras_gan.models.unrolled import UnrolledGAN
from keras_gan.models.wgan import WGAN
from keras_gan.models.wgan_gp import WGANGP

__all__ = [
    "AdversarialModel",
    "Capabilities",
    "LatentAdversarialModel",
    "BiGAN",
    "BigGAN",
    "CycleGAN",
    "EBGAN",
    "FGAN",
    "GAN",
    "InfoGAN",
    "MEG",
    "SAGAN",
    "SNGAN",
    "StyleGAN",
    "UnrolledGAN",
    "WGAN",
    "WGANGP",
]
