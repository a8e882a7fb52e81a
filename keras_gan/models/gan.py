"""GAN: the original adversarial scheme and its loss variants."""

import keras
import tensorflow as tf

from keras_gan import losses
from keras_gan.models.latent import LatentAdversarialModel


@keras.saving.register_keras_serializable(package="keras_gan")
class GAN(LatentAdversarialModel):
    """Generative adversarial network (Algorithm 1 of Goodfellow et al.).

    Each `train_step` makes `n_critic` discriminator updates, each on its own
    real minibatch and fresh latents, then one generator update on fresh
    latents. A dataset element holds `n_critic * b` real examples (see
    `LatentAdversarialModel` for how it is split).

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
        Mao et al., "Least Squares GANs", ICCV 2017 (`least_squares`).
        Mirza & Osindero, "Conditional GANs", 2014 (`num_classes`).

    Formula:
        D minimizes `-E[log D(x)] - E[log(1 - D(G(z)))]` (`minimax`) or
        `1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2]` (`least_squares`); G
        minimizes `-E[log D(G(z))]` (`non_saturating`), `E[log(1 - D(G(z)))]`
        (`minimax`), `-1/2 E[exp(logit(D(G(z))))]` (`maximum_likelihood`) or
        `1/2 E[(D(G(z)) - 1)^2]` (`least_squares`). See `keras_gan.losses`.

    Args:
        generator: see `LatentAdversarialModel`.
        discriminator: outputs logits (or raw scores for `least_squares`).
        generator_loss: `"non_saturating"` (default), `"minimax"`,
            `"maximum_likelihood"` or `"least_squares"`.
        discriminator_loss: `"minimax"` (default) or `"least_squares"`.
        real_label: target for real data in the minimax discriminator loss;
            below 1 is one-sided label smoothing (Salimans et al. 2016).
        feature_matching: None, or the name of a discriminator layer: the
            generator then minimizes `keras_gan.losses.feature_matching_loss`
            between that layer's outputs on the data and on its samples
            instead of `generator_loss` (Salimans et al. 2016, §3.1).
        **kwargs: `latent_dim`, `prior`, `num_classes`, `seed`, as in
            `LatentAdversarialModel`.

    Example:
        >>> model = GAN(generator, discriminator)
        >>> model.compile()
        >>> model.fit(keras_gan.data.load("ring8", batch_size=256), epochs=1)
        >>> points = model.generate(2500, seed=0)
    """

    GENERATOR_LOSSES = ("non_saturating", "minimax", "maximum_likelihood", "least_squares")
    DISCRIMINATOR_LOSSES = ("minimax", "least_squares")

    def __init__(
        self,
        generator,
        discriminator,
        generator_loss="non_saturating",
        discriminator_loss="minimax",
        real_label=1.0,
        feature_matching=None,
        **kwargs,
    ):
        super().__init__(generator, discriminator, **kwargs)
        for value, allowed, arg in (
            (generator_loss, self.GENERATOR_LOSSES, "generator_loss"),
            (discriminator_loss, self.DISCRIMINATOR_LOSSES, "discriminator_loss"),
        ):
            if value not in allowed:
                raise ValueError(f"{arg} must be one of {allowed}. Received: {arg}={value!r}")
        losses.check_real_label(real_label)
        if (generator_loss == "least_squares") != (discriminator_loss == "least_squares"):
            raise ValueError(
                "generator_loss and discriminator_loss must fit one discriminator: the "
                "least-squares losses read raw scores, the others logits. Received: "
                f"generator_loss={generator_loss!r}, discriminator_loss={discriminator_loss!r}."
            )
        if real_label != 1.0 and discriminator_loss != "minimax":
            raise ValueError(
                "real_label (label smoothing) applies to discriminator_loss='minimax' only."
            )
        self.generator_loss_name = generator_loss
        self.discriminator_loss_name = discriminator_loss
        self.real_label = float(real_label)
        self.feature_matching = feature_matching
        self.feature_model = None
        if feature_matching is not None:
            names = [layer.name for layer in discriminator.layers]
            if feature_matching not in names:
                raise ValueError(
                    f"feature_matching names a discriminator layer; {discriminator.name!r} has "
                    f"none called {feature_matching!r}. Its layers: {', '.join(names)}."
                )
            self.feature_model = keras.Model(
                discriminator.inputs,
                discriminator.get_layer(feature_matching).output,
                name="features",
            )

    def get_config(self):
        return {
            **super().get_config(),
            "generator_loss": self.generator_loss_name,
            "discriminator_loss": self.discriminator_loss_name,
            "real_label": self.real_label,
            "feature_matching": self.feature_matching,
        }

    def discriminator_loss(self, batch):
        if self.discriminator_loss_name == "least_squares":
            return losses.least_squares_discriminator_loss(batch.real_output, batch.fake_output)
        return losses.minimax_discriminator_loss(
            batch.real_output, batch.fake_output, self.real_label
        )

    def generator_loss(self, batch):
        if self.feature_model is not None:
            features = lambda x, y: self.feature_model(
                self.discriminator_inputs(x, y), training=True
            )  # noqa: E731
            return losses.feature_matching_loss(
                features(batch.real, batch.real_labels), features(batch.fake, batch.fake_labels)
            )
        return losses.get(self.generator_loss_name, losses.GENERATOR_LOSSES)(batch.fake_output)

    def discriminator_output(self, outputs):
        if self.discriminator_loss_name == "least_squares":
            return outputs
        return tf.sigmoid(tf.cast(outputs, tf.float32))
