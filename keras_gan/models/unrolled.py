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
        gradient step (`unroll_optimizer="sgd"`); the authors' code (poolio/unrolled_gan)
        unrolls the discriminator's Adam update instead, from its current moments and step
        count (`unroll_optimizer="adam"`): `m ← β1 m + (1−β1) g`, `v ← β2 v + (1−β2) g²`,
        `θ ← θ − η √(1−β2^t)/(1−β1^t) · m / (√v + ε)`, the moments carried through the K steps.

    Args:
        generator, discriminator: see `GAN`.
        unroll_steps: K, the simulated discriminator updates (>= 1; the paper uses 5 and 10).
        unroll_learning_rate: η of the simulated plain steps; `None` with
            `unroll_optimizer="adam"`, which takes the discriminator optimizer's rate.
        second_order: differentiate through the unrolled steps (True), or treat their
            gradients as constants (False).
        unroll_optimizer: `"sgd"` (plain steps, the paper's equation (2)) or `"adam"` (the
            discriminator's own `keras.optimizers.Adam`, its moments copied, as the authors'
            code; the real optimizer is not touched).
        **kwargs: the options of `GAN` (losses, `real_label`, `latent_dim`, `prior`, ...).

    Example:
        >>> model = UnrolledGAN(generator, discriminator, unroll_steps=5)
        >>> model.compile()
        >>> model.fit(keras_gan.data.load("ring8", batch_size=512), epochs=1)
    """

    UNROLL_OPTIMIZERS = ("sgd", "adam")

    def __init__(
        self,
        generator,
        discriminator,
        unroll_steps=5,
        unroll_learning_rate=1e-4,
        second_order=True,
        unroll_optimizer="sgd",
        **kwargs,
    ):
        super().__init__(generator, discriminator, **kwargs)
        if isinstance(unroll_steps, bool) or int(unroll_steps) != unroll_steps or unroll_steps < 1:
            raise ValueError(f"unroll_steps must be an integer >= 1. Received: {unroll_steps!r}")
        if unroll_optimizer not in self.UNROLL_OPTIMIZERS:
            raise ValueError(
                f"unroll_optimizer must be one of {self.UNROLL_OPTIMIZERS}. "
                f"Received: {unroll_optimizer!r}"
            )
        if unroll_optimizer == "sgd" and not float(unroll_learning_rate) > 0:
            raise ValueError(
                f"unroll_learning_rate must be > 0. Received: {unroll_learning_rate!r}"
            )
        if unroll_optimizer == "adam" and unroll_learning_rate is not None:
            raise ValueError(
                "unroll_optimizer='adam' steps with the discriminator's own Adam (its rate and "
                "moments); pass unroll_learning_rate=None. "
                f"Received: unroll_learning_rate={unroll_learning_rate!r}"
            )
        if self.feature_model is not None:
            raise ValueError(
                "UnrolledGAN takes the adversarial generator loss; drop feature_matching."
            )
        self.unroll_steps = int(unroll_steps)
        self.unroll_learning_rate = (
            None if unroll_learning_rate is None else float(unroll_learning_rate)
        )
        self.second_order = bool(second_order)
        self.unroll_optimizer = unroll_optimizer

    def get_config(self):
        return {
            **super().get_config(),
            "unroll_steps": self.unroll_steps,
            "unroll_learning_rate": self.unroll_learning_rate,
            "second_order": self.second_order,
            "unroll_optimizer": self.unroll_optimizer,
        }

    def _discriminator_adam(self):
        """The discriminator's Adam and, per trainable variable, its `(momentum, velocity)`.

        Found by the names `Optimizer.add_variable_from_reference` documents
        (`{variable.path with "/" as "_"}_momentum`)."""
        optimizer = getattr(self, "d_optimizer", None)
        if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
            optimizer = optimizer.inner_optimizer
        if type(optimizer) is not keras.optimizers.Adam:
            raise ValueError(
                "unroll_optimizer='adam' simulates the discriminator's Adam: compile with "
                f"d_optimizer=keras.optimizers.Adam(...). Received: {type(optimizer).__name__}"
            )
        unsupported = {
            "amsgrad": optimizer.amsgrad,
            "weight_decay": optimizer.weight_decay,
            "clipnorm": optimizer.clipnorm,
            "clipvalue": optimizer.clipvalue,
            "global_clipnorm": optimizer.global_clipnorm,
            "use_ema": optimizer.use_ema,
        }
        unsupported = {k: v for k, v in unsupported.items() if v}
        if unsupported:
            raise ValueError(
                "unroll_optimizer='adam' simulates plain Adam; drop these options of the "
                f"discriminator's optimizer. Received: {unsupported}"
            )
        by_name = {v.name: v for v in optimizer.variables}
        moments = []
        for variable in self.discriminator.trainable_variables:
            prefix = variable.path.replace("/", "_")
            pair = [by_name.get(f"{prefix}_{kind}") for kind in ("momentum", "velocity")]
            if any(moment is None for moment in pair):
                raise ValueError(
                    f"The discriminator's Adam has no moments for {variable.path!r}: compile "
                    "the model before its generator step."
                )
            moments.append(pair)
        return optimizer, moments

    def unrolled_discriminator(self, batch):
        """`(trainable, non_trainable)` values of the discriminator after the simulated steps."""
        trainable = [tf.convert_to_tensor(v) for v in self.discriminator.trainable_variables]
        frozen = [tf.convert_to_tensor(v) for v in self.discriminator.non_trainable_variables]
        context = tf.distribute.get_replica_context()
        real_inputs = self.discriminator_inputs(batch.real, batch.real_labels)
        fake_inputs = self.discriminator_inputs(batch.fake, batch.fake_labels)
        if self.unroll_optimizer == "adam":
            optimizer, moments = self._discriminator_adam()
            moments = [[tf.convert_to_tensor(m) for m in pair] for pair in moments]
            step_count = tf.cast(tf.convert_to_tensor(optimizer.iterations), tf.float32)
            learning_rate = tf.cast(tf.convert_to_tensor(optimizer.learning_rate), tf.float32)
        for k in range(self.unroll_steps):
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
            if self.unroll_optimizer == "sgd":
                trainable = [w - self.unroll_learning_rate * g for w, g in zip(trainable, grads)]
            else:
                t = step_count + (k + 1)
                steps = [
                    _adam_step(g, m, v, t, learning_rate, optimizer)
                    for g, (m, v) in zip(grads, moments)
                ]
                moments = [(m, v) for _, m, v in steps]
                trainable = [w - tf.cast(d, w.dtype) for w, (d, _, _) in zip(trainable, steps)]
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


def _adam_step(gradient, momentum, velocity, t, learning_rate, optimizer):
    """`(step, momentum, velocity)` of `keras.optimizers.Adam.update_step` at step count `t`, as
    differentiable tensors."""
    gradient, t, learning_rate = (tf.cast(a, momentum.dtype) for a in (gradient, t, learning_rate))
    beta_1, beta_2 = optimizer.beta_1, optimizer.beta_2
    alpha = learning_rate * tf.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    momentum = momentum + (gradient - momentum) * (1 - beta_1)
    velocity = velocity + (tf.square(gradient) - velocity) * (1 - beta_2)
    return momentum * alpha / (tf.sqrt(velocity) + optimizer.epsilon), momentum, velocity
