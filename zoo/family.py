"""Presets of the seeds' GAN family beyond the design card: InfoGAN, BiGAN, EBGAN."""

from keras_gan.models import EBGAN, BiGAN, InfoGAN
from keras_gan.zoo.networks.bigan import bigan_mlp_networks
from keras_gan.zoo.networks.ebgan import ebgan_networks
from keras_gan.zoo.networks.infogan import infogan_networks
from keras_gan.zoo.registry import Preset, adam, register

INFOGAN_REF = (
    "Chen et al., InfoGAN: Interpretable Representation Learning by Information Maximizing GANs, "
    "NeurIPS 2016; openai/InfoGAN launchers/run_mnist_exp.py"
)

# The authors' MNIST run: 62 noise dimensions U[-1, 1], one 10-way code, two continuous codes,
# lambda 1, G 1e-3 / D 2e-4 with Adam beta_1 0.5, batch 128, 50 epochs of 100 updates.
register(
    Preset(
        name="infogan-mnist",
        model=InfoGAN,
        networks=infogan_networks,
        arch={
            "image_shape": (28, 28, 1),
            "width": 64,
            "noise_dim": 62,
            "categorical_codes": (10,),
            "continuous_codes": 2,
        },
        model_args={"info_weight": 1.0, "prior": "uniform"},
        g_optimizer=adam(1e-3, 0.5),
        d_optimizer=adam(2e-4, 0.5),
        dataset="mnist",
        batch_size=128,
        steps=5000,
        steps_per_epoch=100,
        reference=INFOGAN_REF,
        tiny={"width": 4, "noise_dim": 4, "categorical_codes": (3,), "continuous_codes": 1},
    )
)

BIGAN_REF = (
    "Donahue et al., Adversarial Feature Learning, ICLR 2017; jeffdonahue/bigan train_mnist.sh"
)

# The authors' permutation-invariant MNIST BiGAN: z ~ U[-1, 1]^50, fully connected networks of 1024
# units, Adam 2e-4 with beta_1 0.5, batch 128 (their 400 epochs of 60,000 images are far beyond this
# CPU).
register(
    Preset(
        name="bigan-mnist",
        model=BiGAN,
        networks=bigan_mlp_networks,
        arch={"latent_dim": 50, "image_shape": (28, 28, 1), "width": 1024},
        model_args={"prior": "uniform"},
        g_optimizer=adam(2e-4, 0.5),
        d_optimizer=adam(2e-4, 0.5),
        dataset="mnist",
        batch_size=128,
        steps=5000,
        steps_per_epoch=100,
        reference=BIGAN_REF,
        tiny={"latent_dim": 4, "width": 8},
        jit_compile=True,  # 1.27x the images per CPU-second without XLA (BENCHMARKS.md, speed)
    )
)

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
    )
)
