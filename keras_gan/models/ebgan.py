"""EBGAN: an autoencoder discriminator whose reconstruction error is the energy."""

import keras
import tensorflow as tf

from keras_gan import losses
from keras_gan.models.latent import LatentAdversarialModel
from keras_gan.replicas import all_gather


@keras.saving.register_keras_serializable(package="keras_gan")
class EBGAN(LatentAdversarialModel):
    """Energy-based GAN: D is an autoencoder, its reconstruction error the energy.

    D pushes the energy of data down and that of generated samples up to a
    margin; G lowers the energy of its samples, and the pulling-away term
    keeps the encoder's codes of a generated batch from pointing the same way
    (a repelling regularizer against mode collapse). The term is computed on
    the global batch (codes gathered across replicas), so N replicas compute
    what one device computes.

    Reference:
        Zhao, Mathieu & LeCun, "Energy-based Generative Adversarial Network",
        ICLR 2017 (margin loss, eq. 1-2; pulling-away term, eq. 5, weight 0.1).

    Formula:
        `D(x) = mean_j (x_j - Dec(Enc(x))_j)²`;
        D minimizes `E[D(x)] + E[max(0, m - D(G(z)))]`;
        G minimizes `E[D(G(z))] + λ_PT f_PT(Enc(G(z)))`.

    Args:
        generator: see `LatentAdversarialModel`.
        discriminator: maps samples to `[reconstruction, code]`.
        margin: m, in units of the energy (mean squared error of images in [-1, 1]).
        pt_weight: λ_PT (0: plain EBGAN).
        **kwargs: `latent_dim`, `prior`, `seed`, `ema_decay`, `augment`, `name`.

    Example:
        >>> model = EBGAN(generator, autoencoder, margin=1.0, pt_weight=0.1)
    """

    PACKABLE = False  # the energy is one example's reconstruction error

    def __init__(self, generator, discriminator, margin=1.0, pt_weight=0.1, **kwargs):
        super().__init__(generator, discriminator, **kwargs)
        if self.conditional:
            raise ValueError(f"EBGAN is unconditional. Received: num_classes={self.num_classes}")
        if len(discriminator.outputs) != 2:
            raise ValueError(
                "EBGAN's discriminator is an autoencoder returning [reconstruction, code]. "
                f"Received outputs: {[o.shape for o in discriminator.outputs]}"
            )
        if not float(margin) > 0 or not float(pt_weight) >= 0:
            raise ValueError(
                f"margin must be > 0 and pt_weight >= 0. Received: margin={margin}, "
                f"pt_weight={pt_weight}"
            )
        self.margin, self.pt_weight = float(margin), float(pt_weight)
        self.pt_tracker = keras.metrics.Mean(name="pulling_away")

    def get_config(self):
        return {**super().get_config(), "margin": self.margin, "pt_weight": self.pt_weight}

    @property
    def metrics(self):
        return super().metrics + [self.pt_tracker]

    def discriminate(self, inputs, training=True):
        """`(energy [batch], reconstruction, code)` of the samples `inputs`, float32."""
        reconstruction, code = self.discriminator(inputs, training=training)
        reconstruction, code = tf.cast(reconstruction, tf.float32), tf.cast(code, tf.float32)
        return losses.autoencoder_energy(inputs, reconstruction), reconstruction, code

    def discriminator_loss(self, batch):
        return losses.margin_discriminator_loss(
            batch.real_output[0], batch.fake_output[0], self.margin
        )

    def generator_loss(self, batch):
        loss = tf.reduce_mean(batch.fake_output[0])
        if self.pt_weight:
            # The term of the global batch: every replica computes the same value; the base divides
            # each replica's loss by the replica count and the gathered codes' gradients flow back
            # to the replicas they came from, so the summed gradient is the term's gradient.
            pt = losses.pulling_away_term(all_gather(batch.fake_output[2]))
            self.pt_tracker.update_state(pt)
            loss += self.pt_weight * pt
        return loss

    def discriminator_output(self, outputs):
        """Reported as d_real / d_fake: the energy."""
        return outputs[0]
