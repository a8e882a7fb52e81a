"""BiGAN: an encoder learned with the generator, against a discriminator of (x, z) pairs."""

import keras
import numpy as np
import tensorflow as tf

from keras_gan import losses, serving
from keras_gan.models.latent import LatentAdversarialModel


@keras.saving.register_keras_serializable(package="keras_gan")
class BiGAN(LatentAdversarialModel):
    """Bidirectional GAN: G: z → x and E: x → z trained together against a joint discriminator.

    The discriminator sees pairs: `(x, E(x))` for data and `(G(z), z)` for
    generated samples, and learns to tell them apart; G and E are trained
    with the labels inverted (each wants its pairs called the other kind),
    the non-saturating form of the authors' code. At the optimum E inverts G.

    Reference:
        Donahue, Krähenbühl & Darrell, "Adversarial Feature Learning", ICLR
        2017; jeffdonahue/bigan `train_mnist.sh` (z ∈ U[-1, 1]^50, Adam 2e-4,
        β₁ 0.5, batch 128). Dumoulin et al., "Adversarially Learned
        Inference" (ALI), ICLR 2017, is the same model.

    Formula:
        D minimizes `-E_x[log D(x, E(x))] - E_z[log(1 - D(G(z), z))]`;
        G and E minimize `-E_z[log D(G(z), z)] - E_x[log(1 - D(x, E(x)))]`.

    Args:
        generator: maps latents `[batch, latent_dim]` to samples.
        discriminator: maps `[samples, latents]` to logits.
        encoder: maps samples to latents `[batch, latent_dim]`.
        real_label: below 1, one-sided label smoothing of D's targets for data pairs.
        **kwargs: `latent_dim`, `prior`, `seed`, `ema_decay`, `name`.

    Example:
        >>> model = BiGAN(generator, discriminator, encoder, prior="uniform")
        >>> model.compile()
        >>> codes = model.encode(images)             # features for a linear probe
        >>> rebuilt = model.reconstruct(images)      # G(E(x))
    """

    PACKABLE = False  # the discriminator judges one (x, z) pair

    NETWORKS = ("generator", "discriminator", "encoder")

    def __init__(self, generator, discriminator, encoder, real_label=1.0, **kwargs):
        if kwargs.get("num_classes") is not None or kwargs.get("augment"):
            raise ValueError(
                "BiGAN is unconditional and does not augment its (x, z) pairs. Received: "
                f"num_classes={kwargs.get('num_classes')}, augment={kwargs.get('augment')}"
            )
        super().__init__(generator, discriminator, **kwargs)
        self.check_networks(encoder=encoder)
        if len(discriminator.inputs) != 2:
            raise ValueError(
                f"BiGAN's discriminator takes [x, z] (two inputs). Received: {discriminator.inputs}"
            )
        if int(encoder.outputs[0].shape[-1]) != self.latent_dim:
            raise ValueError(
                f"The encoder must output latent_dim = {self.latent_dim} values. Received: "
                f"{encoder.outputs[0].shape}"
            )
        self.encoder = encoder
        self.real_label = losses.check_real_label(real_label)

    def get_config(self):
        return {**super().get_config(), "real_label": self.real_label}

    def generator_networks(self):
        return [self.trained_generator, self.encoder]

    def data_spec(self):
        return tf.TensorSpec([None, *self.discriminator.inputs[0].shape[1:]], tf.float32)

    def train_step(self, data):
        x, _ = self.unpack_batch(data)
        n = self.n_critic
        local_size = tf.shape(x)[0] // n
        latents = self.draw_latents(n + 1, local_size)
        for k in range(n):
            self.discriminator_update(x[k::n], latents[k])
        # G and E step on the last discriminator update's real examples (one minibatch, as the
        # authors).
        self.generator_update(x[n - 1 :: n], latents[n])
        return self.end_step()

    def pair_outputs(self, real, latents):
        """D's logits on `(x, E(x))` and on `(G(z), z)`, float32."""
        codes = tf.cast(self.encoder(real, training=True), tf.float32)
        fake = self.generate_samples(latents)
        return self.discriminate([real, codes]), self.discriminate([fake, latents])

    def discriminator_update(self, real, latents):
        self.record_history("discriminator")
        with tf.GradientTape() as tape:
            real_output, fake_output = self.pair_outputs(real, latents)
            loss = losses.minimax_discriminator_loss(real_output, fake_output, self.real_label)
            scaled = self.scale_loss(
                self.d_optimizer, loss + self.historical_penalty("discriminator")
            )
        self.apply_update(self.d_optimizer, tape, scaled, self.discriminator.trainable_variables)
        self.d_loss_tracker.update_state(loss)
        self.d_real_tracker.update_state(tf.reduce_mean(tf.sigmoid(real_output)))
        self.d_fake_tracker.update_state(tf.reduce_mean(tf.sigmoid(fake_output)))
        return loss

    def generator_update(self, real, latents):
        variables = self.trainable_variables_of(self.generator_networks())
        self.record_history("generator")
        with tf.GradientTape() as tape:
            real_output, fake_output = self.pair_outputs(real, latents)
            # The discriminator's loss with the pairs' labels swapped.
            loss = losses.minimax_discriminator_loss(fake_output, real_output)
            scaled = self.scale_loss(self.g_optimizer, loss + self.historical_penalty("generator"))
        self.apply_update(self.g_optimizer, tape, scaled, variables)
        self.update_ema()
        self.g_loss_tracker.update_state(loss)
        return loss

    def discriminator_output(self, outputs):
        return tf.sigmoid(outputs)

    # ---------------------------------------------------------- inference
    def encode(self, x, batch_size=256):
        """E(x) for images `x` (NumPy, in [-1, 1]) as a NumPy array."""
        x = np.asarray(x, np.float32)
        return np.concatenate(
            [
                tf.cast(self.encoder(x[i : i + batch_size], training=False), tf.float32).numpy()
                for i in range(0, len(x), batch_size)
            ]
        )

    def projection_start(self, images, space="z", seed=0):
        """Where projection starts: the encoder's E(x), refined from there."""
        return self.encode(images)

    def serving_projection_start(self, images):
        """The `project` signature starts from E(x), as `projection_start`."""
        return tf.cast(self.encoder(images, training=False), tf.float32)

    def reconstruct(self, x, batch_size=256):
        """G(E(x)) with the served generator."""
        return self.decode_latents(tf.constant(self.encode(x, batch_size)), None, batch_size)

    def serving_signatures(self):
        return {**super().serving_signatures(), "encode": self._encode_signature()}

    def serving_networks(self):
        return [self.generator, self.encoder]

    def _encode_signature(self):
        """`encode`: `images` float32 `[None, *shape]` in [-1, 1] -> `z` float32 `[None,
        latent_dim]`."""
        encoder, shape = self.encoder, list(self.discriminator.inputs[0].shape[1:])

        @tf.function(input_signature=[tf.TensorSpec([None, *shape], tf.float32, name="images")])
        def encode(images):
            checks = [
                tf.debugging.assert_less_equal(
                    tf.shape(images)[0],
                    serving.MAX_SAMPLE,
                    message=f"images: at most {serving.MAX_SAMPLE} per request",
                ),
                tf.debugging.assert_all_finite(images, message="images: must be finite"),
            ]
            images = serving.with_checks(checks, images)
            return {"z": tf.cast(encoder(images, training=False), tf.float32)}

        return serving.Signature(
            encode, {"images": np.zeros([1, *shape], np.float32)}, portable=True
        )
