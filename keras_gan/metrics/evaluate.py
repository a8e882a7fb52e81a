"""The evaluation protocol of `keras-gan evaluate` and `MetricsMonitor`.

2-D mixtures: PacGAN's mode metrics on 2,500 samples. Built-in translation
pairs: L1 errors against the known ground truth (`metrics.translation`). Labelled image data:
a domain classifier trained on the data's labels gives features and class
probabilities; generated samples and a held-out half of the real data are
each compared with the other half (the reference): FID, KID, IS,
precision/recall, density/coverage, and the classifier's confidence on
samples (plus their accuracy against the requested class for conditional
models). Any image data with a feature network (`features="inception-2015"`,
the papers' FID network, or `"keras-inception"`): the papers' protocol,
`network_metrics`. Translation models: G(A) against B and F(B) against A
with a feature network, beside the ground-truth errors of the built-in pairs.
"""

import numpy as np
from scipy import stats

from keras_gan import data
from keras_gan.metrics.classifier import sample_confidence
from keras_gan.metrics.features import DomainClassifier, default_features, load_features
from keras_gan.metrics.fid import fid_from_features, frechet_distance
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
from keras_gan.metrics.statistics import StreamingStatistics, load_statistics
from keras_gan.metrics.translation import pair_translation_errors

PAPERS_SAMPLES, SMALL_DATA_SAMPLES = 50_000, 10_000  # --n of the papers; where the data is smaller
PR_SAMPLES = 10_000  # precision/recall and density/coverage: rows of each set (prdc's protocol)
CHUNK = 1_000  # generated images held at once


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
    model,
    source,
    data_dir=None,
    n=None,
    seed=0,
    classifier=None,
    truncation=None,
    features=None,
    features_file=None,
    reference_stats=None,
    source_b=None,
    image_size=None,
    progress=None,
):
    """Metrics of `model`'s samples for data `source`, with the same metrics for real data.

    Args:
        truncation: draw the latents from N(0, I) truncated to |z_i| <= T
            (`LatentAdversarialModel.generate`); None: the prior itself.
        features: image data: `"inception-2015"`, `"keras-inception"`, `"classifier"`
            (`features.FEATURES`) or a feature network; None: `default_features`.
        features_file: the file of the feature network (see `features.load_features`).
        reference_stats: a TTUR statistics file (`.npz` with `mu`, `sigma`) to score
            against instead of the data's own features (network features only).
        source_b: domain B of a translation model trained on two sources.
        image_size: `(H, W)` to read `folder:` images at (the model's).
        progress: called as `progress(what, done, total)` while features are computed.

    Returns:
        dict: `{"generated": {...}, "real": {...}, "protocol": "...", "features": {...}}` (the
        `real` entry only where real images are scored too; `features` for image data).
    """
    caps = model.capabilities()
    if truncation is not None and not caps.truncation:
        why = caps.refusals.get(
            "truncation", f"truncation truncates latents; {model.name} has none."
        )
        raise ValueError(f"{why} Pass truncation=None.")
    if truncation is not None:
        model = _Truncated(model, truncation)
    if data.is_unpaired(source, source_b):
        return _translation_metrics(
            model, source, source_b, data_dir, features, features_file, image_size, progress
        )
    if features is not None and source in (*data.MIXTURES, "mixture1d", "stacked_mnist"):
        raise ValueError(
            f"{source!r} is scored by its own protocol; features apply to image data. Received "
            f"features={_name(features)!r}."
        )
    if reference_stats is not None and _name(features) == "classifier":
        raise ValueError(
            "Statistics files hold Inception features (TTUR's format); the classifier's are not "
            "comparable with them. Choose features 'inception-2015' or 'keras-inception'."
        )
    if reference_stats is not None and features is None:
        features = "inception-2015"
    protocol = _protocol_metrics(model, source, data_dir, n, seed, classifier)
    if protocol is not None:
        return protocol
    name = _name(features)
    if name is None and classifier is not None:
        name = "classifier"
    if name is None:
        labelled = classifier is not None or data.has_labels(source, data_dir)
        name = default_features(labelled, features_file)
    if name != "classifier":
        net = _network(features or name, features_file)
        reference = real_reference(
            net, source, data_dir, image_size, reference_stats, seed, progress
        )
        result = network_metrics(model, net, reference, n=n, seed=seed, progress=progress)
    else:
        if classifier is None and not isinstance(features, (str, type(None))):
            classifier = features  # a DomainClassifier given as the features
        result = _classifier_metrics(model, source, data_dir, n, seed, classifier, image_size)
    if source.startswith("mnist_anomaly:") and caps.anomaly_scores:
        result["anomaly"] = anomaly_detection(model, source, data_dir)
    return result


def _name(features):
    return features if isinstance(features, str) or features is None else features.name


def _translation_metrics(
    model, source, source_b, data_dir, features, features_file, image_size, progress
):
    result = {}
    if source_b is None and source in data.PAIRS:
        result = {
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
        if features is None:
            return result
    if features == "classifier":
        raise ValueError(
            "Translations are scored with a feature network; the domain classifier needs "
            "labels. Choose features 'inception-2015' or 'keras-inception'."
        )
    net = _network(features or "inception-2015", features_file)
    xa, xb = data.unpaired_arrays(
        source, source_b, data_dir=data_dir, split="test", image_size=image_size
    )
    scores = {}
    for key, x, direction, target in (("a_to_b", xa, "a2b", xb), ("b_to_a", xb, "b2a", xa)):
        if progress:
            progress(f"features of {direction}", 0, 2)
        fake, _ = net(model.translate(x, direction))
        real, _ = net(target)
        scores[f"fid_{key}"] = fid_from_features(real, fake)
    names = f"{source} and {source_b}" if source_b else source
    protocol = (
        f"{_describe(net)}: FID of G(A) against B and of F(B) against A on the test images of "
        f"{names} ({len(xa)} in A, {len(xb)} in B)"
    )
    result["protocol"] = f"{result['protocol']}; {protocol}" if result else protocol
    result.setdefault("generated", {}).update(scores)
    result["features"] = _features_record(net, len(xa) + len(xb), f"the test images of {names}")
    return result


def _network(features, features_file):
    if isinstance(features, str):
        return load_features(features, features_file)
    return features


def _describe(net):
    if net.comparable:  # the papers' network, if the file is theirs: its digest says which
        return f"{net.name} features (the papers' FID network; graph sha256 {net.sha256[:16]})"
    return f"{net.name} features (not comparable with papers)"


def _features_record(net, samples, reference):
    return {
        "name": net.name,
        "comparable_with_papers": bool(net.comparable),
        "file": getattr(net, "path", None),
        "sha256": getattr(net, "sha256", None),
        "samples": int(samples),
        "reference": reference,
    }


def _protocol_metrics(model, source, data_dir, n, seed, classifier):
    """The metrics of the sources scored by their own protocol (the 2-D mixtures, the 1-D
    mixture, Stacked MNIST); None for image data."""
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
    return None


def _classifier_metrics(model, source, data_dir, n, seed, classifier, image_size):
    caps = model.capabilities()
    x, y = data.load_arrays(source, data_dir=data_dir, image_size=image_size)
    if y is None and classifier is None:
        raise ValueError(
            f"The domain classifier's features need labels; {source!r} has none. Evaluate with "
            "features 'inception-2015' (the papers' FID network) or 'keras-inception'."
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
    return {
        "protocol": (
            f"domain classifier (val. accuracy {classifier.validation_accuracy:.4f}; confident on "
            f"{classifier.noise_confident_fraction:.1%} of uniform noise) features, not "
            f"comparable with papers; {n} samples vs a {half}-image real reference half; 'real' = "
            f"{n} held-out real images"
        ),
        "classifier": {
            "validation_accuracy": classifier.validation_accuracy,
            "noise_confident_fraction": classifier.noise_confident_fraction,
        },
        "features": _features_record(classifier, n, f"a {half}-image half of {source}"),
        "generated": _image_metrics(g_feats, g_probs, ref_feats, labels),
        "real": _image_metrics(r_feats, r_probs, ref_feats, y[held] if caps.conditional else None),
    }


class _Reservoir:
    """A uniform random sample of at most `size` rows of a stream (Vitter's Algorithm R)."""

    def __init__(self, size, seed):
        self.size, self.seen, self.rows = int(size), 0, None
        self._rng = np.random.default_rng(seed)

    def update(self, rows):
        rows = np.asarray(rows, np.float32)
        if self.rows is None:
            self.rows = np.empty((0, rows.shape[1]), np.float32)
        room = max(self.size - len(self.rows), 0)
        if room:
            self.rows = np.concatenate([self.rows, rows[:room]])
        rest = rows[room:]
        index = self.seen + room + np.arange(len(rest))
        slots = (self._rng.random(len(rest)) * (index + 1)).astype(np.int64)
        keep = slots < self.size
        self.rows[slots[keep]] = rest[keep]  # in order: a later row wins a slot, as in sequence
        self.seen += len(rows)


def _chunk_seed(seed, i):
    """The seed of the i-th chunk of generated images (chunk 0: `seed` itself)."""
    if i == 0:
        return int(seed)
    return int(np.random.SeedSequence([int(seed), i]).generate_state(1)[0] % 2**31)


def real_reference(
    net, source=None, data_dir=None, image_size=None, reference_stats=None, seed=0, progress=None
):
    """What generated images are scored against: the moments of `net`'s features of all the
    images of `source` (streamed) and a uniform sample of 50,000 of the features themselves, or
    the moments in a TTUR statistics file.

    Returns:
        dict: `mu`, `sigma`, `features` (None for a statistics file), `count` (None for a
        statistics file) and `description`.
    """
    if reference_stats is not None:
        mu, sigma, meta = load_statistics(reference_stats)
        if len(mu) != net.dimension:
            raise ValueError(
                f"{reference_stats} holds statistics of {len(mu)}-d features; {net.name} gives "
                f"{net.dimension}-d ones. Compute matching ones with `keras-gan stats SOURCE "
                f"--features {net.name}`."
            )
        if meta.get("features", net.name) != net.name:
            raise ValueError(
                f"{reference_stats} holds statistics of {meta['features']} features, not "
                f"{net.name}; pass --features {meta['features']}."
            )
        about = ", ".join(f"{k} {meta[k]}" for k in ("source", "count") if k in meta)
        description = f"the statistics in {reference_stats}" + (f" ({about})" if about else "")
        return dict(mu=mu, sigma=sigma, features=None, count=None, description=description)
    moments, sample = StreamingStatistics(), _Reservoir(PAPERS_SAMPLES, seed)
    for batch in data.image_batches(source, 500, data_dir, image_size=image_size):
        f, _ = net(batch)
        moments.update(f)
        sample.update(f)
        if progress:
            progress("real images", moments.count, None)
    mu, sigma = moments.result()
    return dict(
        mu=mu,
        sigma=sigma,
        features=sample.rows,
        count=moments.count,
        description=f"all {moments.count} images of {source}",
    )


def network_metrics(model, net, reference, n=None, seed=0, progress=None):
    """The papers' protocol on any image data: features of `n` generated images against the
    `reference` (`real_reference`).

    FID from the two sets' moments (streamed: memory does not grow with the data); IS from the
    generated images' class probabilities (10 splits); with real features (not statistics
    alone): KID over 100 subsets of 1,000 (stylegan2-ada), precision/recall (k=3) and
    density/coverage (k=5) on 10,000 random images of each (prdc). `n` defaults to 50,000,
    10,000 where the real set is smaller. Generated images are drawn in chunks of 1,000 (chunk
    i from seed `_chunk_seed(seed, i)`).

    Args:
        net: a feature network (`features.load_features`).
        progress: `progress(what, done, total)`, called as batches are done.
    """
    caps = model.capabilities()
    real_features, real_count = reference["features"], reference["count"]
    mu_r, sigma_r = reference["mu"], reference["sigma"]
    if n is None:
        small = real_count is not None and real_count < PAPERS_SAMPLES
        n = SMALL_DATA_SAMPLES if small else PAPERS_SAMPLES
    moments, features, probabilities = StreamingStatistics(), [], []
    for i, start in enumerate(range(0, n, CHUNK)):
        m = min(CHUNK, n - start)
        labels = np.arange(start, start + m) % caps.num_classes if caps.conditional else None
        f, p = net(model.generate(m, seed=_chunk_seed(seed, i), labels=labels))
        moments.update(f)
        features.append(f.astype(np.float32))
        probabilities.append(p.astype(np.float32))
        if progress:
            progress("generated images", start + m, n)
    features, probabilities = np.concatenate(features), np.concatenate(probabilities)
    generated = {
        "fid": frechet_distance(mu_r, sigma_r, *moments.result()),
        "inception_score": inception_score(probabilities, splits=10),
    }
    if real_features is not None:
        rows = min(PR_SAMPLES, n, len(real_features))
        rng = np.random.default_rng(seed)
        real = real_features[rng.choice(len(real_features), rows, replace=False)]
        fake = features[rng.choice(len(features), rows, replace=False)]
        generated["kid"] = kernel_inception_distance(
            real_features, features, num_subsets=100, max_subset_size=1000
        )
        generated.update(precision_recall(real, fake, k=3))
        generated.update(density_coverage(real, fake, k=5))
        extra = (
            f"; KID over 100 subsets of {min(1000, n, len(real_features))}; precision/recall and "
            f"density/coverage on {rows} random images of each"
        )
        skipped = []
    else:
        skipped = ["kid", "precision", "recall", "density", "coverage"]
        extra = f"; {', '.join(skipped)} skipped: they need features, a statistics file has none"
    stated = ""
    if real_count is not None and real_count < PAPERS_SAMPLES and n == SMALL_DATA_SAMPLES:
        stated = f" (10,000: the real set has fewer than {PAPERS_SAMPLES:,} images)"
    return {
        "protocol": (
            f"{_describe(net)}: {n} generated images{stated} against "
            f"{reference['description']}{extra}"
        ),
        "features": _features_record(net, n, reference["description"]),
        "skipped": skipped,
        "generated": generated,
    }


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
