"""f-GAN: variational divergence minimization with any f-divergence."""

import keras

from keras_gan import divergences
from keras_gan.models.latent import LatentAdversarialModel


@keras.saving.register_keras_serializable(package="keras_gan")
class FGAN(LatentAdversarialModel):
    """f-GAN: the critic maximizes a variational lower bound of D_f(P‖Q).

    The critic outputs v = V(x); `g_f(v)` maps it into the domain of f*.
    The bound `E_P[g_f(V(x))] - E_Q[f*(g_f(V(G(z))))]` is reported as the
    metric `divergence` (the current estimate of D_f(P‖Q_θ)).

    Reference:
        Nowozin, Cseke & Tomioka, "f-GAN: Training Generative Neural Samplers
        using Variational Divergence Minimization", NeurIPS 2016 (eq. 6;
        §3.2 for the alternative generator objective).

    Formula:
        critic: `-(E_P[g_f(v)] - E_Q[f*(g_f(v))])`;
        generator, `"saddle"`: `-E_Q[f*(g_f(v))]` (it minimizes the bound);
        generator, `"alternative"`: `-E_Q[g_f(v)]`.

    Args:
        generator, discriminator: see `LatentAdversarialModel`; the critic outputs
            raw values v.
        divergence: a name from `keras_gan.divergences.names()`.
        divergence_params: e.g. `{"pi": 0.3}` or `{"alpha": 2.0}`.
        generator_objective: `"saddle"` (default) or `"alternative"`.
        **kwargs: `latent_dim`, `prior`, `num_classes`, `seed`.
    """

    OBJECTIVES = ("saddle", "alternative")

    def __init__(
        self,
        generator,
        discriminator,
        divergence="kl",
        divergence_params=None,
        generator_objective="saddle",
        **kwargs,
    ):
        super().__init__(generator, discriminator, **kwargs)
        self.divergence = divergences.get(divergence, **dict(divergence_params or {}))
        # The parameters as the divergence holds them, however it was given (name, dict or object).
        self.divergence_params = self.divergence.get_params()
        if generator_objective not in self.OBJECTIVES:
            raise ValueError(
                f"generator_objective must be one of {self.OBJECTIVES}. Received: "
                f"{generator_objective!r}"
            )
        self.generator_objective = generator_objective
        self.divergence_tracker = keras.metrics.Mean(name="divergence")

    @property
    def metrics(self):
        return super().metrics + [self.divergence_tracker]

    def get_config(self):
        return {
            **super().get_config(),
            "divergence": self.divergence.name,
            "divergence_params": self.divergence_params,
            "generator_objective": self.generator_objective,
        }

    def discriminator_loss(self, batch):
        loss = self.divergence.discriminator_loss(batch.real_output, batch.fake_output)
        self.divergence_tracker.update_state(-loss)
        return loss

    def generator_loss(self, batch):
        if self.generator_objective == "alternative":
            return self.divergence.alternative_generator_loss(batch.fake_output)
        return self.divergence.generator_loss(batch.fake_output)
