"""The projection discriminator's output layer."""

import keras
import tensorflow as tf

from keras_gan.layers.spectral_normalization import SpectralNormalization


@keras.saving.register_keras_serializable(package="keras_gan")
class ProjectionHead(keras.layers.Layer):
    """A class-conditional discriminator output: a linear score plus a label projection.

    Reference:
        Miyato & Koyama, "cGANs with Projection Discriminator", ICLR 2018,
        eq. (3); BigGAN-PyTorch `Discriminator.forward`.

    Formula:
        `D(x, y) = ψ(φ(x)) + ⟨embed(y), φ(x)⟩`, with `ψ` a linear map to one
        score and `embed` a table of one vector per class.

    Args:
        num_classes: number of classes `y` takes.
        spectral_norm: spectrally normalize `ψ` and the embedding (SNGAN's
            projection D and BigGAN do).

    Call arguments:
        inputs: `[features, labels]`: `φ(x)` of shape `[batch, dim]` and int
            labels `[batch]`.

    Returns:
        Scores `[batch, 1]`.

    Example:
        >>> head = ProjectionHead(10)
        >>> scores = head([features, labels])
    """

    def __init__(self, num_classes, spectral_norm=True, **kwargs):
        super().__init__(**kwargs)
        if int(num_classes) < 1:
            raise ValueError(
                f"num_classes must be a positive integer. Received: num_classes={num_classes}"
            )
        self.num_classes = int(num_classes)
        self.spectral_norm = bool(spectral_norm)

    def build(self, input_shape):
        features_shape = input_shape[0]
        if len(features_shape) != 2 or features_shape[-1] is None:
            raise ValueError(
                f"ProjectionHead takes features [batch, dim]. Received: {features_shape}"
            )
        dim = int(features_shape[-1])
        linear = keras.layers.Dense(1, name="linear")
        embed = keras.layers.Embedding(
            self.num_classes, dim, embeddings_initializer="glorot_uniform", name="embed"
        )
        if self.spectral_norm:
            linear, embed = (
                SpectralNormalization(linear, name="sn_linear"),
                SpectralNormalization(embed, name="sn_embed"),
            )
        self.linear, self.embed = linear, embed
        self.linear.build(features_shape)
        self.embed.build((None,))

    def call(self, inputs, training=False):
        features, labels = inputs
        projection = tf.reduce_sum(
            self.embed(tf.cast(labels, tf.int32), training=training) * features,
            axis=-1,
            keepdims=True,
        )
        return self.linear(features, training=training) + projection

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0], 1)

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "spectral_norm": self.spectral_norm,
        }
