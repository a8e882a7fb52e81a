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


def _version():
    """The package version, read without importing TensorFlow."""
    from importlib import metadata

    try:
        return metadata.version("keras-gan")
    except metadata.PackageNotFoundError:
        return "unknown"


class CLIError(Exception):
    """A problem the user can fix; printed without a traceback."""


def _import_tensorflow(verbose=False):
    """Imports TensorFlow and the API once a command needs them.

    Without `--verbose`, TensorFlow's C++ start-up lines (oneDNN, CPU
    features, "could not find CUDA drivers") are not shown: its log level is
    set before the import (unless TF_CPP_MIN_LOG_LEVEL is set already) and
    the lines it writes while loading, before that level applies, go to
    /dev/null. An import that fails still raises its error.
    """
    import keras_gan

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "0" if verbose else "3")
    if verbose or "tensorflow" in sys.modules:
        keras_gan._import_all()
        return
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import keras  # noqa: F401
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    keras_gan._import_all()


# ---------------------------------------------------------------------- list
def cmd_list(args):
    from keras_gan import zoo

    rows = [(n, zoo.spec(n)) for n in zoo.names()]
    width = max(len(n) for n, _ in rows)
    model_width = max(len(p.model.__name__) for _, p in rows)
    data_width = max(len(p.dataset) for _, p in rows)
    for name, preset in rows:
        print(f"{name:<{width}}  {preset.model.__name__:<{model_width}}  data={preset.dataset:<{data_width}} "
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
        try:
            cluster = json.loads(os.environ["TF_CONFIG"])
        except json.JSONDecodeError as e:
            raise CLIError(f"TF_CONFIG is not JSON ({e}); it must look like "
                           '{"cluster": {"worker": ["host:port", ...]}, "task": {"type": "worker", "index": 0}}.') from e
        if not isinstance(cluster, dict) or "cluster" not in cluster or "task" not in cluster:
            raise CLIError("TF_CONFIG must be a JSON object with \"cluster\" and \"task\" entries.")
        return tf.distribute.MultiWorkerMirroredStrategy()
    if name == "tpu":
        try:
            resolver = tf.distribute.cluster_resolver.TPUClusterResolver(tpu=tpu or "")
        except ValueError as e:
            raise CLIError(f"--strategy tpu found no TPU ({e}). Pass --tpu NAME_OR_ADDRESS "
                           "(e.g. --tpu grpc://10.0.0.2:8470), or run on a TPU VM.") from e
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
        return tf.distribute.TPUStrategy(resolver)
    raise CLIError(f"Unknown strategy {name!r}: use default, mirrored, multiworker or tpu.")


def _run_config(args, preset):
    return {
        "model": args.name,
        "data": args.data or preset.dataset,
        "data_b": args.data_b,
        "data_dir": args.data_dir or preset.data_dir,
        "batch_size": args.batch_size or preset.batch_size,
        "steps": args.steps,
        "epochs": args.epochs,
        "seed": args.seed,
        "strategy": args.strategy,
        "overrides": _parse_overrides(args.overrides) or None,
    }


def _parse_overrides(items):
    """`--set KEY=VALUE` items as a dict; a VALUE that parses as JSON (2, 0.5, true, [32, 32, 3]) is that."""
    out = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise CLIError(f"--set takes KEY=VALUE (e.g. --set pack=2). Received: {item!r}")
        if key == "seed":
            raise CLIError("--set seed=... : use --seed, which also seeds the data order.")
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out


def _check_run_dir(run_dir, config, write=True):
    """Refuses a run directory of another run; makes sure it is writable. Returns: resuming?"""
    path = os.path.join(run_dir, RUN_CONFIG)
    if os.path.exists(path):
        previous = read_run_config(run_dir)
        # The length may grow (training continues); what defines the run may not.
        changed = {k: (previous.get(k), v) for k, v in config.items()
                   if k in _RUN_IDENTITY and previous.get(k) != v}
        if changed:
            detail = ", ".join(f"{k}: {a!r} -> {b!r}" for k, (a, b) in changed.items())
            raise CLIError(
                f"{run_dir} holds a different run ({detail}). Resume it with the same arguments, "
                "or choose another --out."
            )
        config["steps_per_epoch"] = previous.get("steps_per_epoch", config["steps_per_epoch"])
        resuming = True
    else:
        resuming = False
    if not write:
        return resuming
    try:
        os.makedirs(run_dir, exist_ok=True)
        probe = os.path.join(run_dir, f".write-test-{os.getpid()}")
        with open(probe, "w") as f:
            f.write("ok")
        os.remove(probe)
    except OSError as e:
        raise CLIError(f"Run directory {run_dir} is not writable ({e.strerror}). Choose another --out.") from e
    if not resuming:
        _write_json_atomic(path, config)
    return resuming


_RUN_IDENTITY = ("model", "data", "data_b", "data_dir", "batch_size", "seed", "overrides")


def _write_json_atomic(path, value):
    from keras_gan import files

    files.write_text_atomic(path, json.dumps(value, indent=2, allow_nan=False))


def strict_json(value):
    """`value` with every NaN or infinite float replaced by None (JSON `null`), so that files
    are strict JSON (RFC 8259 has no `Infinity`): a metric that is undefined or infinite reads
    as null."""
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _task(strategy):
    """`(is_chief, task_id)` of this process in a multi-worker cluster ((True, 0) otherwise)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    task_type = getattr(resolver, "task_type", None)
    task_id = getattr(resolver, "task_id", None) or 0
    if task_type is None:
        return True, 0
    has_chief = "chief" in (resolver.cluster_spec().as_dict() or {})
    return task_type == "chief" or (task_type == "worker" and task_id == 0 and not has_chief), task_id


def train(args):
    """Trains as `keras-gan train` does; returns the model (tests use it)."""
    from keras_gan import zoo

    preset = zoo.spec(args.name)
    _check_positive(args, "steps", "epochs", "batch_size", "checkpoint_every", "keep_checkpoints", "log_every")
    if not 0 < args.rollback_lr_factor <= 1:
        raise CLIError(f"--rollback-lr-factor must be in (0, 1]. Received: {args.rollback_lr_factor}")
    if args.max_rollbacks < 0:
        raise CLIError(f"--max-rollbacks must be >= 0. Received: {args.max_rollbacks}")
    run_dir = args.out or os.path.join("runs", args.name)
    config = _run_config(args, preset)
    if args.steps is not None:
        total = args.steps
    else:
        total = args.epochs * preset.steps_per_epoch if args.epochs is not None else preset.steps
    config["steps_per_epoch"] = min(preset.steps_per_epoch, total)

    import keras
    import tensorflow as tf

    if args.deterministic:
        tf.config.experimental.enable_op_determinism()
    keras.utils.set_random_seed(args.seed)
    if args.mixed_precision:
        keras.mixed_precision.set_global_policy(f"mixed_{args.mixed_precision}")
    strategy = make_strategy(args.strategy, args.tpu)
    chief, task_id = _task(strategy)
    # Everything is checked (the run directory's identity, the model, the
    # data) before anything is written, so a failed first attempt leaves no
    # config.json that would refuse the corrected command.
    _check_run_dir(run_dir, config, write=False)

    from keras_gan import callbacks as gan_callbacks
    from keras_gan import checkpoints, data

    overrides = {**(config["overrides"] or {}), "seed": args.seed}
    if args.jit_compile is not None:
        overrides["jit_compile"] = args.jit_compile
    with strategy.scope():
        model = zoo.build(args.name, steps=total, **overrides)
    first_dataset = _training_data(model, config, args.seed)
    _check_data_fits(model, first_dataset, config)
    preview_inputs = _preview_inputs(config, model)
    # Only the chief writes (checkpoints, TensorBoard, samples, model.keras);
    # the other workers read its checkpoints to resume.
    _check_run_dir(run_dir, config, write=chief)
    per_epoch = config["steps_per_epoch"]
    every = args.checkpoint_every or per_epoch
    ckpts = checkpoints.Checkpoints(os.path.join(run_dir, "checkpoints"), keep=args.keep_checkpoints)
    start = ckpts.restore(model) or 0
    if start >= total:
        if chief and not os.path.exists(os.path.join(run_dir, MODEL_FILE)):
            model.save(os.path.join(run_dir, MODEL_FILE))  # e.g. moved away because it was damaged
            print(f"Wrote {os.path.join(run_dir, MODEL_FILE)} from the checkpoint of step {start}.")
        print(f"{run_dir} is already trained to step {start} (asked: {total}); raise --steps to continue.")
        return model
    reference = None
    if config["data"] in data.MIXTURES:
        reference = data.mixture(config["data"]).sample(1000, seed=1)[0]
    log_dir = os.path.join(run_dir, "tensorboard")
    print(f"{'Resuming' if start else 'Training'} {args.name}{f' at step {start}' if start else ''} in {run_dir}: "
          f"{total} steps (epochs of {per_epoch}), checkpoints every {every}, batch {config['batch_size']}, "
          f"data {config['data']}, {strategy.num_replicas_in_sync} replica(s)"
          + ("" if chief else f", worker {task_id} (not writing)"))
    if chief:
        print(f"Watch it: keras-gan board {run_dir}   (or: tensorboard --logdir {log_dir})")
    rollbacks = 0
    while True:
        guard = gan_callbacks.NaNGuard()
        saver = gan_callbacks.StepCheckpoint(ckpts, every_n_steps=every)
        callbacks = [guard, gan_callbacks.StopAtStep(total)]
        if not sys.stdout.isatty():  # a pipe or a log: one line every --log-every steps
            callbacks.append(gan_callbacks.ProgressLine(total, args.log_every or max(1, round(total / 50))))
        if chief:
            callbacks += [
                saver,
                gan_callbacks.ScalarLogger(log_dir, every_n_steps=10, batch_size=config["batch_size"]),
                gan_callbacks.SampleGrid(run_dir, every_n_steps=per_epoch, log_dir=log_dir, reference=reference,
                                         n=2500 if reference is not None else 64, inputs=preview_inputs),
                gan_callbacks.SaveModel(os.path.join(run_dir, MODEL_FILE)),
            ]
        # The data stream is seeded: element s is what step s trains on, so
        # skipping `start` elements continues the stream of the first run.
        dataset = (first_dataset if rollbacks == 0 else _training_data(model, config, args.seed)).skip(start)
        model.fit(dataset, initial_epoch=start // per_epoch, epochs=math.ceil(total / per_epoch),
                  steps_per_epoch=per_epoch, callbacks=callbacks, shuffle=False,
                  verbose=1 if sys.stdout.isatty() else 0)
        # Non-finite logs (the guard), or non-finite weights behind finite logs
        # (the checkpoint refused to save them): both take the NaN path.
        failure = guard.failure or (saver.failure if chief else None)
        if failure is None:
            break
        last = ckpts.latest_step()
        if args.on_nan != "rollback" or rollbacks >= args.max_rollbacks or last is None:
            why = ("" if args.on_nan != "rollback" else
                   " No checkpoint to roll back to." if last is None else f" Gave up after {rollbacks} rollbacks.")
            raise CLIError(
                f"{failure}{why} The last good checkpoint (step {last}) in {ckpts.directory} is "
                "untouched; re-run with --on-nan rollback (or a lower learning rate) to continue from it."
            )
        rollbacks += 1
        start = ckpts.restore(model)
        rates = [_scale_learning_rate(model, optimizer, args.rollback_lr_factor)
                 for optimizer in (model.g_optimizer, model.d_optimizer)]
        print(f"Rolled back to step {start}; learning rates now {', '.join(rates)} (G, D).")
    print(f"Model: {os.path.join(run_dir, MODEL_FILE)}; samples: {os.path.join(run_dir, 'samples')}; "
          f"TensorBoard: tensorboard --logdir {log_dir}")
    return model


def _check_positive(args, *names):
    """Refuses a zero or negative value of each flag `--name` that was given."""
    for name in names:
        value = getattr(args, name, None)
        if value is not None and value < 1:
            raise CLIError(f"--{name.replace('_', '-')} must be a positive integer. Received: {value}")


def _check_data_fits(model, dataset, config):
    """Refuses data whose examples the model cannot take, naming both shapes."""
    want = [tuple(s.shape[1:]) for s in _parts(model.data_spec())]
    got = [tuple(s.shape[1:]) for s in _parts(dataset.element_spec)]
    source = config["data"] + (f" + {config['data_b']}" if config.get("data_b") else "")
    if len(got) < len(want):
        raise CLIError(f"{config['model']} trains on {len(want)} tensors per example (e.g. images and labels); "
                       f"the data {source} gives {len(got)}. Choose data with labels, or another preset.")
    for w, g in zip(want, got):
        if len(w) == 3 and w != g:
            raise CLIError(
                f"The data {source} holds {g[0]}x{g[1]} images with {g[2]} channel(s), but {config['model']} "
                f"takes {w[0]}x{w[1]} with {w[2]} channel(s). Convert the images (size and channels), or choose "
                "a preset made for them (keras-gan list).")


def _parts(structure):
    """The specs of a model's or a dataset's element, as a list."""
    return list(structure) if isinstance(structure, tuple) else [structure]


def _image_size(model):
    """`(H, W)` of the images `model` trains on, or None for other data."""
    spec = model.data_spec()
    spec = spec[0] if isinstance(spec, tuple) else spec
    return tuple(spec.shape[1:3]) if spec.shape.rank == 4 else None


def _training_data(model, config, seed):
    """The run's training stream: two domains for translation data, else one source."""
    from keras_gan import data

    if data.is_unpaired(config["data"], config.get("data_b")):
        return data.load_unpaired(config["data"], config.get("data_b"), config["batch_size"],
                                  data_dir=config["data_dir"], seed=seed, repeat=True, image_size=_image_size(model))
    return data.load(config["data"], config["batch_size"], n_critic=model.n_critic, data_dir=config["data_dir"],
                     seed=seed, repeat=True)


def _preview_inputs(config, model, n=10):
    """What a translation run's sample grids translate: held-out images of a built-in pair,
    else the first `n` training images of each domain; None for other data."""
    from keras_gan import data

    if not data.is_unpaired(config.get("data"), config.get("data_b")):
        return None
    split = "test" if config["data"] in data.PAIRS else "train"
    arrays = data.unpaired_arrays(config["data"], config.get("data_b"), data_dir=config.get("data_dir"), split=split,
                                  image_size=_image_size(model))
    return tuple(x[:n] for x in arrays)


def _scale_learning_rate(model, optimizer, factor):
    """Multiplies an optimizer's learning rate (or its `LinearDecay` schedule) by `factor`; returns it as text."""
    from keras_gan.schedules import LinearDecay

    inner = getattr(optimizer, "inner_optimizer", optimizer)
    if isinstance(inner._learning_rate, LinearDecay):
        inner._learning_rate = inner._learning_rate.scaled(factor)
        model.train_function = None  # the traced step read the old schedule
    else:
        optimizer.learning_rate = float(optimizer.learning_rate) * factor
    return f"{float(inner.learning_rate):.3g}"


def cmd_train(args):
    train(args)
    return 0


# ------------------------------------------------------------ sample, export
def load_run(run_dir):
    """The trained model of a run directory."""
    path = os.path.join(run_dir, MODEL_FILE)
    if not os.path.exists(path):
        raise CLIError(f"No trained model at {path}: run `keras-gan train` with --out {run_dir} first.")
    import keras

    import keras_gan  # noqa: F401  (registers the model classes)

    try:
        return keras.models.load_model(path)
    except Exception as e:  # a truncated zip, another file under the name, ...
        raise CLIError(
            f"{path} is damaged or not a keras-gan model ({type(e).__name__}: {str(e)[:200]}). Its training state "
            f"is in {os.path.join(run_dir, 'checkpoints')}: move {MODEL_FILE} away and re-run the same "
            "`keras-gan train` command to write it again.") from e


def _standing_statistics(model, args, config):
    """Recomputes an EMA generator's BatchNorm statistics before sampling (`--no-standing-stats` skips it)."""
    from keras_gan import standing

    batch = int(config.get("batch_size") or 64)
    if not getattr(args, "standing_stats", True) or not standing.standing_statistics_where_needed(model, batch):
        return False
    print(f"Standing statistics: the served EMA generator's BatchNorm statistics were recomputed from its own "
          f"16 forward passes of {batch} latents (--no-standing-stats keeps the trained network's).")
    return True


def read_run_config(run_dir):
    """The run directory's config.json as a dict ({} if there is none)."""
    path = os.path.join(run_dir, RUN_CONFIG)
    if not os.path.exists(path):
        return {}
    try:
        with open(path) as f:
            config = json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CLIError(f"{path} is not valid JSON ({e}). Restore it, or move the run directory away.") from e
    if not isinstance(config, dict):
        raise CLIError(f"{path} must hold a JSON object (the run's settings); it holds a {type(config).__name__}. "
                       "Restore it, or move the run directory away.")
    return config


def cmd_sample(args):
    from keras_gan import data, images

    _check_positive(args, "n", "scale")
    model = load_run(args.run_dir)
    config = read_run_config(args.run_dir)
    if args.input:
        return _translate_files(model, args)
    _standing_statistics(model, args, config)
    title = f"step {model.step}"
    if args.psi is not None:
        if not hasattr(model, "w_avg"):
            raise CLIError(f"--psi truncates in W (StyleGAN); {model.name} has no W. Use --truncation for BigGAN.")
        samples, columns, row_labels = model.generate(args.n, seed=args.seed, psi=args.psi), None, None
        title += f", psi {args.psi:g}"
    elif args.truncation is not None or args.label is not None:
        samples, columns, row_labels = _drawn_samples(model, args)
        if args.label is not None:
            title = f"class {args.label}, " + title
        if args.truncation is not None:
            title += f", truncation {args.truncation:g}"
    else:
        samples, columns = model.preview(args.n, seed=args.seed, inputs=_preview_inputs(config, model, args.n))
        row_labels = model.preview_labels(args.n)
    reference = None
    if config.get("data") in data.MIXTURES:
        reference = data.mixture(config["data"]).sample(1000, seed=1)[0]
    out = args.out or os.path.join(args.run_dir, "samples", "sample.png")
    images.write_png(out, images.picture(samples, reference=reference, columns=columns, scale=args.scale,
                                         row_labels=row_labels, title=title))
    print(out)
    return 0


def _drawn_samples(model, args):
    """`keras-gan sample --label K` (one class) and/or `--truncation T` (latents truncated to |z_i| <= T):
    `(samples, columns, row_labels)`."""
    import numpy as np

    if args.truncation is not None and not hasattr(model, "sample_latents"):
        raise CLIError(f"--truncation truncates latents; {model.name} has none. Drop --truncation.")
    conditional = getattr(model, "conditional", False)
    n, columns, row_labels, labels = args.n, None, None, None
    if args.label is not None:
        if not conditional:
            raise CLIError(f"--label draws one class of a class-conditional model; {model.name} is not "
                           "class-conditional. Drop --label.")
        if not 0 <= args.label < model.num_classes:
            raise CLIError(f"--label must be a class in [0, {model.num_classes - 1}]. Received: {args.label}")
        labels = np.full(n, args.label)
    elif conditional:  # one row per class, as the preview
        columns = max(1, n // model.num_classes)
        n = columns * model.num_classes
        labels, row_labels = np.repeat(np.arange(model.num_classes), columns), model.preview_labels(n)
    try:
        samples = model.generate(n, seed=args.seed, labels=labels, truncation=args.truncation)
    except ValueError as e:
        raise CLIError(str(e)) from e
    return samples, columns, row_labels


_IMAGE_FILES = (".png", ".jpg", ".jpeg")


def _translate_files(model, args):
    """`keras-gan sample RUN_DIR --input IMAGE_OR_FOLDER --direction a2b|b2a --out DIR`."""
    import numpy as np
    import tensorflow as tf

    from keras_gan import images

    if not hasattr(model, "translate"):
        raise CLIError(f"--input translates images; {model.name} generates from latents. Drop --input.")
    if args.direction not in ("a2b", "b2a"):
        raise CLIError(f"--direction must be a2b or b2a. Received: {args.direction}")
    shape = model.shape_a if args.direction == "a2b" else model.shape_b
    if os.path.isdir(args.input):
        files = sorted(os.path.join(args.input, f) for f in os.listdir(args.input) if f.lower().endswith(_IMAGE_FILES))
        if not files:
            raise CLIError(f"No PNG or JPEG files in {args.input}.")
    elif os.path.isfile(args.input):
        files = [args.input]
    else:
        raise CLIError(f"--input {args.input} is neither an image file nor a folder.")
    batch = []
    for path in files:
        try:
            image = tf.io.decode_image(tf.io.read_file(path), expand_animations=False).numpy()
        except (tf.errors.InvalidArgumentError, tf.errors.NotFoundError) as e:
            raise CLIError(f"Cannot read {path} as an image (PNG, JPEG, GIF or BMP).") from e
        if image.shape != shape:
            raise CLIError(f"{path} is {image.shape[0]}x{image.shape[1]} with {image.shape[2]} channel(s); "
                           f"{args.direction} translates {shape[0]}x{shape[1]} images with {shape[2]} channel(s). "
                           "Resize or convert it first.")
        batch.append(image.astype(np.float32) / 127.5 - 1.0)
    out_dir = args.out or os.path.join(args.run_dir, "translated", args.direction)
    translated = model.translate(np.stack(batch), args.direction)
    try:
        for path, image in zip(files, translated):
            name = os.path.splitext(os.path.basename(path))[0] + ".png"
            images.write_png(os.path.join(out_dir, name), images.to_uint8(image))
    except OSError as e:
        raise CLIError(f"Cannot write to {out_dir} ({e.strerror}). Choose another --out.") from e
    print(f"Translated {len(files)} image(s) {args.direction} into {out_dir}")
    return 0


def cmd_export(args):
    from keras_gan import export

    model = load_run(args.run_dir)
    config = read_run_config(args.run_dir)
    name = args.name or config.get("model") or model.name
    import tensorflow as tf

    _standing_statistics(model, args, config)

    if os.path.exists(args.serving_dir) and not os.path.isdir(args.serving_dir):
        raise CLIError(f"--serving-dir {args.serving_dir} is a file, not a folder. Choose another --serving-dir.")
    try:
        path = export.export_generator(model, args.serving_dir, name, version=args.version, overwrite=args.overwrite)
        config = export.write_models_config(args.serving_dir, base_path_prefix="/models")
    except FileExistsError:
        raise  # an existing version: its own message says what to do
    except (OSError, tf.errors.OpError) as e:
        reason = e.strerror if isinstance(e, OSError) else e.message.split(";")[0]
        raise CLIError(f"Cannot write the serving tree under {args.serving_dir} ({reason}). "
                       "Choose another --serving-dir.") from e
    base = os.path.abspath(args.serving_dir)
    print(f"Exported {name} version {os.path.basename(path)} to {path}")
    print("Signatures:")
    for sig, fn in export.signature_functions(model).items():
        outputs = fn.get_concrete_function().structured_outputs
        described = ", ".join(f"{v.name} {v.dtype.name} {v.shape.as_list()}" for v in fn.input_signature)
        print(f"  {sig}: {described} -> " + ", ".join(
            f"{k} {v.dtype.name} {v.shape.as_list()}" for k, v in outputs.items()))
    print("Serve it (all models under the serving dir, listed in models.config):")
    print(f"  docker run --rm -p 8501:8501 -p 8500:8500 -v {base}:/models tensorflow/serving "
          f"--model_config_file=/models/{os.path.basename(config)}")
    print("Query it (REST; outputs named *_bytes come back as {\"b64\": ...}):")
    for sig, signature in model.serving_signatures().items():
        body = json.dumps({"signature_name": sig, "inputs": {k: _json_value(v) for k, v in signature.example.items()}})
        if len(body) > 400:
            body = f'{{"signature_name": "{sig}", "inputs": {{...}}}}'
            print(f"  # {sig}: inputs " + ", ".join(f"{k} {getattr(v, 'dtype', type(v).__name__)} "
                                                    f"{list(getattr(v, 'shape', ()))}"
                                                    for k, v in signature.example.items()))
        print(f"  curl -s -X POST localhost:8501/v1/models/{name}:predict -d '{body}'")
    return 0


def _json_value(value):
    """A NumPy example input as TF Serving's REST API takes it (bytes as {"b64": ...})."""
    import base64

    import numpy as np

    value = np.asarray(value)
    if value.dtype.kind in "SO":
        return [{"b64": base64.b64encode(v).decode()} for v in value.reshape(-1)]
    return value.tolist()


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

    _check_positive(args, "n")
    model = load_run(args.run_dir)
    config = read_run_config(args.run_dir)
    if not config.get("data"):
        raise CLIError(f"{args.run_dir} has no config.json naming its data; it was not made by `keras-gan train`.")
    standing = _standing_statistics(model, args, config)
    try:
        result = evaluate_model(model, config["data"], data_dir=args.data_dir or config.get("data_dir"),
                                n=args.n, seed=args.seed, inception=args.inception, truncation=args.truncation)
    except ValueError as e:
        if args.truncation is None or "truncation" not in str(e):
            raise
        raise CLIError(str(e)) from e
    result["step"] = model.step
    result["truncation"] = args.truncation
    result["standing_statistics"] = standing
    result["model"] = config.get("model")
    curves = result.get("anomaly", {}).pop("curves", None)
    path = os.path.join(args.run_dir, "metrics.json")
    _write_json_atomic(path, strict_json(result))
    pictures = _evaluation_pictures(args.run_dir, result, curves)
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
    print(f"Wrote {path}" + "".join(f", {p}" for p in pictures))
    return 0


HISTORY_FILE = "metrics_history.jsonl"
# The metrics drawn by step, those present first; the others of a run are in metrics_history.jsonl.
BY_STEP = ("fid", "kid", "inception_score", "confident_fraction", "modes", "high_quality_fraction", "reverse_kl",
           "l1_a_to_b", "l1_b_to_a", "wasserstein_1")


def _evaluation_pictures(run_dir, result, curves):
    """Appends this evaluation to RUN_DIR/metrics_history.jsonl and draws what a plot shows better than
    a table: PR and ROC curves of anomaly scores (pr_curve.png, roc_curve.png), and, once the run has
    been evaluated at two steps or more, its metrics by step (metrics_by_step.png). Returns the paths."""
    import numpy as np

    from keras_gan import images

    written = []
    if curves:
        anomaly = result["anomaly"]
        recall, precision = curves["pr"]
        written.append(images.write_png(os.path.join(run_dir, "pr_curve.png"), images.line_plot(
            [("model", recall, precision), ("chance", [0, 1], [anomaly["auprc_chance"]] * 2)],
            title=f"precision-recall, step {result['step']}: AUPRC {anomaly['auprc']:.3f}",
            xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1))))
        fpr, tpr = curves["roc"]
        written.append(images.write_png(os.path.join(run_dir, "roc_curve.png"), images.line_plot(
            [("model", fpr, tpr), ("chance", [0, 1], [0, 1])],
            title=f"ROC, step {result['step']}: AUC {anomaly['roc_auc']:.3f}",
            xlabel="false positive rate", ylabel="true positive rate", xlim=(0, 1), ylim=(0, 1))))
    entry = {"step": result["step"], "truncation": result["truncation"],
             "generated": {k: v for k, v in result.get("generated", {}).items() if isinstance(v, (int, float))}}
    history_path = os.path.join(run_dir, HISTORY_FILE)
    with open(history_path, "a") as f:
        f.write(json.dumps(strict_json(entry)) + "\n")
    latest = {}  # step -> the last evaluation at that step with the prior's latents
    with open(history_path) as f:
        for line in f:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a crash: skip it
            if row.get("truncation") is None:
                latest[row["step"]] = row["generated"]
    steps = sorted(latest)
    finite = lambda v: isinstance(v, (int, float)) and math.isfinite(v)  # noqa: E731
    keys = [k for k in BY_STEP if all(finite(latest[s].get(k)) for s in steps)][:4]
    if len(steps) >= 2 and keys:
        panels = [images.line_plot([(key, steps, [latest[s][key] for s in steps])], title=key,
                                   xlabel="step", size=(480, 200)) for key in keys]
        width = max(p.shape[1] for p in panels)
        panels = [np.pad(p, [(0, 0), (0, width - p.shape[1]), (0, 0)], constant_values=255) for p in panels]
        written.append(images.write_png(os.path.join(run_dir, "metrics_by_step.png"), np.concatenate(panels)))
    return written


# --------------------------------------------------------------------- board
def cmd_board(args):
    """Runs TensorBoard on the run's logs at 127.0.0.1 until Ctrl-C."""
    import signal
    import subprocess

    log_dir = os.path.join(args.run_dir, "tensorboard")
    if not os.path.isdir(log_dir):
        raise CLIError(f"No TensorBoard logs in {log_dir}: train with --out {args.run_dir} first.")
    command = [sys.executable, "-m", "tensorboard.main", "--logdir", log_dir, "--host", "127.0.0.1",
               "--port", str(args.port)]
    server = subprocess.Popen(command)
    print(f"TensorBoard for {args.run_dir}: http://127.0.0.1:{args.port}/  (Ctrl-C stops it)", flush=True)
    try:
        code = server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        print("TensorBoard stopped.")
        return 0
    if code:
        raise CLIError(f"TensorBoard exited with status {code} (is port {args.port} in use? Try --port).")
    return 0


# ---------------------------------------------------------------------- main
class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Shows each option's default and keeps the examples' line breaks."""



def _sampling_options(parser, truncation=True):
    """`--truncation` and `--no-standing-stats`, shared by sample, evaluate and export."""
    if truncation:
        parser.add_argument("--truncation", type=float,
                            help="draw latents from N(0, I) truncated to |z_i| <= T (BigGAN's trick; N(0, I) priors)")
    parser.add_argument("--no-standing-stats", dest="standing_stats", action="store_false",
                        help="models with an EMA generator and BatchNorm: keep the trained network's BatchNorm "
                             "statistics instead of recomputing them from the EMA generator's own passes")

def build_parser():
    parser = argparse.ArgumentParser(
        prog="keras-gan", description="Train, sample and serve GANs. `keras-gan COMMAND --help` describes a command.",
        epilog="examples:\n  keras-gan list\n  keras-gan train dcgan-digits\n  keras-gan sample runs/dcgan-digits\n"
               "  keras-gan board runs/dcgan-digits\n  keras-gan export runs/dcgan-digits --serving-dir serving",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"keras-gan {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--verbose", action="store_true", help="show TensorFlow's start-up and C++ log lines")
    sub.add_parser("list", parents=[common], help="list the zoo's presets", epilog='example:\n  keras-gan list', formatter_class=_HelpFormatter)

    train = sub.add_parser("train", parents=[common], help="train a preset (resumes an existing run directory)", epilog='examples:\n  keras-gan train gan-ring8\n  keras-gan train dcgan-mnist --steps 10000 --out runs/mine\n  keras-gan train gan-ring8 --set pack=2 --set lr_decay=0.5 --out runs/pac2\n  keras-gan train cyclegan-digits --out runs/translate\n  keras-gan train cyclegan-horse2zebra --data folder:horses --data-b folder:zebras',
                           formatter_class=_HelpFormatter)
    train.add_argument("name", help="a preset (keras-gan list)")
    train.add_argument("--data", help="data source (default: the preset's); for translation: domain A, or a "
                                      "two-domain source (digits_pair, mnist_pair, digits_tone_pair, mnist_tone_pair, "
                                      "tfds:cycle_gan/NAME)")
    train.add_argument("--data-b", help="translation models: the data source of domain B (e.g. folder:ZEBRAS)")
    train.add_argument("--data-dir", help="folder of the data files (mnist, tfds)")
    length = train.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, help="generator updates to train")
    length.add_argument("--epochs", type=int, help="epochs of the preset's steps_per_epoch")
    train.add_argument("--batch-size", type=int, help="global batch per discriminator update")
    train.add_argument("--out", help="run directory (default runs/NAME)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                       help="change the preset (repeatable): an architecture size, a model option or a rate, as "
                            "zoo.build takes them, e.g. --set pack=2 --set lr_decay=0.5 (values are JSON or text)")
    train.add_argument("--strategy", default="default", choices=["default", "mirrored", "multiworker", "tpu"])
    train.add_argument("--tpu", help="TPU name or address for --strategy tpu")
    train.add_argument("--checkpoint-every", type=int, help="steps between checkpoints (default: an epoch)")
    train.add_argument("--keep-checkpoints", type=int, default=3, help="how many recent checkpoints to keep (>= 1)")
    train.add_argument("--on-nan", default="stop", choices=["stop", "rollback"],
                       help="on a NaN/inf loss: stop, or roll back to the last checkpoint with lower learning rates")
    train.add_argument("--rollback-lr-factor", type=float, default=0.5)
    train.add_argument("--max-rollbacks", type=int, default=3)
    train.add_argument("--mixed-precision", nargs="?", const="float16", choices=["float16", "bfloat16"],
                       help="train with Keras's mixed_float16 (default) or mixed_bfloat16 policy")
    jit = train.add_mutually_exclusive_group()
    jit.add_argument("--jit-compile", dest="jit_compile", action="store_true", default=None,
                     help="compile train steps with XLA (default: the preset's setting)")
    jit.add_argument("--no-jit-compile", dest="jit_compile", action="store_false")
    train.add_argument("--log-every", type=int,
                       help="under a pipe or in a log: a progress line every N steps (default: ~50 lines a run)")
    train.add_argument("--deterministic", action="store_true",
                       help="enable TensorFlow op determinism (bit-exact resume; slower)")

    sample = sub.add_parser("sample", parents=[common], help="draw samples of a trained run into a PNG, or translate images", epilog='examples:\n  keras-gan sample runs/gan-ring8 --n 2500\n  keras-gan sample runs/cgan-mnist --out grid.png --scale 4\n  keras-gan sample runs/cgan-mnist --label 7\n  keras-gan sample runs/biggan-mnist --truncation 0.5\n  keras-gan sample runs/stylegan-mnist --psi 0.7\n  keras-gan sample runs/cyclegan-digits --input my_digits/ --direction a2b --out translated/',
                           formatter_class=_HelpFormatter)
    sample.add_argument("run_dir", help="a run directory made by keras-gan train (e.g. runs/NAME)")
    sample.add_argument("--n", type=int, default=64)
    sample.add_argument("--out", help="PNG path (default RUN_DIR/samples/sample.png); with --input, a folder "
                                      "(default RUN_DIR/translated/DIRECTION)")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--label", type=int, help="class-conditional models: draw only class K")
    sample.add_argument("--scale", type=int, help="enlarge images this many times (default: to >= 512 px wide)")
    sample.add_argument("--input", help="translation models: an image file or a folder of images to translate")
    sample.add_argument("--direction", default="a2b", choices=["a2b", "b2a"],
                        help="with --input: a2b (domain A to B) or b2a")
    _sampling_options(sample)
    sample.add_argument("--psi", type=float, help="StyleGAN: truncation in W, w_avg + psi (w - w_avg) (e.g. 0.7)")

    ev = sub.add_parser("evaluate", parents=[common], help="sample-quality metrics of a run -> RUN_DIR/metrics.json", epilog='example:\n  keras-gan evaluate runs/dcgan-mnist --n 5000',
                           formatter_class=_HelpFormatter)
    ev.add_argument("run_dir", help="a run directory made by keras-gan train (e.g. runs/NAME)")
    ev.add_argument("--n", type=int, help="samples (default 2500 for 2-D mixtures, 2000 for images)")
    ev.add_argument("--seed", type=int, default=0)
    ev.add_argument("--data-dir", help="override the run's data folder")
    ev.add_argument("--inception", help="also InceptionV3 FID/IS: 'imagenet' (downloads) or a weights file")
    _sampling_options(ev)

    exp = sub.add_parser("export", parents=[common], help="export the generator as a SavedModel for TF Serving", epilog='example:\n  keras-gan export runs/dcgan-digits --serving-dir serving --version 2 --overwrite',
                           formatter_class=_HelpFormatter)
    exp.add_argument("run_dir", help="a run directory made by keras-gan train (e.g. runs/NAME)")
    exp.add_argument("--serving-dir", required=True, help="the model server's base folder (written: NAME/VERSION/)")
    exp.add_argument("--name", help="the model's name under --serving-dir (default: the run's preset)")
    exp.add_argument("--version", type=int, help="version number (default: one more than the largest there)")
    exp.add_argument("--overwrite", action="store_true", help="replace an existing --version (swapped in atomically)")
    _sampling_options(exp, truncation=False)
    board = sub.add_parser("board", parents=[common], help="run TensorBoard on a run's logs at 127.0.0.1 (Ctrl-C stops it)", epilog='example:\n  keras-gan board runs/dcgan-mnist --port 6007',
                           formatter_class=_HelpFormatter)
    board.add_argument("run_dir", help="a run directory made by keras-gan train (e.g. runs/NAME)")
    board.add_argument("--port", type=int, default=6006, help="port on 127.0.0.1 (default 6006)")
    return parser


COMMANDS = {"list": cmd_list, "train": cmd_train, "sample": cmd_sample, "evaluate": cmd_evaluate,
            "export": cmd_export, "board": cmd_board}


def main(argv=None):
    args = build_parser().parse_args(argv)
    _import_tensorflow(args.verbose)
    try:
        return COMMANDS[args.command](args)
    except OSError as e:
        if e.errno is None:  # raised with a message of ours (e.g. an existing export version)
            print(f"keras-gan {args.command}: error: {e}", file=sys.stderr)
        else:  # a path the system refused: name it
            where = f" {e.filename}" if e.filename else ""
            print(f"keras-gan {args.command}: error: cannot use{where}: {e.strerror or e}. Choose another path.",
                  file=sys.stderr)
        return 2
    except (CLIError, ValueError) as e:
        print(f"keras-gan {args.command}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
