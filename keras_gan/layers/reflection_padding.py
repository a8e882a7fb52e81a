"""Reflection padding of images, as PyTorch's `nn.ReflectionPad2d`."""

import keras


@keras.saving.register_keras_serializable(package="keras_gan")
class ReflectionPadding2D(keras.layers.Layer):
    """Pads the height and width of `[batch, H, W, C]` images by reflection.

    The border pixel is not repeated (`numpy.pad(mode="reflect")`): padding
    `[a, b, c]` by 2 gives `[c, b, a, b, c, b, a]`. CycleGAN's generators pad
    this way before each convolution to avoid the dark frame zero padding
    leaves.

    Reference:
        Zhu et al., "Unpaired Image-to-Image Translation using
        Cycle-Consistent Adversarial Networks", ICCV 2017 (the authors'
        `ResnetGenerator`, junyanz/pytorch-CycleGAN-and-pix2pix).

    Formula:
        `out[i] = x[|i - p|]` for `i < p`, mirrored likewise at the far edge.

    Args:
        padding: int, or `(pad_height, pad_width)`; each must be smaller
            than the padded dimension.

    Example:
        >>> ReflectionPadding2D(3)(keras.ops.zeros([1, 8, 8, 1])).shape
        (1, 14, 14, 1)
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        padding = (padding, padding) if isinstance(padding, int) else tuple(padding)
        if len(padding) != 2 or any(int(p) < 0 for p in padding):
            raise ValueError(
                f"padding must be a non-negative int or a pair of them. Received: padding={padding}"
            )
        self.padding = tuple(int(p) for p in padding)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                f"ReflectionPadding2D needs [batch, H, W, C] inputs. Received: {input_shape}"
            )
        for size, pad, axis in zip(input_shape[1:3], self.padding, ("height", "width")):
            if size is not None and pad >= size:
                raise ValueError(
                    f"Reflection padding {pad} needs a {axis} above {pad}. Received: {input_shape}"
                )

    def call(self, inputs):
        ph, pw = self.padding
        return keras.ops.pad(inputs, [[0, 0], [ph, ph], [pw, pw], [0, 0]], mode="reflect")

    def compute_output_shape(self, input_shape):
        b, h, w, c = input_shape
        ph, pw = self.padding
        return (b, None if h is None else h + 2 * ph, None if w is None else w + 2 * pw, c)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}
