"""Learning-rate schedules for GAN training (Keras `LearningRateSchedule`s)."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan")
class LinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """A constant learning rate that then falls linearly to zero.

    Gulrajani et al.'s WGAN-GP code decays Adam's rate linearly to 0 over the
    whole run (`decay_start=0`); CycleGAN keeps it constant for the first half
    and decays it over the second. Annealing the rate at the end settles the
    mode hopping of a generator trained at a constant rate.

    Reference:
        Gulrajani et al., Improved Training of Wasserstein GANs, NeurIPS 2017
        (igul222/improved_wgan_training, gan_cifar_resnet.py); Zhu et al.,
        Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial
        Networks, ICCV 2017.

    Formula:
        lr(t) = initial_learning_rate * clip(1 - (t - decay_start) / decay_steps, 0, 1)

    Args:
        initial_learning_rate: the rate before `decay_start`.
        decay_start: the optimizer iteration at which the decay starts.
        decay_steps: iterations from `decay_start` until the rate reaches 0.

    Call arguments:
        step: the optimizer's iteration count.

    Example:
    >>> schedule = LinearDecay(1e-3, decay_start=1000, decay_steps=1000)
    >>> float(schedule(1500))
    0.0005
    """

    def __init__(self, initial_learning_rate, decay_start, decay_steps):
        if not initial_learning_rate > 0:
            raise ValueError(
                f"initial_learning_rate must be positive. Received: {initial_learning_rate}"
            )
        if int(decay_start) < 0:
            raise ValueError(f"decay_start must be >= 0. Received: {decay_start}")
        if int(decay_steps) < 1:
            raise ValueError(f"decay_steps must be >= 1. Received: {decay_steps}")
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_start = int(decay_start)
        self.decay_steps = int(decay_steps)

    def __call__(self, step):
        step = ops.cast(step, "float32")
        fraction = ops.clip(1.0 - (step - self.decay_start) / self.decay_steps, 0.0, 1.0)
        return self.initial_learning_rate * fraction

    def scaled(self, factor):
        """The same schedule with every rate multiplied by `factor`."""
        return LinearDecay(self.initial_learning_rate * factor, self.decay_start, self.decay_steps)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_start": self.decay_start,
            "decay_steps": self.decay_steps,
        }
