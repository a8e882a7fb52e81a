"""Minibatch discrimination (Salimans et al. 2016), over the global batch."""

import keras
import tensorflow as tf

from keras_gan.replicas import all_gather


@keras.saving.register_keras_serializable(package="keras_gan")
class MinibatchDiscrimination(keras.layers.Layer):
    """Appends, per example, how close it lies to the other examples of its batch.

    Each example's features `f(x_i)` are multiplied by a learned tensor T of
    shape `A × B × C` into `M_i` (B rows of C values); the layer appends
    `o(x_i)_b = Σ_j exp(-‖M_i,b - M_j,b‖₁)` for b = 1..B to the features. A
    generator that collapses gives a batch whose examples are all close,
    which the discriminator can see. The sum runs over the *global* batch
    (M is gathered across replicas), so N replicas compute what one device
    computes; j = i is included, as in the authors' code.

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS
        2016, §3.2; openai/improved-gan `mnist_svhn_cifar10/nn.py`
        (`MinibatchLayer`).

    Formula:
        `M_i = f(x_i) T` (`[B, C]`), `o(x_i)_b = Σ_j exp(-Σ_c |M_i,b,c - M_j,b,c|)`,
        output `[f(x_i), o(x_i)]`.

    Args:
        num_kernels: B.
        kernel_dim: C.

    Call arguments:
        inputs: features `[batch, A]`.

    Example:
        >>> h = MinibatchDiscrimination(num_kernels=100, kernel_dim=5)(features)
    """

    def __init__(self, num_kernels=100, kernel_dim=5, **kwargs):
        super().__init__(**kwargs)
        if int(num_kernels) < 1 or int(kernel_dim) < 1:
            raise ValueError(
                "num_kernels and kernel_dim must be positive. Received: "
                f"num_kernels={num_kernels}, kernel_dim={kernel_dim}"
            )
        self.num_kernels, self.kernel_dim = int(num_kernels), int(kernel_dim)

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(
                f"MinibatchDiscrimination takes features [batch, A]. Received: {input_shape}"
            )
        self.kernel = self.add_weight(
            shape=(int(input_shape[-1]), self.num_kernels * self.kernel_dim),
            initializer=keras.initializers.RandomNormal(stddev=0.05),
            name="kernel",
        )

    def call(self, inputs):
        m = tf.reshape(
            tf.matmul(inputs, tf.cast(self.kernel, inputs.dtype)),
            [-1, self.num_kernels, self.kernel_dim],
        )
        everyone = all_gather(m)
        # [local, global, B]
        distances = tf.reduce_sum(tf.abs(m[:, None] - everyone[None]), axis=-1)
        closeness = tf.reduce_sum(tf.exp(-distances), axis=1)
        return tf.concat([inputs, closeness], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[1] + self.num_kernels)

    def get_config(self):
        return {
            **super().get_config(),
            "num_kernels": self.num_kernels,
            "kernel_dim": self.kernel_dim,
        }
