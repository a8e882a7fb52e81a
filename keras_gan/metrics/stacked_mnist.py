"""Mode counting on Stacked MNIST (1,000 modes: one digit per RGB channel).

Reference:
    Metz et al., "Unrolled GANs", ICLR 2017; Srivastava et al., "VEEGAN",
    NeurIPS 2017; Lin et al., "PacGAN", NeurIPS 2018 (26,000 samples; modes
    = distinct digit triples; KL of the triple histogram to uniform over 1,000).
"""

import numpy as np


def stacked_mnist_modes(samples, digit_classifier):
    """Modes and reverse KL of `[n, H, W, 3]` samples, each channel classified as a digit.

    Args:
        samples: generated images in [-1, 1] with 3 channels.
        digit_classifier: a callable `images [m, H, W, 1] -> (features, probabilities [m, 10])`,
            e.g. a `DomainClassifier` trained on MNIST.

    Returns:
        dict with `modes` (of 1,000) and `reverse_kl` (nats, KL(q ‖ uniform)).
    """
    samples = np.asarray(samples, np.float32)
    if samples.ndim != 4 or samples.shape[-1] != 3:
        raise ValueError(f"Stacked MNIST samples are [n, H, W, 3]. Received {samples.shape}")
    digits = [np.argmax(digit_classifier(samples[..., c : c + 1])[1], axis=1) for c in range(3)]
    modes = 100 * digits[0] + 10 * digits[1] + digits[2]
    q = np.bincount(modes, minlength=1000) / len(modes)
    nonzero = q > 0
    return {
        "modes": int(nonzero.sum()),
        "reverse_kl": float(np.sum(q[nonzero] * np.log(q[nonzero] * 1000))),
    }
