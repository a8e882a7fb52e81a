"""The `keras-gan` command: list, train, sample, evaluate, export.

A run directory holds `config.json`, `checkpoints/`, `tensorboard/`,
`samples/*.png`, `model.keras` and, after export, a serving tree. Running the
same `train` command on an existing run directory resumes where it stopped.
"""

import argparse
import json
import math
import os
import sys

RUN_CONFIG = "config.json"
MODEL_FILE = "model.keras"


class CLIError(Exception):
    """A problem the user can fix; printed without a traceback."""


def _quiet_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


# ---------------------------------------------------------------------- list
def cmd_list(args):
    import zoo

    rows = [(n, zoo.spec(n)) for n in zoo.names()]
    width = max(len(n) for n, _ in rows)
    for name, preset in rows:
        print(f"{name:<{width}}  {preset.model.__name__:<8} data={preset.dataset:<8} "
              f"batch={preset.batch_size:<4} steps={preset.steps:<6} {preset.reference.split(';')[0]}")
    return 0


# --------------------------------------------------------------------- train
def make_strategy(name, tpu=None):
    import tensorflow as tf

    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":
        if "TF_CONFIG" not in os.environ:
            raise CLIError("--strategy multiworker reads the cluster from TF_CONFIG, which is not set.")
        return tf.distribute.MultiWorkerMirroredStrategy()
    if name == "tpu":
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver(tpu=tpu or "")
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
        return tf.distribute.TPUStrategy(resolver)
    raise CLIError(f"Unknown strategy {name!r}: use default, mirrored, multiworker or tpu.")


def _run_config(args, preset):
    return {
        "model": args.name,
        "data": args.data or preset.dataset,
        "data_dir": args.data_dir or preset.data_dir,
        "batch_size": args.batch_size or preset.batch_size,
        "steps": args.steps,
        "epochs": args.epochs,
        "seed": args.seed,
        "strategy": args.strategy,
    }


def _check_run_dir(run_dir, config):
    path = os.path.join(run_dir, RUN_CONFIG)
    if os.path.exists(path):
        with open(path) as f:
            previous = json.load(f)
        # The length may grow (training continues); what defines the run may not.
        changed = {k: (previous.get(k), v) for k, v in config.items()
                   if k not in ("strategy", "steps", "epochs", "steps_per_epoch") and previous.get(k) != v}
        if changed:
            detail = ", ".join(f"{k}: {a!r} -> {b!r}" for k, (a, b) in changed.items())
            raise CLIError(
                f"{run_dir} holds a different run ({detail}). Resume it with the same arguments, "
                "or choose another --out."
            )
        config["steps_per_epoch"] = previous["steps_per_epoch"]
        return True
    os.makedirs(run_dir, exist_ok=True)
    if not os.access(run_dir, os.W_OK):
        raise CLIError(f"Run directory {run_dir} is not writable.")
    with open(path, "w") as f:
        json.dump(config, f, indent=2)
    return False


def cmd_train(args):
    import zoo

    preset = zoo.spec(args.name)
    run_dir = args.out or os.path.join("runs", args.name)
    config = _run_config(args, preset)
    total = args.steps or (args.epochs * preset.steps_per_epoch if args.epochs else preset.steps)
    if total < 1:
        raise CLIError(f"--steps and --epochs must be positive. Received: {total}")
    config["steps_per_epoch"] = min(preset.steps_per_epoch, total)
    resuming = _check_run_dir(run_dir, config)
    per_epoch = config["steps_per_epoch"]
    epochs = math.ceil(total / per_epoch)

    import keras

    from keras_gan import callbacks as gan_callbacks
    from keras_gan import data

    keras.utils.set_random_seed(args.seed)
    strategy = make_strategy(args.strategy, args.tpu)
    with strategy.scope():
        model = zoo.build(args.name, seed=args.seed)
    dataset = data.load(config["data"], config["batch_size"], n_critic=model.n_critic,
                        data_dir=config["data_dir"], seed=args.seed, repeat=True)
    reference = None
    if config["data"] in data.MIXTURES:
        reference = data.mixture(config["data"]).sample(1000, seed=1)[0]
    log_dir = os.path.join(run_dir, "tensorboard")
    callbacks = [
        keras.callbacks.BackupAndRestore(os.path.join(run_dir, "checkpoints"), delete_checkpoint=False),
        keras.callbacks.TerminateOnNaN(),
        keras.callbacks.TensorBoard(log_dir, update_freq=10),
        gan_callbacks.SampleGrid(run_dir, log_dir=log_dir, reference=reference,
                                 n=2500 if reference is not None else 64),
        keras.callbacks.ModelCheckpoint(os.path.join(run_dir, MODEL_FILE)),
    ]
    print(f"{'Resuming' if resuming else 'Training'} {args.name} in {run_dir}: {epochs} epochs x "
          f"{per_epoch} steps, batch {config['batch_size']}, data {config['data']}, "
          f"{strategy.num_replicas_in_sync} replica(s)")
    model.fit(dataset, epochs=epochs, steps_per_epoch=per_epoch, callbacks=callbacks,
              verbose=1 if sys.stdout.isatty() else 2)
    if not model.stop_training:
        model.save(os.path.join(run_dir, MODEL_FILE))
    print(f"Model: {os.path.join(run_dir, MODEL_FILE)}; samples: {os.path.join(run_dir, 'samples')}; "
          f"TensorBoard: tensorboard --logdir {log_dir}")
    return 0


# ------------------------------------------------------------ sample, export
def load_run(run_dir):
    """The trained model of a run directory."""
    path = os.path.join(run_dir, MODEL_FILE)
    if not os.path.exists(path):
        raise CLIError(f"No trained model at {path}: run `keras-gan train` with --out {run_dir} first.")
    import keras

    import keras_gan  # noqa: F401  (registers the model classes)

    return keras.models.load_model(path)


def read_run_config(run_dir):
    """The run directory's config.json as a dict ({} if there is none)."""
    path = os.path.join(run_dir, RUN_CONFIG)
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {}


def cmd_sample(args):
    from keras_gan import data, images

    model = load_run(args.run_dir)
    samples = model.generate(args.n, seed=args.seed)
    config = read_run_config(args.run_dir)
    reference = None
    if config.get("data") in data.MIXTURES:
        reference = data.mixture(config["data"]).sample(1000, seed=1)[0]
    columns = model.num_classes if model.conditional else None
    out = args.out or os.path.join(args.run_dir, "samples", "sample.png")
    images.write_png(out, images.picture(samples, reference=reference, columns=columns))
    print(out)
    return 0


def cmd_export(args):
    import export

    model = load_run(args.run_dir)
    name = args.name or read_run_config(args.run_dir).get("model") or model.name
    path = export.export_generator(model, args.serving_dir, name, version=args.version)
    config = export.write_models_config(args.serving_dir, base_path_prefix="/models")
    base = os.path.abspath(args.serving_dir)
    print(f"Exported {name} version {os.path.basename(path)} to {path}")
    print("Signatures:")
    for sig, fn in export.signature_functions(model).items():
        outputs = fn.get_concrete_function().structured_outputs
        described = ", ".join(f"{v.name} {v.dtype.name} {v.shape.as_list()}" for v in fn.input_signature)
        print(f"  {sig}: {described} -> " + ", ".join(
            f"{k} {v.dtype.name} {v.shape.as_list()}" for k, v in outputs.items()))
    z = ", ".join(["0.0"] * model.latent_dim)
    instance = f'{{"z": [{z}]' + (', "label": 0' if model.conditional else "") + "}"
    print("Serve it (all models under the serving dir, listed in models.config):")
    print(f"  docker run --rm -p 8501:8501 -p 8500:8500 -v {base}:/models tensorflow/serving "
          f"--model_config_file=/models/{os.path.basename(config)}")
    print("Query it (REST):")
    print(f"  curl -s -X POST localhost:8501/v1/models/{name}:predict "
          f"-d '{{\"signature_name\": \"serving_default\", \"instances\": [{instance}]}}'")
    if "png" in export.signature_functions(model):
        print(f"  curl -s -X POST localhost:8501/v1/models/{name}:predict "
              f"-d '{{\"signature_name\": \"png\", \"instances\": [{instance}]}}'   "
              "# images_bytes come back as {\"b64\": ...}")
    print(f"  curl -s -X POST localhost:8501/v1/models/{name}:predict "
          f"-d '{{\"signature_name\": \"sample\", \"inputs\": {{\"n\": 4, \"seed\": 0}}}}'")
    return 0


# ------------------------------------------------------------------ evaluate
def _flatten(prefix, value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}/{k}" if prefix else k, v, out)
    elif isinstance(value, (int, float)):
        out[prefix] = value
    return out


def cmd_evaluate(args):
    import tensorflow as tf

    from keras_gan.metrics import evaluate_model

    model = load_run(args.run_dir)
    config = read_run_config(args.run_dir)
    if not config.get("data"):
        raise CLIError(f"{args.run_dir} has no config.json naming its data; it was not made by `keras-gan train`.")
    result = evaluate_model(model, config["data"], data_dir=args.data_dir or config.get("data_dir"),
                            n=args.n, seed=args.seed, inception=args.inception)
    result["step"] = int(model.g_optimizer.iterations)
    result["model"] = config.get("model")
    path = os.path.join(args.run_dir, "metrics.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=2)
    print(f"{config.get('model')} at step {result['step']}: {result['protocol']}")
    names = list(result["generated"])
    print(f"{'metric':<24}{'generated':>14}" + (f"{'real':>14}" if "real" in result else ""))
    for name in names:
        row = f"{name:<24}{result['generated'][name]:>14.4f}"
        if "real" in result:
            row += f"{result['real'].get(name, float('nan')):>14.4f}"
        print(row)
    writer = tf.summary.create_file_writer(os.path.join(args.run_dir, "tensorboard", "eval"))
    with writer.as_default():
        for key, value in _flatten("", {k: result[k] for k in ("generated", "real") if k in result}, {}).items():
            tf.summary.scalar(key, value, step=result["step"])
    writer.flush()
    print(f"Wrote {path}")
    return 0


# ---------------------------------------------------------------------- main
def build_parser():
    parser = argparse.ArgumentParser(prog="keras-gan", description="Train, sample and serve GANs.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="list the zoo's presets")

    train = sub.add_parser("train", help="train a preset (resumes an existing run directory)")
    train.add_argument("name")
    train.add_argument("--data", help="data source (default: the preset's)")
    train.add_argument("--data-dir", help="folder of the data files (mnist, tfds)")
    length = train.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, help="generator updates to train")
    length.add_argument("--epochs", type=int, help="epochs of the preset's steps_per_epoch")
    train.add_argument("--batch-size", type=int, help="global batch per discriminator update")
    train.add_argument("--out", help="run directory (default runs/NAME)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--strategy", default="default", choices=["default", "mirrored", "multiworker", "tpu"])
    train.add_argument("--tpu", help="TPU name or address for --strategy tpu")

    sample = sub.add_parser("sample", help="draw samples of a trained run into a PNG")
    sample.add_argument("run_dir")
    sample.add_argument("--n", type=int, default=64)
    sample.add_argument("--out", help="PNG path (default RUN_DIR/samples/sample.png)")
    sample.add_argument("--seed", type=int, default=0)

    ev = sub.add_parser("evaluate", help="sample-quality metrics of a run -> RUN_DIR/metrics.json")
    ev.add_argument("run_dir")
    ev.add_argument("--n", type=int, help="samples (default 2500 for 2-D mixtures, 2000 for images)")
    ev.add_argument("--seed", type=int, default=0)
    ev.add_argument("--data-dir", help="override the run's data folder")
    ev.add_argument("--inception", help="also InceptionV3 FID/IS: 'imagenet' (downloads) or a weights file")

    exp = sub.add_parser("export", help="export the generator as a SavedModel for TF Serving")
    exp.add_argument("run_dir")
    exp.add_argument("--serving-dir", required=True)
    exp.add_argument("--name")
    exp.add_argument("--version", type=int)
    return parser


COMMANDS = {"list": cmd_list, "train": cmd_train, "sample": cmd_sample, "evaluate": cmd_evaluate,
            "export": cmd_export}


def main(argv=None):
    args = build_parser().parse_args(argv)
    _quiet_tensorflow()
    try:
        return COMMANDS[args.command](args)
    except (CLIError, ValueError, FileExistsError, FileNotFoundError) as e:
        print(f"keras-gan {args.command}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
