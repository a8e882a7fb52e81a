import keras
import numpy as np
import pytest

from keras_gan.layers import ReflectionPadding2D


@pytest.mark.parametrize("padding", [1, 3, (2, 1)])
def test_equals_numpy_reflect(padding):
    x = np.random.default_rng(0).normal(size=(2, 5, 6, 3)).astype(np.float32)
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    expected = np.pad(x, [(0, 0), (ph, ph), (pw, pw), (0, 0)], mode="reflect")
    out = keras.ops.convert_to_numpy(ReflectionPadding2D(padding)(x))
    np.testing.assert_array_equal(out, expected)
    assert ReflectionPadding2D(padding).compute_output_shape((2, 5, 6, 3)) == expected.shape


def test_border_pixel_is_not_repeated():
    x = np.arange(3, dtype=np.float32).reshape(1, 1, 3, 1)
    out = keras.ops.convert_to_numpy(ReflectionPadding2D((0, 2))(x))
    np.testing.assert_array_equal(out[0, 0, :, 0], [2, 1, 0, 1, 2, 1, 0])


def test_config_round_trip_and_bad_padding():
    layer = ReflectionPadding2D((2, 1))
    assert ReflectionPadding2D.from_config(layer.get_config()).padding == (2, 1)
    with pytest.raises(ValueError, match="padding"):
        ReflectionPadding2D(-1)
    with pytest.raises(ValueError, match="height above 4"):
        ReflectionPadding2D(4)(np.zeros((1, 4, 8, 1), np.float32))
