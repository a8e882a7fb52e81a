"""InfoGAN presets (Chen et al. 2016): the authors' MNIST run."""

from keras_gan.models import InfoGAN
from keras_gan.zoo.infogan.networks import infogan_networks
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
        shared=("noise_dim", "categorical_codes", "continuous_codes"),
    )
)
