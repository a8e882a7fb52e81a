"""EBGAN presets (Zhao, Mathieu & LeCun 2017): EBGAN-PT on MNIST."""

from keras_gan.models import EBGAN
from keras_gan.zoo.ebgan.networks import ebgan_networks
from keras_gan.zoo.registry import Preset, adam, register

EBGAN_REF = "Zhao, Mathieu & LeCun, Energy-based Generative Adversarial Network, ICLR 2017"

# EBGAN-PT: margin loss and the pulling-away term (lambda_PT 0.1, the paper's); a DCGAN generator
# and a small convolutional autoencoder; the margin is in units of the per-pixel mean squared error
# of images in [-1, 1]. m = 0.1: with m = 1 the tanh autoencoder can push any image to energy 1 and
# the generator settled on grey images (benchmarks/results/family/README.md).
register(
    Preset(
        name="ebgan-mnist",
        model=EBGAN,
        networks=ebgan_networks,
        arch={"latent_dim": 100, "image_shape": (28, 28, 1), "width": 64, "code_dim": 64},
        model_args={"margin": 0.1, "pt_weight": 0.1},
        g_optimizer=adam(2e-4, 0.5),
        d_optimizer=adam(2e-4, 0.5),
        dataset="mnist",
        batch_size=64,
        steps=5000,
        steps_per_epoch=250,
        reference=EBGAN_REF,
        tiny={"latent_dim": 8, "width": 4, "code_dim": 4},
        shared=("latent_dim",),
    )
)
