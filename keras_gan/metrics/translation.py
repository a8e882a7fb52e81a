"""Translation error against a known ground truth: the built-in pairs of `keras_gan.data`.

For a pair whose domain B is `T(A)` with a known, invertible `T`
(`keras_gan.data.pair_transform`), the held-out images `x` give true pairs
`(x, T(x))`. A translator `G: A -> B` is scored by the mean absolute error
`E|G(x) - T(x)|` (pixels in [-1, 1]), `F: B -> A` by `E|F(T(x)) - x|`. Two
baselines frame the numbers: no translation (`E|x - T(x)|`, the identity),
and whatever a supervised model trained on true pairs reaches (the bound;
`benchmarks/experiments/cyclegan_pairs.py` trains it).

Reference:
    Zhu et al., "Unpaired Image-to-Image Translation using Cycle-Consistent
    Adversarial Networks", ICCV 2017, Sec. 5.1 (scoring translations against
    paired ground truth, there with FCN scores on Cityscapes).
"""

import numpy as np

from keras_gan import data


def mean_absolute_error(x, y):
    """`E|x - y|` over every element, as a float."""
    return float(np.mean(np.abs(np.asarray(x, np.float64) - np.asarray(y, np.float64))))


def pair_translation_errors(translate_ab, translate_ba, pair, data_dir=None):
    """L1 errors of two translators on a built-in pair's held-out images.

    Args:
        translate_ab: images of A -> images of B (NumPy in, NumPy out).
        translate_ba: images of B -> images of A.
        pair: a name of `keras_gan.data.PAIRS`.
        data_dir: the data folder of the MNIST pairs.

    Returns:
        dict: `l1_a_to_b` (`E|G(x) - T(x)|`), `l1_b_to_a` (`E|F(T(x)) - x|`),
        `identity_l1` (`E|x - T(x)|`, the no-translation baseline; the same in
        both directions), their ratios `*_vs_identity`, and `n`.
    """
    held_a, held_b = data.unpaired_arrays(pair, data_dir=data_dir, split="test")
    ab = mean_absolute_error(translate_ab(held_a), held_b)
    ba = mean_absolute_error(translate_ba(held_b), held_a)
    identity = mean_absolute_error(held_a, held_b)
    return {
        "l1_a_to_b": ab,
        "l1_b_to_a": ba,
        "identity_l1": identity,
        "a_to_b_vs_identity": ab / identity,
        "b_to_a_vs_identity": ba / identity,
        "n": int(len(held_a)),
    }
