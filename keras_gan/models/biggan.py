"""BigGAN: SAGAN's scheme with orthogonal regularization of G, an EMA generator and truncation."""

import keras
import tensorflow as tf

from keras_gan import losses, regularizers, serving
from keras_gan.layers import ConditionalBatchNormalization
from keras_gan.models.sagan import SAGAN

# The convolutions with a `kernel` of shape [..., in, out] (what Keras's non-public BaseConv
# covers).
_CONVOLUTIONS = (keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv3D)


def orthogonal_kernels(network):
    """The kernels BigGAN's orthogonal regularization applies to: every Dense and convolution
    kernel of `network` (inside spectral normalization: the raw W), except the class embeddings
    and the maps that give conditional BatchNorm its gains and biases."""
    found = []

    def walk(layer):
        if isinstance(layer, (ConditionalBatchNormalization, keras.layers.Embedding)):
            return
        if isinstance(layer, (keras.layers.Dense, *_CONVOLUTIONS)):
            found.append(layer.kernel)
            return
        # No public Keras API lists a custom layer's sublayers: the one internal used here.
        for sub in layer._flatten_layers(include_self=False, recursive=False):
            walk(sub)

    walk(network)
    return found


@keras.saving.register_keras_serializable(package="keras_gan")
class BigGAN(SAGAN):
    """BigGAN: hinge loss, spectral norm in G and D, orthogonal regularization, EMA, truncation.

    The networks carry the architecture (shared class embedding, hierarchical
    z feeding each block's conditional BatchNorm, self-attention, projection
    D: `zoo.biggan.networks`). The scheme adds to SAGAN's hinge loss the
    orthogonal regularization of G's kernels, serves an exponential moving
    average of G that starts at `ema_start`, and declares the `truncation`
    serving signature (`generate(..., truncation=τ)` redraws every |z_i| > τ).
    G's shared class embedding is not spectrally normalized (as the reference).

    Reference:
        Brock et al., "Large Scale GAN Training for High Fidelity Natural
        Image Synthesis", ICLR 2019 (β = 1e-4; G 5e-5, D 2e-4, Adam β = (0,
        0.999), two D steps per G step, EMA 0.9999); BigGAN-PyTorch.

    Formula:
        D minimizes `E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))]`; G minimizes
        `-E[D(G(z))] + β Σ_W ‖WᵀW ⊙ (1 - I)‖²_F` over G's kernels W
        reshaped to `[-1, out]` (the paper's eq. 3; BigGAN-PyTorch's `ortho`
        adds the gradient of half this sum).

    Args:
        generator, discriminator: see `SAGAN`.
        ortho_weight: β (0 turns the regularization off).
        ema_decay: decay of the served generator's average (None: no EMA).
        ema_start: the step from which the average decays (before it, the
            copy equals the trained generator).
        **kwargs: `latent_dim`, `num_classes`, `seed`, `augment`.

    Example:
        >>> model = BigGAN(generator, discriminator, num_classes=10)
        >>> model.compile()
        >>> images = model.generate(16, seed=0, truncation=0.5)
    """

    DEFAULT_OPTIMIZER = {
        "class_name": "Adam",
        "config": {"learning_rate": 5e-5, "beta_1": 0.0, "beta_2": 0.999},
    }
    DEFAULT_D_OPTIMIZER = {
        "class_name": "Adam",
        "config": {"learning_rate": 2e-4, "beta_1": 0.0, "beta_2": 0.999},
    }
    DEFAULT_N_CRITIC = 2
    GENERATOR_EXEMPT = (keras.layers.Embedding,)

    def __init__(
        self,
        generator,
        discriminator,
        ortho_weight=1e-4,
        ema_decay=0.9999,
        ema_start=20000,
        **kwargs,
    ):
        if kwargs.get("prior", "normal") != "normal":
            raise ValueError(
                "BigGAN draws z from N(0, I) (its truncation trick assumes it). Received: "
                f"prior={kwargs['prior']!r}"
            )
        super().__init__(
            generator, discriminator, ema_decay=ema_decay, ema_start=ema_start, **kwargs
        )
        if not float(ortho_weight) >= 0.0:
            raise ValueError(f"ortho_weight must be >= 0. Received: ortho_weight={ortho_weight}")
        self.ortho_weight = float(ortho_weight)
        self.ortho_tracker = keras.metrics.Mean(name="g_ortho")

    def get_config(self):
        return {**super().get_config(), "ortho_weight": self.ortho_weight}

    @property
    def metrics(self):
        return super().metrics + [self.ortho_tracker]

    def orthogonal_penalty(self):
        """`Σ_W ‖WᵀW ⊙ (1 - I)‖²_F` over the trained generator's kernels (before β)."""
        return tf.add_n(
            [
                regularizers.orthogonal_regularization(k)
                for k in orthogonal_kernels(self.trained_generator)
            ]
        )

    def generator_loss(self, batch):
        loss = losses.hinge_generator_loss(batch.fake_output)
        if not self.ortho_weight:
            return loss
        penalty = self.orthogonal_penalty()
        self.ortho_tracker.update_state(penalty)
        return loss + tf.cast(self.ortho_weight * penalty, loss.dtype)

    def serving_signatures(self):
        return {**super().serving_signatures(), "truncation": serving.truncation_signature(self)}
