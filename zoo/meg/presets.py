"""Presets of MEG (Kumar et al. 2019): 2-D toys, MNIST anomaly detection, Stacked MNIST.

Hyper-parameters are the authors' (ritheshkumar95/energy_based_generative_models):
Adam 1e-4, β = (0.5, 0.9), 5 energy updates per generator update, the
zero-centred score penalty λ = 0.1 for 2-D toys (3 hidden layers x 512), 10 for
Stacked MNIST, 100 for anomaly detection, in the authors' convention (the
channel norm averaged over pixels, `estimators.score_penalty`), and their
entropy term (a BCE of -Î/2, weight 1); MALA step 0.01 at sampling time.

`meg-mnist-anomaly` trains on MNIST with one digit held out; the digit is
the data source's parameter: `--data mnist_anomaly:D` (default D = 1). The
split is `keras_gan.data.anomaly_split` (80% of the normal digits for
training; the other 20% plus every held-out digit for testing).
"""

from keras_gan.models import MEG
from keras_gan.zoo.meg.networks import meg_conv_networks, meg_mlp_networks
from keras_gan.zoo.registry import Preset, adam, register

MEG_REF = (
    "Kumar, Goyal, Courville & Bengio, Maximum Entropy Generators for Energy-Based Models, "
    "arXiv:1901.08508, 2019; code: ritheshkumar95/energy_based_generative_models"
)
_ADAM = adam(1e-4, 0.5, 0.9)


_TOY = {"latent_dim": 2, "width": 512, "depth": 3}
_TINY_TOY = {"width": 8, "depth": 1}
# XLA on: 1.14x (ring8) and 1.12x (grid25) the images per CPU-second without it (BENCHMARKS.md,
# speed).
for _name, _data in (("meg-ring8", "ring8"), ("meg-grid25", "grid25")):
    register(
        Preset(
            name=_name,
            model=MEG,
            networks=meg_mlp_networks,
            arch=dict(_TOY),
            model_args={"gp_weight": 0.1, "marginal": "shuffle"},
            g_optimizer=_ADAM,
            d_optimizer=_ADAM,
            n_critic=5,
            dataset=_data,
            batch_size=256,
            steps=3000,
            steps_per_epoch=500,
            reference=MEG_REF,
            tiny=dict(_TINY_TOY),
            jit_compile=True,
            shared=("latent_dim",),
        )
    )
register(
    Preset(
        name="meg-mnist-anomaly",
        model=MEG,
        networks=meg_conv_networks,
        arch={"latent_dim": 100, "image_shape": (28, 28, 1), "width": 32},
        model_args={"gp_weight": 100.0},
        g_optimizer=_ADAM,
        d_optimizer=_ADAM,
        n_critic=5,
        dataset="mnist_anomaly:1",
        batch_size=64,
        steps=2000,
        steps_per_epoch=250,
        reference=MEG_REF,
        tiny={"latent_dim": 8, "width": 4},
        shared=("latent_dim",),
    )
)
register(
    Preset(
        name="meg-stacked-mnist",
        model=MEG,
        networks=meg_conv_networks,
        arch={"latent_dim": 100, "image_shape": (28, 28, 3), "width": 64},
        model_args={"gp_weight": 10.0},
        g_optimizer=_ADAM,
        d_optimizer=_ADAM,
        n_critic=5,
        dataset="stacked_mnist",
        batch_size=64,
        steps=20000,
        steps_per_epoch=500,
        reference=MEG_REF,
        tiny={"latent_dim": 8, "width": 4},
        shared=("latent_dim",),
    )
)
