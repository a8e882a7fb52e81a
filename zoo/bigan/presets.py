"""BiGAN presets (Donahue et al. 2017): the authors' permutation-invariant MNIST run."""

from keras_gan.models import BiGAN
from keras_gan.zoo.bigan.networks import bigan_mlp_networks
from keras_gan.zoo.registry import Preset, adam, register

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
        shared=("latent_dim",),
    )
)
