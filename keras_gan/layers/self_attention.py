"""The self-attention (non-local) block of SAGAN, as the authors' code computes it."""

import keras
import tensorflow as tf

from keras_gan.layers.spectral_normalization import SpectralNormalization
from keras_gan.precision import widen


@keras.saving.register_keras_serializable(package="keras_gan")
class SelfAttention2D(keras.layers.Layer):
    """Self-attention over the positions of a feature map, added back with a learned gain.

    Follows the authors' released code (BigGAN-PyTorch `layers.Attention`,
    SAGAN's `non_local.py`), which differs from the paper's text: θ and φ
    project to C/8 channels, g to C/2, φ and g are max-pooled 2×2 (fewer
    keys), and a last 1×1 convolution maps C/2 back to C. The convolutions
    have no bias. γ starts at 0, so a new block is the identity.

    Reference:
        Zhang et al., "Self-Attention Generative Adversarial Networks", ICML
        2019; Wang et al., "Non-local Neural Networks", CVPR 2018.

    Formula:
        `β = softmax_j(θ(x)_i · φ(x)_j)` over key positions j,
        `o_i = W_o Σ_j β_ij g(x)_j`, output `x + γ·o`.

    Args:
        spectral_norm: wrap every convolution in
            `keras_gan.layers.SpectralNormalization` (SAGAN and BigGAN do, in G and D).
        pooling: max-pool φ and g 2×2 (the authors' default); needs even
            height and width.

    Example:
        >>> layer = SelfAttention2D()
        >>> y = layer(keras.random.normal((2, 16, 16, 64)))  # y == x while γ = 0
    """

    def __init__(self, spectral_norm=True, pooling=True, **kwargs):
        super().__init__(**kwargs)
        self.spectral_norm = bool(spectral_norm)
        self.pooling = bool(pooling)

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise ValueError(
                "SelfAttention2D takes [batch, height, width, channels] with known channels. "
                f"Received: input_shape={input_shape}"
            )
        channels = int(input_shape[-1])
        if channels < 8 or channels % 8:
            raise ValueError(
                "SelfAttention2D needs channels divisible by 8 (θ and φ have C/8). Received: "
                f"{channels} channels"
            )
        if self.pooling and any(d is not None and d % 2 for d in input_shape[1:3]):
            raise ValueError(
                "SelfAttention2D(pooling=True) needs even height and width. Received: "
                f"input_shape={input_shape}; pass pooling=False."
            )

        def conv(filters, name):
            layer = keras.layers.Conv2D(filters, 1, use_bias=False, name=name)
            return SpectralNormalization(layer, name=f"sn_{name}") if self.spectral_norm else layer

        self.theta = conv(channels // 8, "theta")
        self.phi = conv(channels // 8, "phi")
        self.g = conv(channels // 2, "g")
        self.o = conv(channels, "o")
        pooled_shape = list(input_shape)
        for layer in (self.theta, self.phi, self.g):
            layer.build(input_shape)
        pooled_shape[-1] = channels // 2
        self.o.build(pooled_shape)
        self.gamma = self.add_weight(shape=(), initializer="zeros", name="gamma")

    def attention_map(self, x, training=False):
        """β: `[batch, positions, key_positions]`, each row a softmax."""
        theta = self.theta(x, training=training)
        phi = self.phi(x, training=training)
        if self.pooling:
            phi = tf.nn.max_pool2d(phi, 2, 2, "VALID")
        batch = tf.shape(x)[0]
        theta = tf.reshape(theta, [batch, -1, theta.shape[-1]])
        phi = tf.reshape(phi, [batch, -1, phi.shape[-1]])
        logits = tf.matmul(theta, phi, transpose_b=True)
        return tf.cast(tf.nn.softmax(widen(logits), axis=-1), x.dtype)

    def call(self, inputs, training=False):
        x = inputs
        beta = self.attention_map(x, training)
        g = self.g(x, training=training)
        if self.pooling:
            g = tf.nn.max_pool2d(g, 2, 2, "VALID")
        batch = tf.shape(x)[0]
        g = tf.reshape(g, [batch, -1, g.shape[-1]])
        attended = tf.reshape(
            tf.matmul(beta, g), [batch, tf.shape(x)[1], tf.shape(x)[2], g.shape[-1]]
        )
        return x + tf.cast(self.gamma, x.dtype) * self.o(attended, training=training)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "spectral_norm": self.spectral_norm,
            "pooling": self.pooling,
        }
