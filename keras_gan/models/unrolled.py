"""Unrolled GAN: the generator plays against the discriminator k updates ahead."""

import dataclasses

import keras
import tensorflow as tf

from keras_gan.models.gan import GAN


@keras.saving.register_keras_serializable(package="keras_gan")
class UnrolledGAN(GAN):
    """GAN whose generator loss is taken against the discriminator after k simulated updates.

    The discriminator trains as in `GAN`. For the generator update, a copy of its weights takes
    `unroll_steps` gradient steps on the discriminator's loss (the same real and generated batch
    each step, as the authors' code), computed with `keras.Model.stateless_call` so the real
    discriminator is not touched; the generator's loss is then the discriminator's verdict with
    the unrolled weights, differentiated through the unrolled steps (`second_order=True`, as the
    paper) or with the steps' gradients held constant (`second_order=False`, the paper's cheaper
    comparison). Each unrolled gradient is averaged over the replicas, so N replicas unroll as one
    device on the global batch.

    Reference:
        Metz, Poole, Pfau & Sohl-Dickstein, "Unrolled Generative Adversarial Networks",
        ICLR 2017, §2.1, equations (2)-(4).

    Formula:
        `θ_D^0 = θ_D`, `θ_D^{k+1} = θ_D^k − η ∂L_D(θ_G, θ_D^k) / ∂θ_D^k` for k < K;
        the generator minimizes `L_G(θ_G, θ_D^K(θ_G))` (the paper's f_K), while the
        discriminator still steps on `L_D(θ_G, θ_D)`. The paper's equation (2) is this plain
        gradient step; its experiments' code unrolls with the discriminator's Adam instead.

    Args:
        generator, discriminator: see `GAN`.
        unroll_steps: K, the simulated discriminator updates (>= 1; the paper uses 5 and 10).
        unroll_learning_rate: η of the simulated steps.
        second_order: differentiate through the unrolled steps (True), or treat their
            gradients as constants (False).
        **kwargs: the options of `GAN` (losses, `real_label`, `latent_dim`, `prior`, ...).

    Example:
        >>> model = UnrolledGAN(generator, discriminator, unroll_steps=5)
        >>> model.compile()
        >>> model.fit(keras_gan.data.load("ring8", batch_size=512), epochs=1)
    """

    def __init__(
        self,
        generator,
        discriminator,
        unroll_steps=5,
        unroll_learning_rate=1e-4,
        second_order=True,
        **kwargs,
    ):
        super().__init__(generator, discriminator, **kwargs)
        if isinstance(unroll_steps, bool) or int(unroll_steps) != unroll_steps or unroll_steps < 1:
            raise ValueError(f"unroll_steps must be an integer >= 1. Received: {unroll_steps!r}")
        if not float(unroll_learning_rate) > 0:
            raise ValueError(
                f"unroll_learning_rate must be > 0. Received: {unroll_learning_rate!r}"
            )
        if self.feature_model is not None:
            raise ValueError(
                "UnrolledGAN takes the adversarial generator loss; drop feature_matching."
            )
        self.unroll_steps = int(unroll_steps)
        self.unroll_learning_rate = float(unroll_learning_rate)
        self.second_order = bool(second_order)

    def get_config(self):
        return {
            **super().get_config(),
            "unroll_steps": self.unroll_steps,
            "unroll_learning_rate": self.unroll_learning_rate,
            "second_order": self.second_order,
        }

    def unrolled_discriminator(self, batch):
        """`(trainable, non_trainable)` values of the discriminator after the simulated steps."""
        trainable = [tf.convert_to_tensor(v) for v in self.discriminator.trainable_variables]
        frozen = [tf.convert_to_tensor(v) for v in self.discriminator.non_trainable_variables]
        context = tf.distribute.get_replica_context()
        real_inputs = self.discriminator_inputs(batch.real, batch.real_labels)
        fake_inputs = self.discriminator_inputs(batch.fake, batch.fake_labels)
        for _ in range(self.unroll_steps):
            with tf.GradientTape() as tape:
                tape.watch(trainable)
                real_output, state = self.discriminator.stateless_call(
                    trainable, frozen, real_inputs, training=True
                )
                fake_output, state = self.discriminator.stateless_call(
                    trainable, state, fake_inputs, training=True
                )
                step = dataclasses.replace(
                    batch,
                    real_output=tf.cast(real_output, tf.float32),
                    fake_output=tf.cast(fake_output, tf.float32),
                )
                loss = self.discriminator_loss(step)
            grads = tape.gradient(loss, trainable)
            if context is not None and context.num_replicas_in_sync > 1:
                grads = context.all_reduce(tf.distribute.ReduceOp.MEAN, grads)
            if not self.second_order:
                grads = [tf.stop_gradient(g) for g in grads]
            trainable = [w - self.unroll_learning_rate * g for w, g in zip(trainable, grads)]
        return trainable, frozen

    def generator_loss(self, batch):
        if batch.real is None:
            raise ValueError("UnrolledGAN's generator update needs the step's real examples.")
        trainable, frozen = self.unrolled_discriminator(batch)
        fake_output, _ = self.discriminator.stateless_call(
            trainable,
            frozen,
            self.discriminator_inputs(batch.fake, batch.fake_labels),
            training=True,
        )
        unrolled = dataclasses.replace(batch, fake_output=tf.cast(fake_output, tf.float32))
        return super().generator_loss(unrolled)
