"""The evaluation protocol of `keras-gan evaluate` and `MetricsMonitor`.

2-D mixtures: PacGAN's mode metrics on 2,500 samples. Built-in translation
pairs: L1 errors against the known ground truth (`metrics.translation`). Labelled image data:
a domain classifier trained on the data's labels gives features and class
probabilities; generated samples and a held-out half of the real data are
each compared with the other half (the reference): FID, KID, IS,
precision/recall, density/coverage, and the classifier's confidence on
samples (plus their accuracy against the requested class for conditional
models). With `inception=...`, InceptionV3 FID/IS are added.
"""

import numpy as np
from scipy import stats

from keras_gan import data
from keras_gan.metrics.classifier import sample_confidence
from keras_gan.metrics.features import DomainClassifier, InceptionFeatures
from keras_gan.metrics.fid import fid_from_features
from keras_gan.metrics.inception_score import inception_score
from keras_gan.metrics.kid import kernel_inception_distance
from keras_gan.metrics.likelihood import (
    PARZEN_CAVEAT,
    parzen_log_likelihood,
    select_parzen_bandwidth,
)
from keras_gan.metrics.modes import mode_coverage
from keras_gan.metrics.precision_recall import density_coverage, precision_recall
from keras_gan.metrics.ranking import auc_pr, pr_curve, roc_auc, roc_curve
from keras_gan.metrics.stacked_mnist import stacked_mnist_modes
from keras_gan.metrics.translation import pair_translation_errors


class _Truncated:
    """`model` whose `generate` draws truncated latents; every other attribute is the model's."""

    def __init__(self, model, truncation):
        self._model, self._truncation = model, truncation

    def __getattr__(self, name):
        return getattr(self._model, name)

    def generate(self, n, seed=None, labels=None):
        return self._model.generate(n, seed=seed, labels=labels, truncation=self._truncation)


def _image_metrics(feats, probs, ref_feats, labels=None):
    out = {
        "fid": fid_from_features(ref_feats, feats),
        "kid": kernel_inception_distance(ref_feats, feats, num_subsets=50, max_subset_size=500),
        "inception_score": inception_score(probs, splits=10),
        **precision_recall(ref_feats, feats, k=3),
        **density_coverage(ref_feats, feats, k=5),
    }
    conf = sample_confidence(probs)
    out["confident_fraction"] = conf["confident_fraction"]
    out["classes_present"] = conf["classes_present"]
    if labels is not None:
        out["accuracy"] = float(np.mean(np.argmax(probs, axis=1) == labels))
    return out


def evaluate_model(
    model, source, data_dir=None, n=None, seed=0, classifier=None, inception=None, truncation=None
):
    """Metrics of `model`'s samples for data `source`, with the same metrics for real data.

    `truncation`: draw the latents from N(0, I) truncated to |z_i| <= T
    (`LatentAdversarialModel.generate`); None: the prior itself.

    Returns:
        dict: `{"generated": {...}, "real": {...}, "protocol": "..."}` (the
        `real` entry is missing for 2-D mixtures, whose truth is known).
    """
    caps = model.capabilities()
    if truncation is not None and not caps.truncation:
        why = caps.refusals.get(
            "truncation", f"truncation truncates latents; {model.name} has none."
        )
        raise ValueError(f"{why} Pass truncation=None.")
    if truncation is not None:
        model = _Truncated(model, truncation)
    if data.is_unpaired(source):
        if source not in data.PAIRS:
            raise ValueError(
                f"{source!r} has no ground truth to score translations against; evaluate a "
                f"translation model on one of {', '.join(data.PAIRS)}."
            )
        return {
            "protocol": (
                f"held-out images x of {source} and their ground truth T(x) "
                f"({data.PAIRS[source].description}): mean |G(x) - T(x)| and |F(T(x)) - x| in [-1, "
                "1] units, beside |x - T(x)| (identity)"
            ),
            "generated": pair_translation_errors(
                lambda x: model.translate(x, "a2b"),
                lambda x: model.translate(x, "b2a"),
                source,
                data_dir,
            ),
        }
    if source in data.MIXTURES:
        mix = data.mixture(source)
        n = n or 2500
        samples = model.generate(n, seed=seed)
        generated = mode_coverage(samples, mix.centers, mix.std)
        # Parzen window on generated samples; bandwidth chosen on a validation draw of the true
        # mixture.
        validation, test = mix.sample(500, seed=seed + 1)[0], mix.sample(1000, seed=seed + 2)[0]
        bandwidth, _ = select_parzen_bandwidth(samples, validation, np.logspace(-3, 0, 13))
        generated["parzen_nll"] = -parzen_log_likelihood(samples, test, bandwidth)
        generated["parzen_bandwidth"] = bandwidth
        return {
            "protocol": (
                f"PacGAN modes: {n} samples, high quality within 3 std of a mode; Parzen NLL "
                f"(nats) of 1,000 true test points. {PARZEN_CAVEAT}"
            ),
            "generated": generated,
        }
    if source == "mixture1d":
        n = n or 10000
        samples = model.generate(n, seed=seed).reshape(-1)
        truth = data.MIXTURE1D.sample(100000, seed=seed + 1)[0].reshape(-1)
        weights, means, stds = (
            np.asarray(a)
            for a in (data.MIXTURE1D.weights, data.MIXTURE1D.means, data.MIXTURE1D.stds)
        )
        cdf = lambda x: np.sum(
            weights * stats.norm.cdf((np.asarray(x)[..., None] - means) / stds), axis=-1
        )  # noqa: E731
        return {
            "protocol": f"1-D mixture: {n} samples against the exact mixture (KS) and 100,000 true "
            "draws (W1)",
            "generated": {
                "mean": float(samples.mean()),
                "std": float(samples.std()),
                "ks_statistic": float(stats.kstest(samples, cdf).statistic),
                "wasserstein_1": float(stats.wasserstein_distance(samples, truth)),
            },
        }
    if source == "stacked_mnist":
        x, y = data.load_arrays("mnist", data_dir=data_dir)
        classifier = classifier or DomainClassifier(x, y, key="mnist")
        n = n or 26000
        return {
            "protocol": f"Stacked MNIST: {n} samples, each channel labelled by an MNIST classifier",
            "generated": stacked_mnist_modes(model.generate(n, seed=seed), classifier),
        }
    x, y = data.load_arrays(source, data_dir=data_dir)
    if y is None:
        raise ValueError(
            f"Evaluating {source!r} needs labels for the domain classifier; this source has none."
        )
    classifier = classifier or DomainClassifier(x, y, key=source)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x))
    half = len(x) // 2
    n = min(n or 2000, len(x) - half)
    ref, held = order[:half], order[half : half + n]
    ref_feats, _ = classifier(x[ref])
    labels = np.arange(n) % caps.num_classes if caps.conditional else None
    samples = model.generate(n, seed=seed, labels=labels)
    g_feats, g_probs = classifier(samples)
    r_feats, r_probs = classifier(x[held])
    result = {
        "protocol": (
            f"domain classifier (val. accuracy {classifier.validation_accuracy:.4f}; confident on "
            f"{classifier.noise_confident_fraction:.1%} of uniform noise) features; {n} samples vs "
            f"a {half}-image real reference half; 'real' = {n} held-out real images"
        ),
        "classifier": {
            "validation_accuracy": classifier.validation_accuracy,
            "noise_confident_fraction": classifier.noise_confident_fraction,
        },
        "generated": _image_metrics(g_feats, g_probs, ref_feats, labels),
        "real": _image_metrics(r_feats, r_probs, ref_feats, y[held] if caps.conditional else None),
    }
    if source.startswith("mnist_anomaly:") and caps.anomaly_scores:
        result["anomaly"] = anomaly_detection(model, source, data_dir)
    if inception is not None:
        net = (
            inception if isinstance(inception, InceptionFeatures) else InceptionFeatures(inception)
        )
        ref_i, _ = net(x[ref[:n]])
        for key, images in (("generated", samples), ("real", x[held])):
            feats, probs = net(images)
            result[key]["inception_fid"] = fid_from_features(ref_i, feats)
            result[key]["inception_is"] = inception_score(probs, splits=10)
    return result


def anomaly_detection(model, source, data_dir=None):
    """AUPRC and ROC AUC of `model.anomaly_scores` on the test split of an `mnist_anomaly:D` source.

    Protocol (Zenati et al. 2018; Kumar et al. 2019, §5.3): the held-out digit
    is the positive class; the test split is the normal images not trained on
    plus every image of the held-out digit (`data.anomaly_split`).

    Returns:
        dict with `auprc` (Davis-Goadrich), `roc_auc`, `auprc_chance` (the
        share of anomalies), `test_examples`, and `curves`: `{"pr": (recall,
        precision), "roc": (fpr, tpr)}` arrays for plotting.
    """
    x, y = data.load_arrays(source, data_dir=data_dir, split="test")
    held_out = int(source.split(":", 1)[1])
    scores = np.concatenate(
        [np.asarray(model.anomaly_scores(x[i : i + 500])) for i in range(0, len(x), 500)]
    )
    labels = (y == held_out).astype(int)
    return {
        "auprc": auc_pr(labels, scores),
        "roc_auc": roc_auc(labels, scores),
        "auprc_chance": float(labels.mean()),
        "test_examples": int(len(x)),
        "curves": {"pr": pr_curve(labels, scores), "roc": roc_curve(labels, scores)},
    }
