"""Evaluation metrics: NumPy in, floats out."""

from keras_gan.metrics.modes import mode_coverage

__all__ = ["mode_coverage"]
