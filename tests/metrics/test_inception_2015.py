"""The papers' FID network (run on a miniature of its graph), streamed statistics, TTUR's files,
and evaluation of any data: offline, nothing is downloaded."""

import io
import json
import tarfile

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import cli, data
from keras_gan.metrics import evaluate, fid, inception_2015, statistics
from keras_gan.metrics.features import default_features
from tests import miniature_inception


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("inception") / inception_2015.FILE
    return str(path), miniature_inception.write(str(path), dimension=16)


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """An empty cache and a network that refuses every download."""
    import urllib.error

    calls = []

    def refuse(url, destination):
        calls.append(url)
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setenv("KERAS_GAN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(inception_2015, "_download", refuse)
    return calls


def _folder(path, n, shape, seed=0):
    path.mkdir()
    rng = np.random.default_rng(seed)
    for i in range(n):
        image = rng.integers(0, 256, shape, dtype=np.uint8)
        tf.io.write_file(str(path / f"{i:03d}.png"), tf.io.encode_png(image))
    return path


def test_features_are_the_graphs_on_quantized_images_whatever_the_batch(graph):
    path, weights = graph
    net = inception_2015.Inception2015(path, batch_size=3)
    assert (net.dimension, net.name, net.comparable) == (16, "inception-2015", True)
    x = np.random.default_rng(0).uniform(-1, 1, (7, 20, 24, 3)).astype(np.float32)
    feats, probs = net(x)
    quantized = np.clip(np.round((x + 1) * 127.5), 0, 255)
    want_feats, want_probs = miniature_inception.reference(quantized, weights)
    np.testing.assert_allclose(feats, want_feats, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(probs, want_probs, rtol=1e-4, atol=1e-7)
    # Not quantized, the features would differ by more than the tolerance above.
    unquantized, _ = miniature_inception.reference((x + 1) * 127.5, weights)
    assert np.abs(unquantized - feats).max() > 1e-4
    # A batch of 7 (runs of 3, 3, 1) gives the features of its images one at a time: the graph's
    # batch-1 reshape (`pool_3/_reshape`) is not on the path.
    one_by_one = np.concatenate([net(x[i : i + 1])[0] for i in range(len(x))])
    np.testing.assert_allclose(one_by_one, feats, rtol=1e-6, atol=1e-7)
    # Grey images are tiled to RGB.
    grey = x[..., :1]
    np.testing.assert_allclose(net(grey)[0], net(np.repeat(grey, 3, axis=-1))[0], atol=1e-7)


def test_bad_graph_files_are_named(graph, tmp_path, offline):
    with pytest.raises(ValueError, match=r"missing\.pb does not exist.*curl -L .*tar xz"):
        inception_2015.Inception2015(str(tmp_path / "missing.pb"))
    junk = tmp_path / "junk.pb"
    junk.write_bytes(b"\xff\x00not a graph" * 10)
    with pytest.raises(ValueError, match="junk.pb is not a TensorFlow GraphDef"):
        inception_2015.Inception2015(str(junk))
    other = tmp_path / "other.pb"
    other.write_bytes(tf.compat.v1.GraphDef().SerializeToString())
    with pytest.raises(ValueError, match=r"without the nodes \['ExpandDims', 'pool_3'"):
        inception_2015.Inception2015(str(other))
    assert offline == []  # a path given is never downloaded


def test_offline_without_the_file_is_one_error_naming_it(offline, tmp_path):
    with pytest.raises(ValueError) as e:
        inception_2015.Inception2015()
    message = str(e.value)
    assert "classify_image_graph_def.pb" in message and inception_2015.URL in message
    assert str(tmp_path / "cache" / "inception-2015-12-05") in message
    assert "Temporary failure in name resolution" in message and "--features-file" in message
    assert e.value.__cause__ is None
    assert offline == [inception_2015.URL]


def test_an_online_user_downloads_the_archive_once(graph, monkeypatch, tmp_path):
    path, _ = graph
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        for name in ("LICENSE", inception_2015.FILE, "imagenet_synset_to_human_label_map.txt"):
            source = path if name == inception_2015.FILE else __file__
            tar.add(source, arcname=name)
    calls = []

    def download(url, destination):
        calls.append(url)
        with open(destination, "wb") as f:
            f.write(archive.getvalue())

    monkeypatch.setenv("KERAS_GAN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(inception_2015, "_download", download)
    assert default_features(labelled=True) == "classifier"  # nothing cached yet
    first = inception_2015.Inception2015()
    second = inception_2015.Inception2015()
    assert calls == [inception_2015.URL]
    assert first.path == second.path == inception_2015.default_path()
    assert first.sha256 == second.sha256 == inception_2015.Inception2015(path).sha256
    assert sorted(p.name for p in (tmp_path / "cache" / "inception-2015-12-05").iterdir()) == [
        inception_2015.FILE
    ]
    # With the graph present, labelled data is scored with it too.
    assert default_features(labelled=True) == "inception-2015"
    assert default_features(labelled=False) == "inception-2015"


def test_streamed_statistics_equal_numpy_in_memory():
    rng = np.random.default_rng(0)
    x = rng.normal(1000.0, 0.01, (257, 5))  # far from 0: the naive sum of squares fails here
    moments = statistics.StreamingStatistics()
    for start in range(0, len(x), 50):
        moments.update(x[start : start + 50])
    mu, sigma = moments.result()
    np.testing.assert_allclose(mu, x.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(sigma, np.cov(x, rowvar=False), rtol=1e-7, atol=1e-14)
    with pytest.raises(ValueError, match=r"5 columns as before. Received shape \(2, 3\)"):
        moments.update(np.zeros((2, 3)))
    one_row = statistics.StreamingStatistics()
    one_row.update(x[:1])
    with pytest.raises(ValueError, match="at least 2 feature rows. Received: 1"):
        one_row.result()


def test_ttur_files_round_trip_and_give_the_fid_of_the_features(tmp_path):
    rng = np.random.default_rng(1)
    real, fake = rng.normal(0, 1, (300, 6)), rng.normal(0.3, 1.2, (200, 6))
    path = str(tmp_path / "stats" / "real.npz")
    statistics.save_statistics(path, *fid.feature_statistics(real), source="x", count=300)
    with np.load(path) as f:  # TTUR reads f["mu"], f["sigma"]
        assert {"mu", "sigma"} <= set(f.files)
    mu, sigma, meta = statistics.load_statistics(path)
    assert meta == {"source": "x", "count": 300}
    assert fid.frechet_distance(mu, sigma, *fid.feature_statistics(fake)) == pytest.approx(
        fid.fid_from_features(real, fake), rel=1e-12
    )
    np.savez(tmp_path / "ttur.npz", mu=mu, sigma=sigma)  # a published file: no metadata
    assert statistics.load_statistics(str(tmp_path / "ttur.npz"))[2] == {}
    np.savez(tmp_path / "bad.npz", m=mu)
    with pytest.raises(ValueError, match=r"lacks mu, sigma: TTUR's format.*\['m'\]"):
        statistics.load_statistics(str(tmp_path / "bad.npz"))
    np.savez(tmp_path / "shape.npz", mu=mu, sigma=sigma[:3])
    with pytest.raises(ValueError, match=r"'sigma' \[d, d\]. Received \(6,\) and \(3, 6\)"):
        statistics.load_statistics(str(tmp_path / "shape.npz"))
    (tmp_path / "text.npz").write_text("mu sigma")
    with pytest.raises(ValueError, match="text.npz: it is not an .npz file"):
        statistics.load_statistics(str(tmp_path / "text.npz"))


def test_the_reservoir_keeps_a_uniform_sample():
    counts = np.zeros(20)
    for seed in range(400):
        reservoir = evaluate._Reservoir(5, seed)
        for start in range(0, 20, 3):
            reservoir.update(np.arange(start, min(start + 3, 20), dtype=np.float32)[:, None])
        kept = reservoir.rows[:, 0].astype(int)
        assert len(set(kept)) == 5
        counts[kept] += 1
    # Each of the 20 rows is kept with probability 1/4: 100 of 400 (binomial sd 8.7).
    assert np.all(np.abs(counts - 100) < 35), counts


def test_folders_stream_in_batches_as_they_load(tmp_path):
    folder = _folder(tmp_path / "images", 7, (6, 5, 3))
    batches = list(data.image_batches(f"folder:{folder}", batch_size=3))
    assert [len(b) for b in batches] == [3, 3, 1]
    np.testing.assert_array_equal(np.concatenate(batches), data.load_arrays(f"folder:{folder}")[0])
    digits = np.concatenate(list(data.image_batches("digits", batch_size=1000)))
    np.testing.assert_array_equal(digits, data.load_arrays("digits")[0])
    assert not data.has_labels(f"folder:{folder}") and data.has_labels("digits")


def test_evaluate_and_stats_on_a_folder_run(graph, tmp_path, offline, capsys):
    path, _ = graph
    folder = _folder(tmp_path / "images", 24, (8, 8, 1))
    run_dir = tmp_path / "run"
    train = ["train", "dcgan-digits", "--steps", "2", "--batch-size", "8"]
    assert cli.main([*train, "--data", f"folder:{folder}", "--out", str(run_dir)]) == 0
    # Unlabelled data without the graph: one error saying where to get it.
    assert cli.main(["evaluate", str(run_dir), "--n", "30"]) == 2
    assert "classify_image_graph_def.pb" in capsys.readouterr().err
    assert cli.main(["evaluate", str(run_dir), "--n", "30", "--features", "classifier"]) == 2
    assert "need labels; 'folder:" in capsys.readouterr().err

    assert cli.main(["evaluate", str(run_dir), "--n", "30", "--features-file", path]) == 0
    out = capsys.readouterr().out
    result = json.loads((run_dir / "metrics.json").read_text())
    assert result["features"]["name"] == "inception-2015"
    assert result["features"]["comparable_with_papers"] is True
    assert result["features"]["sha256"] == inception_2015.Inception2015(path).sha256
    assert result["features"]["samples"] == 30
    for key in ("fid", "kid", "inception_score", "precision", "recall", "density", "coverage"):
        assert np.isfinite(result["generated"][key]), key
    assert f"against all 24 images of folder:{folder}" in out
    assert f"the papers' FID network; graph sha256 {result['features']['sha256'][:16]}" in out

    stats = tmp_path / "images.npz"
    argv = ["stats", f"folder:{folder}", "--features-file", path, "--batch-size", "5"]
    assert cli.main([*argv, "--out", str(stats)]) == 0
    assert f"statistics of 24 images of folder:{folder}" in capsys.readouterr().out
    mu, sigma, meta = statistics.load_statistics(str(stats))
    assert meta["features"] == "inception-2015" and meta["count"] == 24
    net = inception_2015.Inception2015(path)
    want = fid.feature_statistics(net(data.load_arrays(f"folder:{folder}")[0])[0])
    np.testing.assert_allclose(mu, want[0], rtol=1e-6)
    np.testing.assert_allclose(sigma, want[1], rtol=1e-5, atol=1e-9)

    # Against the statistics file: the same FID, KID and precision/recall skipped and said.
    argv = ["evaluate", str(run_dir), "--n", "30", "--features-file", path]
    assert cli.main([*argv, "--reference-stats", str(stats)]) == 0
    out = capsys.readouterr().out
    from_stats = json.loads((run_dir / "metrics.json").read_text())
    assert from_stats["generated"]["fid"] == pytest.approx(result["generated"]["fid"], rel=1e-6)
    assert "kid" not in from_stats["generated"] and "kid: skipped" in out
    assert from_stats["skipped"] == ["kid", "precision", "recall", "density", "coverage"]
    assert cli.main([*argv, "--reference-stats", str(stats), "--features", "classifier"]) == 2
    assert "the classifier's are not comparable" in capsys.readouterr().err
    np.savez(tmp_path / "wide.npz", mu=np.zeros(2048), sigma=np.eye(2048))
    assert cli.main([*argv, "--reference-stats", str(tmp_path / "wide.npz")]) == 2
    assert "2048-d features; inception-2015 gives 16-d" in capsys.readouterr().err


def test_evaluate_a_cyclegan_run_on_two_folders(graph, tmp_path, offline, capsys):
    path, _ = graph
    a = _folder(tmp_path / "a", 20, (8, 8, 1), seed=1)
    b = _folder(tmp_path / "b", 18, (8, 8, 1), seed=2)
    run_dir = tmp_path / "run"
    argv = ["train", "cyclegan-digits", "--steps", "1", "--batch-size", "4", "--out", str(run_dir)]
    assert cli.main([*argv, "--data", f"folder:{a}", "--data-b", f"folder:{b}"]) == 0
    assert cli.main(["evaluate", str(run_dir), "--features-file", path]) == 0
    out = capsys.readouterr().out
    result = json.loads((run_dir / "metrics.json").read_text())
    assert set(result["generated"]) == {"fid_a_to_b", "fid_b_to_a"}
    assert all(np.isfinite(v) and v > 0 for v in result["generated"].values())
    assert "FID of G(A) against B and of F(B) against A" in out and "20 in A, 18 in B" in out
    assert result["features"]["name"] == "inception-2015"


def test_built_in_pairs_keep_their_ground_truth_beside_the_fid(graph):
    from tests.harness import build_tiny

    path, _ = graph
    model = build_tiny("cyclegan-digits")
    plain = evaluate.evaluate_model(model, "digits_pair")
    assert "fid_a_to_b" not in plain["generated"] and "features" not in plain
    net = inception_2015.Inception2015(path)
    both = evaluate.evaluate_model(model, "digits_pair", features=net)
    assert set(plain["generated"]) < set(both["generated"])
    assert {"fid_a_to_b", "fid_b_to_a"} <= set(both["generated"])
    assert both["protocol"].startswith(plain["protocol"])


def test_papers_sample_counts_by_default(graph, monkeypatch):
    from tests.harness import build_tiny

    path, _ = graph
    net = inception_2015.Inception2015(path)
    model = build_tiny("dcgan-digits")
    counted = []
    original = model.generate

    def generate(n, seed=None, labels=None):
        counted.append(n)
        return original(n, seed=seed, labels=labels)

    monkeypatch.setattr(model, "generate", generate)
    monkeypatch.setattr(evaluate, "SMALL_DATA_SAMPLES", 2500)  # the rule, at a test's size
    reference = evaluate.real_reference(net, "digits")  # 1,797 images: fewer than 50,000
    result = evaluate.network_metrics(model, net, reference)
    assert sum(counted) == 2500 and max(counted) == evaluate.CHUNK
    assert (
        "2500 generated images (10,000: the real set has fewer than 50,000" in (result["protocol"])
    )
    # Chunks are drawn from different seeds.
    samples = [model.generate(3, seed=evaluate._chunk_seed(0, i)) for i in range(2)]
    assert not np.allclose(samples[0], samples[1])


def test_tfds_sources_with_and_without_labels(graph, tmp_path, monkeypatch):
    import tensorflow_datasets as tfds

    from tests.harness import build_tiny

    path, _ = graph
    monkeypatch.setenv("KERAS_GAN_CACHE", str(tmp_path / "cache"))
    net = inception_2015.Inception2015(path)
    model = build_tiny("dcgan-digits")  # features do not depend on the image size
    with tfds.testing.mock_data(num_examples=6):
        assert not data.has_labels("celeba64") and data.has_labels("tfds:mnist")
        assert [b.shape for b in data.image_batches("celeba64", 4)] == [
            (4, 64, 64, 3),
            (2, 64, 64, 3),
        ]
        # No label and no graph cached: the default is the papers' network, not a refusal.
        assert default_features(data.has_labels("celeba64")) == "inception-2015"
        result = evaluate.evaluate_model(model, "celeba64", features=net, n=12)
        assert "against all 6 images of celeba64" in result["protocol"]
        assert np.isfinite(result["generated"]["fid"]) and "real" not in result
        labelled = evaluate.evaluate_model(model, "tfds:mnist", features=net, n=12)
        assert "against all 6 images of tfds:mnist" in labelled["protocol"]


def test_metrics_monitor_takes_the_features_and_keeps_its_reference(
    graph, tmp_path, offline, monkeypatch
):
    from keras_gan.callbacks import MetricsMonitor
    from tests.harness import build_tiny, synthetic_dataset

    path, _ = graph
    made, real_reference = [], evaluate.real_reference
    monkeypatch.setattr(
        evaluate, "real_reference", lambda *a, **k: made.append(1) or real_reference(*a, **k)
    )
    model = build_tiny("dcgan-digits")
    monitor = MetricsMonitor("digits", n=20, features="inception-2015", features_file=path)
    history = model.fit(
        synthetic_dataset(model, 8, 2), epochs=2, verbose=0, callbacks=[monitor]
    ).history
    assert len(history["eval_fid"]) == 2 and np.all(np.isfinite(history["eval_fid"]))
    assert "eval_kid" in history and "eval_confident_fraction" not in history  # not the classifier
    assert made == [1]  # the real images' features: once, not every epoch
    assert monitor._reference["count"] == len(data.load_arrays("digits")[0])
    assert offline == []
