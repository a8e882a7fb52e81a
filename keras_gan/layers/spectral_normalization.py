"""Spectral normalization with the paper's semantics (W / σ(W) in the forward pass)."""

import keras
import tensorflow as tf

# The convolutions with a `kernel` of shape [..., in, out] (what Keras's non-public BaseConv
# covers).
_CONVOLUTIONS = (keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv3D)


def _l2_normalize(x):
    return x / tf.sqrt(tf.reduce_sum(tf.square(x)) + 1e-12)


@keras.saving.register_keras_serializable(package="keras_gan")
class SpectralNormalization(keras.layers.Wrapper):
    """Divides a Dense, convolution or Embedding kernel by its largest singular value.

    Unlike `keras.layers.SpectralNormalization`, which overwrites the kernel
    variable with W/σ, this wrapper keeps W as the parameter and uses
    W_SN = W/σ(W) in the forward pass, so gradients flow through σ as in
    the paper. σ is estimated by power iteration on the kernel reshaped to
    `[-1, out_channels]` (the paper's reshape for convolutions); the vector
    `u` is a non-trainable weight, updated in training calls, identical on
    every replica (`aggregation="only_first_replica"`) and saved with the
    model.

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", ICLR 2018, Algorithm 1.

    Formula:
        `v = Wu / ‖Wu‖`, `u = Wᵀv / ‖Wᵀv‖` (repeated `power_iterations`
        times), `σ = vᵀ W u`, `W_SN = W / σ`; here `W` is `[-1, out]`
        and vectors are rows.

    Args:
        layer: a `keras.layers.Dense`, convolution (not transposed) or
            `keras.layers.Embedding` layer (BigGAN normalizes its projection
            embedding; its `[classes, dim]` table is the matrix).
        power_iterations: power-iteration steps per training call.

    Call arguments:
        inputs: the wrapped layer's inputs.
        training: update `u` when True.

    Example:
        >>> layer = SpectralNormalization(keras.layers.Conv2D(64, 3))
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if not isinstance(
            layer, (keras.layers.Dense, *_CONVOLUTIONS, keras.layers.Embedding)
        ) or isinstance(
            layer,
            (
                keras.layers.Conv2DTranspose,
                keras.layers.Conv1DTranspose,
                keras.layers.Conv3DTranspose,
            ),
        ):
            raise ValueError(
                "SpectralNormalization wraps Dense, Embedding or (non-transposed) convolution "
                f"layers. Received: {type(layer).__name__}"
            )
        if getattr(layer, "data_format", "channels_last") != "channels_last":
            raise ValueError("SpectralNormalization supports channels_last convolutions only.")
        if int(power_iterations) < 1:
            raise ValueError(
                f"power_iterations must be >= 1. Received: power_iterations={power_iterations}"
            )
        self.power_iterations = int(power_iterations)

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape)
        out = int(self._kernel().shape[-1])
        self.u = self.add_weight(
            shape=(1, out),
            initializer=keras.initializers.RandomNormal(),
            trainable=False,
            name="u",
            aggregation="only_first_replica",
        )
        self.built = True

    def _kernel(self):
        return (
            self.layer.embeddings
            if isinstance(self.layer, keras.layers.Embedding)
            else self.layer.kernel
        )

    def normalized_kernel(self, training=False):
        kernel = self._kernel()
        w = tf.reshape(kernel, [-1, kernel.shape[-1]])
        u = tf.convert_to_tensor(self.u)
        for _ in range(self.power_iterations):
            v = _l2_normalize(tf.matmul(u, w, transpose_b=True))
            u = _l2_normalize(tf.matmul(v, w))
        u, v = tf.stop_gradient(u), tf.stop_gradient(v)
        if training:
            self.u.assign(u)
        sigma = tf.squeeze(tf.matmul(tf.matmul(v, w), u, transpose_b=True))
        return kernel / sigma

    def call(self, inputs, training=False):
        layer = self.layer
        kernel = self.normalized_kernel(training)
        if isinstance(layer, keras.layers.Embedding):
            return tf.gather(kernel, tf.cast(inputs, tf.int32))
        if isinstance(layer, keras.layers.Dense):
            outputs = tf.matmul(inputs, kernel)
        else:
            outputs = layer.convolution_op(inputs, kernel)
        if layer.bias is not None:
            outputs = tf.nn.bias_add(outputs, layer.bias)
        if layer.activation is not None:
            outputs = layer.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
