"""StyleGAN's mapping network z → w."""

import keras
import tensorflow as tf

from keras_gan.layers.equalized_dense import EqualizedDense


@keras.saving.register_keras_serializable(package="keras_gan")
class MappingNetwork(keras.layers.Layer):
    """Pixel-normalized z through `depth` equalized dense layers with LeakyReLU(0.2).

    Reference:
        Karras et al., "A Style-Based Generator Architecture for GANs", CVPR
        2019, §2; NVlabs `networks_stylegan.py` (`G_mapping`: `normalize_latents`,
        8 layers, `mapping_lrmul=0.01`, gain √2, LeakyReLU 0.2).

    Formula:
        `z' = z / sqrt(mean(z²) + 1e-8)`, then `h ← lrelu(EqualizedDense(h))` `depth` times.

    Args:
        w_dim: size of w (and of every hidden layer).
        depth: number of dense layers (8 in the paper).
        lr_multiplier: of every layer (0.01).

    Example:
        >>> w = MappingNetwork(512)(z)
    """

    def __init__(self, w_dim, depth=8, lr_multiplier=0.01, **kwargs):
        super().__init__(**kwargs)
        if int(w_dim) < 1 or int(depth) < 1:
            raise ValueError(
                f"w_dim and depth must be positive. Received: w_dim={w_dim}, depth={depth}"
            )
        self.w_dim, self.depth, self.lr_multiplier = int(w_dim), int(depth), float(lr_multiplier)
        self.dense = [
            EqualizedDense(self.w_dim, lr_multiplier=self.lr_multiplier, name=f"dense{i}")
            for i in range(self.depth)
        ]

    def build(self, input_shape):
        shape = input_shape
        for layer in self.dense:
            layer.build(shape)
            shape = (*shape[:-1], self.w_dim)

    def call(self, z):
        h = z * tf.math.rsqrt(tf.reduce_mean(tf.square(z), axis=-1, keepdims=True) + 1e-8)
        for layer in self.dense:
            h = tf.nn.leaky_relu(layer(h), alpha=0.2)
        return h

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.w_dim)

    def get_config(self):
        return {
            **super().get_config(),
            "w_dim": self.w_dim,
            "depth": self.depth,
            "lr_multiplier": self.lr_multiplier,
        }
