"""A perceptual feature network for projection: VGG16's five LPIPS layers.

`vgg16_features(weights)` returns a function from images in [-1, 1] to one vector per image
whose mean squared difference between two images is LPIPS's distance with uniform layer weights:
at each of VGG16's `conv1_2`, `conv2_2`, `conv3_3`, `conv4_3`, `conv5_3` (after ReLU) every
position's channel vector is scaled to unit length, and the squared differences are summed over
channels, averaged over positions and summed over the layers. (LPIPS proper also learns one
weight per channel; those weights are a separate download and are not used here.) stylegan2-ada's
projector minimizes LPIPS-VGG16; this is the option for users who can download Keras's ImageNet
VGG16 weights.

Reference:
    Zhang et al., "The Unreasonable Effectiveness of Deep Features as a Perceptual Metric",
    CVPR 2018 (LPIPS; its `normalize_tensor`, spatial average and layer sum);
    Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
    Recognition", ICLR 2015 (VGG16).

Formula:
    `d(x, y) = Σ_l mean_{h,w} ‖f̂_l(x)_{hw} − f̂_l(y)_{hw}‖²`, `f̂ = f / (‖f‖_channels + 1e-10)`.
"""

import keras
import tensorflow as tf

LAYERS = ("block1_conv2", "block2_conv2", "block3_conv3", "block4_conv3", "block5_conv3")
# Images smaller than this are enlarged (bilinear) first, so that conv5_3 still has 4x4 positions.
MIN_SIDE = 64


def vgg16_features(weights="imagenet"):
    """A function `images [n, H, W, C] in [-1, 1] -> [n, D]` (see the module docstring).

    Args:
        weights: `"imagenet"` (Keras downloads them once when online), a path to a VGG16
            weights file without the top, or None (random weights, for tests).

    Example:
        >>> result = keras_gan.projection.project(model, images, features="vgg16")
    """
    try:
        base = keras.applications.VGG16(include_top=False, weights=weights)
    except Exception as e:  # no network, a damaged cache
        raise ValueError(
            f"VGG16's weights ({weights!r}) could not be loaded: {e}. The vgg16 feature loss needs "
            "Keras's ImageNet VGG16 weights once (online), or a local weights file."
        ) from e
    network = keras.Model(base.input, [base.get_layer(name).output for name in LAYERS])
    network.trainable = False

    def features(images):
        x = tf.cast(images, tf.float32)
        if x.shape[-1] == 1:
            x = tf.tile(x, [1, 1, 1, 3])
        side = min(int(x.shape[1]), int(x.shape[2]))
        if side < MIN_SIDE:
            scale = MIN_SIDE / side
            size = (round(int(x.shape[1]) * scale), round(int(x.shape[2]) * scale))
            x = tf.image.resize(x, size, method="bilinear")
        x = keras.applications.vgg16.preprocess_input((x + 1.0) * 127.5)
        parts = []
        for f in network(x, training=False):
            norm = tf.sqrt(tf.reduce_sum(tf.square(f), axis=-1, keepdims=True))
            unit = f / (norm + 1e-10)
            positions = int(f.shape[1]) * int(f.shape[2])
            parts.append(tf.reshape(unit, [tf.shape(f)[0], -1]) / positions**0.5)
        vector = tf.concat(parts, axis=-1)
        # The projection loss averages over the vector: scaled so that the mean is the sum.
        return vector * float(vector.shape[-1]) ** 0.5

    return features
