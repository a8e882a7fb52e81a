"""The training driver: a preset trained into a run directory, with checkpoints, resume, a NaN
guard with rollback, TensorBoard and sample grids. `keras-gan train` is this function."""

import math
import os
import sys

from keras_gan.runs.directory import RunDir, RunError
from keras_gan.runs.lock import RunLock
from keras_gan.runs.strategy import make_strategy, task


def train(
    name,
    *,
    out=None,
    data=None,
    data_b=None,
    data_dir=None,
    steps=None,
    epochs=None,
    batch_size=None,
    seed=0,
    overrides=None,
    strategy="default",
    tpu=None,
    startup_timeout=300,
    checkpoint_every=None,
    keep_checkpoints=3,
    on_nan="stop",
    rollback_lr_factor=0.5,
    max_rollbacks=3,
    mixed_precision=None,
    jit_compile=None,
    log_every=None,
    deterministic=False,
    restart=False,
):
    """Trains the zoo preset `name` into a run directory, resuming it if it exists.

    Args:
        name: a preset (`keras_gan.zoo.names()`).
        out: the run directory (default `runs/NAME`).
        data, data_b: the data source (default: the preset's); `data_b` is domain B of a
            translation model.
        data_dir: the folder of the data files (mnist, tfds).
        steps, epochs: the length in generator updates, or in epochs of the preset's
            `steps_per_epoch` (default: the preset's length).
        batch_size: the global batch of a discriminator update (default: the preset's).
        seed: seeds the weights and the data order.
        overrides: a dict of preset changes, as `zoo.build` takes them.
        strategy: `default`, `mirrored`, `multiworker` or `tpu` (`tpu`: its name or address).
        startup_timeout: `multiworker`: seconds to wait for every worker of the cluster.
        checkpoint_every: steps between checkpoints (default: an epoch); `keep_checkpoints` of
            them are kept.
        on_nan: `stop` or `rollback` (to the last checkpoint, the learning rates multiplied by
            `rollback_lr_factor`, at most `max_rollbacks` times).
        mixed_precision: None, `float16` or `bfloat16`.
        jit_compile: XLA for the train steps (default: the preset's).
        log_every: without a terminal, a progress line every N steps (default: ~50 a run).
        deterministic: TensorFlow op determinism (bit-exact resume; slower).
        restart: train from step 0 a run directory whose checkpoints are all unreadable, or that
            holds a `model.keras` but no checkpoint (it is kept as `model.keras.before-restart`).
            Without it such a run is refused.

    Returns:
        The trained model.

    Example:

    >>> from keras_gan import runs
    >>> model = runs.train("gan-ring8", steps=100, out="runs/ring")
    """
    from keras_gan import zoo

    preset = zoo.spec(name)
    _check_options(locals())
    run = RunDir(out or os.path.join("runs", name))
    config = {
        "model": name,
        "data": data or preset.dataset,
        "data_b": data_b,
        "data_dir": data_dir or preset.data_dir,
        "batch_size": batch_size or preset.batch_size,
        "steps": steps,
        "epochs": epochs,
        "seed": seed,
        "strategy": strategy,
        "overrides": dict(overrides) if overrides else None,
    }
    if steps is not None:
        total = steps
    else:
        total = epochs * preset.steps_per_epoch if epochs is not None else preset.steps
    config["steps_per_epoch"] = min(preset.steps_per_epoch, total)

    import keras
    import tensorflow as tf

    if deterministic:
        tf.config.experimental.enable_op_determinism()
    keras.utils.set_random_seed(seed)
    if mixed_precision:
        keras.mixed_precision.set_global_policy(f"mixed_{mixed_precision}")
    distribution = make_strategy(strategy, tpu, startup_timeout)
    chief, task_id = task(distribution)
    # Everything is checked (the run directory's identity, the model, the data) before anything
    # is written, so a failed first attempt leaves no config.json that would refuse the
    # corrected command.
    run.check(config, write=False)

    lock = RunLock(run.path) if chief else None  # one writer: refused at once if taken
    try:
        from keras_gan import callbacks as gan_callbacks
        from keras_gan import checkpoints

        build_args = {**(config["overrides"] or {}), "seed": seed}
        if jit_compile is not None:
            build_args["jit_compile"] = jit_compile
        with distribution.scope():
            model = zoo.build(name, steps=total, **build_args)
        check_domains(model, config)
        first_dataset = training_data(model, config, seed)
        check_data_fits(model, first_dataset, config)
        preview = preview_inputs(config, model)
        # Only the chief writes (checkpoints, TensorBoard, samples, model.keras); the other workers
        # read its checkpoints to resume.
        run.check(config, write=chief)
        per_epoch = config["steps_per_epoch"]
        every = checkpoint_every or per_epoch
        ckpts = checkpoints.Checkpoints(run.checkpoint_dir, keep=keep_checkpoints)
        start = ckpts.restore(model, restart=restart) or 0
        if start == 0 and chief and os.path.exists(run.model_path):
            if not restart:
                raise RunError(
                    f"{run.path} holds a trained {os.path.basename(run.model_path)} but no "
                    "checkpoint to resume from: training from step 0 would replace it. Move the "
                    "run directory away, or pass --restart (the model is kept as "
                    "model.keras.before-restart)."
                )
            os.replace(run.model_path, run.model_path + ".before-restart")
            print(f"Restarting from step 0; the previous model is {run.model_path}.before-restart.")
        if start >= total:
            if chief and not os.path.exists(run.model_path):
                model.save(run.model_path)  # e.g. moved away because it was damaged
                print(f"Wrote {run.model_path} from the checkpoint of step {start}.")
            print(
                f"{run.path} is already trained to step {start} (asked: {total}); raise --steps to "
                "continue."
            )
            return model
        reference = mixture_reference(config["data"])
        print(
            f"{'Resuming' if start else 'Training'} {name}"
            f"{f' at step {start}' if start else ''} in {run.path}: {total} steps (epochs of "
            f"{per_epoch}), checkpoints every {every}, batch "
            f"{config['batch_size']}, data {config['data']}, {distribution.num_replicas_in_sync} "
            "replica(s)" + ("" if chief else f", worker {task_id} (not writing)")
        )
        if chief:
            print(
                f"Watch it: keras-gan board {run.path}   (or: tensorboard --logdir {run.log_dir})"
            )
        rollbacks = 0
        while True:
            guard = gan_callbacks.NaNGuard()
            saver = gan_callbacks.StepCheckpoint(ckpts, every_n_steps=every)
            callbacks = [guard, gan_callbacks.StopAtStep(total)]
            if not sys.stdout.isatty():  # a pipe or a log: one line every log_every steps
                every_line = log_every or max(1, round(total / 50))
                callbacks.append(gan_callbacks.ProgressLine(total, every_line))
            if chief:
                callbacks += [
                    saver,
                    gan_callbacks.ScalarLogger(
                        run.log_dir, every_n_steps=10, batch_size=config["batch_size"]
                    ),
                    gan_callbacks.SampleGrid(
                        run.path,
                        every_n_steps=per_epoch,
                        log_dir=run.log_dir,
                        reference=reference,
                        n=2500 if reference is not None else 64,
                        inputs=preview,
                    ),
                    gan_callbacks.SaveModel(run.model_path),
                ]
            # The data stream is seeded: element s is what step s trains on, so skipping `start`
            # elements continues the stream of the first run.
            dataset = first_dataset if rollbacks == 0 else training_data(model, config, seed)
            try:
                model.fit(
                    dataset.skip(start),
                    initial_epoch=start // per_epoch,
                    epochs=math.ceil(total / per_epoch),
                    steps_per_epoch=per_epoch,
                    callbacks=callbacks,
                    shuffle=False,
                    verbose=1 if sys.stdout.isatty() else 0,
                )
            except KeyboardInterrupt as e:  # Ctrl-C, or SIGTERM under `keras-gan`
                kept = ckpts.latest_step()
                raise type(e)(
                    f"stopped at step {model.step}; "
                    + (
                        "no checkpoint written yet"
                        if kept is None
                        else f"checkpoint step {kept} kept"
                    )
                    + "; the same command resumes."
                ) from None
            # Non-finite logs (the guard), or non-finite weights behind finite logs (the checkpoint
            # refused to save them): both take the NaN path.
            failure = guard.failure or (saver.failure if chief else None)
            if failure is None:
                break
            last = ckpts.latest_step()
            if on_nan != "rollback" or rollbacks >= max_rollbacks or last is None:
                raise RunError(_nan_advice(failure, on_nan, rollbacks, last, ckpts.directory))
            rollbacks += 1
            start = ckpts.restore(model)
            rates = [
                scale_learning_rate(model, optimizer, rollback_lr_factor)
                for optimizer in (model.g_optimizer, model.d_optimizer)
            ]
            print(f"Rolled back to step {start}; learning rates now {', '.join(rates)} (G, D).")
        print(
            f"Model: {run.model_path}; samples: {run.samples_dir}; TensorBoard: tensorboard "
            f"--logdir {run.log_dir}"
        )
        return model
    finally:
        if lock is not None:
            lock.release()


def _nan_advice(failure, on_nan, rollbacks, last, directory):
    """What a run that went non-finite can do next, said after `failure`."""
    if last is None:
        return (
            f"{failure} No checkpoint was written before it, so there is nothing to roll back "
            "to. Train again in a new --out with a lower learning rate (--set learning_rate=..., "
            "--set d_learning_rate=...; a run's overrides are fixed) or with --checkpoint-every "
            "smaller than the step it failed at."
        )
    if on_nan != "rollback":
        return (
            f"{failure} The last good checkpoint (step {last}) in {directory} is untouched; re-run "
            "the same command with --on-nan rollback to continue from it with lower learning "
            "rates."
        )
    return (
        f"{failure} Gave up after {rollbacks} rollbacks; the last good checkpoint (step {last}) in "
        f"{directory} is untouched. Raise --max-rollbacks, lower --rollback-lr-factor, or train "
        "again in a new --out with a lower learning rate."
    )


def _check_options(options):
    """Refuses impossible values of `train`'s options, naming the option and the value."""
    for key in (
        "steps",
        "epochs",
        "batch_size",
        "checkpoint_every",
        "keep_checkpoints",
        "log_every",
    ):
        value = options[key]
        if value is not None and value < 1:
            raise RunError(f"{key} must be a positive integer. Received: {value}")
    if not 0 < options["rollback_lr_factor"] <= 1:
        raise RunError(
            f"rollback_lr_factor must be in (0, 1]. Received: {options['rollback_lr_factor']}"
        )
    if options["max_rollbacks"] < 0:
        raise RunError(f"max_rollbacks must be >= 0. Received: {options['max_rollbacks']}")
    if options["startup_timeout"] <= 0:
        raise RunError(f"startup_timeout must be positive. Received: {options['startup_timeout']}")
    if options["on_nan"] not in ("stop", "rollback"):
        raise RunError(f"on_nan must be 'stop' or 'rollback'. Received: {options['on_nan']!r}")
    if options["steps"] is not None and options["epochs"] is not None:
        raise RunError("Give steps or epochs, not both.")


def mixture_reference(source, n=1000):
    """1,000 points of a 2-D mixture source drawn under its samples, or None for other data."""
    from keras_gan import data

    if source not in data.MIXTURES:
        return None
    return data.mixture(source).sample(n, seed=1)[0]


def _parts(structure):
    """The specs of a model's or a dataset's element, as a list."""
    return list(structure) if isinstance(structure, tuple) else [structure]


def image_size(model):
    """`(H, W)` of the images `model` trains on, or None for other data."""
    shape = image_shape(model)
    return shape[:2] if shape else None


def image_shape(model):
    """`(H, W, C)` of the images `model` trains on, or None for other data."""
    spec = _parts(model.data_spec())[0]
    return tuple(spec.shape[1:]) if spec.shape.rank == 4 else None


def training_data(model, config, seed):
    """The run's training stream (`config` as in `config.json`): two domains for translation
    data, else one source."""
    from keras_gan import data

    if data.is_unpaired(config["data"], config.get("data_b")):
        return data.load_unpaired(
            config["data"],
            config.get("data_b"),
            config["batch_size"],
            data_dir=config["data_dir"],
            seed=seed,
            repeat=True,
            image_size=image_size(model),
        )
    return data.load(
        config["data"],
        config["batch_size"],
        n_critic=model.n_critic,
        data_dir=config["data_dir"],
        seed=seed,
        repeat=True,
    )


def check_domains(model, config):
    """Refuses a second domain (`data_b`) for a model that translates none, and one source of a
    single domain for a model that translates between two."""
    from keras_gan import data

    translates = bool(model.capabilities().translations)
    if config.get("data_b") and not translates:
        raise RunError(
            f"--data-b is domain B of a translation model; {config['model']} trains on one "
            "source. Drop --data-b."
        )
    if translates and not data.is_unpaired(config["data"], config.get("data_b")):
        raise RunError(
            f"{config['model']} translates between two domains; {config['data']} is one. Give "
            f"domain B with --data-b, or a two-domain source ({', '.join(data.PAIRS)}, "
            "tfds:cycle_gan/NAME)."
        )


def check_data_fits(model, dataset, config):
    """Refuses data whose examples the model cannot take, naming both shapes."""
    want = [tuple(s.shape[1:]) for s in _parts(model.data_spec())]
    got = [tuple(s.shape[1:]) for s in _parts(dataset.element_spec)]
    source = config["data"] + (f" + {config['data_b']}" if config.get("data_b") else "")
    if len(got) < len(want):
        raise RunError(
            f"{config['model']} trains on {len(want)} tensors per example (e.g. images and "
            f"labels); the data {source} gives {len(got)}. Choose data with labels, or another "
            "preset."
        )
    for w, g in zip(want, got):
        if len(w) == 3 and w != g:
            raise RunError(
                f"The data {source} holds {g[0]}x{g[1]} images with {g[2]} channel(s), but "
                f"{config['model']} takes {w[0]}x{w[1]} with {w[2]} channel(s). Convert the images "
                "(size and channels), or choose a preset made for them (keras-gan list)."
            )


def preview_inputs(config, model, n=10):
    """What a translation run's sample grids translate: held-out images of a built-in pair, else
    the first `n` training images of each domain; None for other data."""
    from keras_gan import data

    if not data.is_unpaired(config.get("data"), config.get("data_b")):
        return None
    split = "test" if config["data"] in data.PAIRS else "train"
    arrays = data.unpaired_arrays(
        config["data"],
        config.get("data_b"),
        data_dir=config.get("data_dir"),
        split=split,
        image_size=image_size(model),
    )
    return tuple(x[:n] for x in arrays)


def scale_learning_rate(model, optimizer, factor):
    """Multiplies an optimizer's learning rate (or its `LinearDecay` schedule) by `factor`.

    Returns:
        The new rate as text.
    """
    import keras

    inner = getattr(optimizer, "inner_optimizer", optimizer)  # under a LossScaleOptimizer
    rate = inner.get_config()["learning_rate"]
    if isinstance(rate, dict):  # a serialized schedule
        schedule = keras.saving.deserialize_keras_object(rate)
        inner.learning_rate = schedule.scaled(factor)
        model.train_function = None  # the traced step read the old schedule
    else:
        inner.learning_rate = float(rate) * factor
    return f"{float(inner.learning_rate):.3g}"
