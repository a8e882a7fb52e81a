"""Callbacks for `model.fit` of the adversarial models."""

import os

import keras
import numpy as np
import tensorflow as tf

from keras_gan import images


class SampleGrid(keras.callbacks.Callback):
    """Draws samples from fixed latents every N steps: a PNG and a TensorBoard image.

    Images are tiled in a grid (one labelled row per class for a conditional
    model, the step above it); 2-D points are drawn as a scatter plot over real
    data. The model's own `pictures` (e.g. MEG's energy heat map) are written
    beside them as `NAME_step_XXXXXXX.png` and TensorBoard images `NAME`.

    Args:
        run_dir: samples go to `run_dir/samples/step_XXXXXXX.png`.
        every_n_steps: draw every N training steps; None: at each epoch end.
        n: number of samples (fixed latents from `seed`).
        seed: seed of the fixed latents.
        log_dir: TensorBoard folder for an image summary named `samples`;
            None: no summary.
        reference: real 2-D points to draw under generated ones.
        inputs: what a translation model translates for its grid (CycleGAN:
            `(images_a, images_b)`, see `CycleGAN.preview`); None for
            latent-variable models.
    """

    def __init__(
        self, run_dir, every_n_steps=None, n=64, seed=0, log_dir=None, reference=None, inputs=None
    ):
        super().__init__()
        self.run_dir = run_dir
        self.every_n_steps = every_n_steps
        self.n, self.seed = int(n), int(seed)
        self.log_dir = log_dir
        self.reference = reference
        self.inputs = inputs
        self._writer = None
        self._last_step = None

    def _draw(self):
        step = self.model.step
        self._last_step = step
        samples, per_row = self.model.preview(self.n, seed=self.seed, inputs=self.inputs)
        if not np.isfinite(samples).all():  # a diverged model: nothing to draw
            return None
        pic = images.picture(
            samples,
            reference=self.reference,
            columns=per_row,
            row_labels=self.model.preview_labels(self.n),
            title=f"step {step}",
            column_labels=self.model.preview_column_labels(self.n),
        )
        path = images.write_png(os.path.join(self.run_dir, "samples", f"step_{step:07d}.png"), pic)
        extras = self.model.pictures(reference=self.reference, seed=self.seed)
        for name, extra in extras.items():
            images.write_png(
                os.path.join(self.run_dir, "samples", f"{name}_step_{step:07d}.png"), extra
            )
        if self.log_dir:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "samples"))
            with self._writer.as_default():
                tf.summary.image("samples", pic[None], step=step)
                for name, extra in extras.items():
                    tf.summary.image(name, extra[None], step=step)
            self._writer.flush()
        return path

    def on_train_batch_end(self, batch, logs=None):
        if self.every_n_steps and self.model.step % self.every_n_steps == 0:
            self._draw()

    def on_epoch_end(self, epoch, logs=None):
        if not self.every_n_steps:
            self._draw()

    def on_train_end(self, logs=None):
        if self.every_n_steps and self._last_step != self.model.step:  # the last step, off the grid
            self._draw()


class ProgressLine(keras.callbacks.Callback):
    """Prints one line every N steps: step, losses, steps/s and the time left.

    For logs and pipes, where Keras's progress bar would print one line per
    epoch (or a bar redrawn with carriage returns). Steps are the model's
    absolute steps, so a resumed run counts on from where it stopped.

    Args:
        total: the step the run ends at.
        every_n_steps: print every N steps (and at the last step).
        print_fn: where lines go (default `print`).
    """

    def __init__(self, total, every_n_steps, print_fn=print):
        super().__init__()
        if int(every_n_steps) < 1:
            raise ValueError(f"every_n_steps must be a positive integer. Received: {every_n_steps}")
        self.total, self.every_n_steps, self.print_fn = int(total), int(every_n_steps), print_fn

    def on_train_begin(self, logs=None):
        import time

        self._clock, self._start, self._t0 = time.monotonic, None, None

    def on_train_batch_end(self, batch, logs=None):
        step = self.model.step
        if self._start is None:  # the rate counts from the end of the first step: not compiling
            self._start, self._t0 = step, self._clock()
        if step % self.every_n_steps and step < self.total:
            return
        elapsed = max(self._clock() - self._t0, 1e-9)
        rate = (step - self._start) / elapsed
        left = (self.total - step) / rate if rate > 0 else float("inf")
        if step >= self.total:
            left = 0.0
        elif step == self._start:
            rate = float("nan")  # one step seen: its time was mostly the compilation
        values = "  ".join(
            f"{k} {float(v):.4g}" for k, v in (logs or {}).items() if np.ndim(v) == 0
        )
        speed = f"{rate:.2f}" if np.isfinite(rate) else "?"
        self.print_fn(
            f"step {step}/{self.total} ({100 * step / self.total:.0f}%)  {values}  {speed} "
            f"steps/s  ETA {_duration(left)}",
            flush=True,
        )


def _duration(seconds):
    if not np.isfinite(seconds):
        return "?"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m" if hours else f"{rest // 60}m{rest % 60:02d}s"


class ExportGenerator(keras.callbacks.Callback):
    """Exports the generator for TF Serving at the end of `fit` (and every N epochs).

    Each export is a new version `serving_dir/name/VERSION/` (see
    `export.export_generator`); `serving_dir/models.config` is rewritten to
    list every model there.

    Args:
        serving_dir: the model server's base directory.
        name: the model's name under `serving_dir`.
        every_n_epochs: also export after every N-th epoch; None: only at the end.
        standing_statistics: for a model serving an EMA generator with
            BatchNorm, recompute its statistics first
            (`keras_gan.standing_statistics`).
    """

    def __init__(self, serving_dir, name, every_n_epochs=None, standing_statistics=True):
        super().__init__()
        self.serving_dir, self.name, self.every_n_epochs = serving_dir, name, every_n_epochs
        self.standing_statistics = standing_statistics
        self.paths = []
        self._exported_step = None

    def _export(self):
        from keras_gan import export

        step = self.model.step
        if step == self._exported_step:  # the last epoch was just exported
            return
        _standing_statistics(self.model, self.standing_statistics)
        self.paths.append(export.export_generator(self.model, self.serving_dir, self.name))
        export.write_models_config(self.serving_dir)
        self._exported_step = step

    def on_epoch_end(self, epoch, logs=None):
        if self.every_n_epochs and (epoch + 1) % self.every_n_epochs == 0:
            self._export()

    def on_train_end(self, logs=None):
        if not self.model.stop_training:  # a NaN-stopped model is not exported
            self._export()


class MetricsMonitor(keras.callbacks.Callback):
    """Computes `keras-gan evaluate`'s metrics every N epochs during `fit`.

    Figures go to TensorBoard (`log_dir/eval`) and into the epoch's logs as
    `eval_<metric>` (so `History` and other callbacks see them).

    Args:
        source: the data source the model trains on (e.g. `"mnist"`).
        every_n_epochs: evaluate after every N-th epoch.
        n: samples per evaluation.
        data_dir: data folder of the source.
        log_dir: TensorBoard folder; None: logs only.
        standing_statistics: as `ExportGenerator`'s.
        features: image data: `"inception-2015"`, `"keras-inception"` or `"classifier"`, as
            `keras-gan evaluate --features` (None: `metrics.features.default_features`). The
            network and the real images' reference are made once, at the first evaluation.
        features_file: the feature network's file (`metrics.features.load_features`).
        reference_stats: a TTUR statistics file to score against (network features).
    """

    def __init__(
        self,
        source,
        every_n_epochs=1,
        n=None,
        data_dir=None,
        log_dir=None,
        standing_statistics=True,
        features=None,
        features_file=None,
        reference_stats=None,
    ):
        super().__init__()
        self.standing_statistics = standing_statistics
        self.source, self.every_n_epochs, self.n, self.data_dir = (
            source,
            every_n_epochs,
            n,
            data_dir,
        )
        self.log_dir = log_dir
        self.features, self.features_file = features, features_file
        self.reference_stats = reference_stats
        self._classifier, self._net, self._reference = None, None, None
        self._writer = None

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        from keras_gan import data
        from keras_gan.metrics import DomainClassifier, evaluate_model, features
        from keras_gan.metrics.evaluate import network_metrics, real_reference
        from keras_gan.runs import image_size

        own_protocol = data.is_unpaired(self.source) or self.source in (
            *data.MIXTURES,
            "mixture1d",
            "stacked_mnist",
        )
        name = self.features
        if name is None and not own_protocol:
            labelled = data.has_labels(self.source, self.data_dir)
            name = features.default_features(labelled, self.features_file)
        _standing_statistics(self.model, self.standing_statistics)
        if name in (None, "classifier") or data.is_unpaired(self.source):
            if name == "classifier" and self._classifier is None:
                x, y = data.load_arrays(self.source, data_dir=self.data_dir)
                self._classifier = DomainClassifier(x, y, key=self.source)
            result = evaluate_model(
                self.model,
                self.source,
                data_dir=self.data_dir,
                n=self.n,
                classifier=self._classifier,
                features=None if name == "classifier" else name,
                features_file=self.features_file,
            )["generated"]
        else:
            if self._net is None:
                self._net = features.load_features(name, self.features_file)
                self._reference = real_reference(
                    self._net,
                    self.source,
                    self.data_dir,
                    image_size=image_size(self.model),
                    reference_stats=self.reference_stats,
                )
            result = network_metrics(self.model, self._net, self._reference, n=self.n)["generated"]
        step = self.model.step
        if self.log_dir:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "eval"))
            with self._writer.as_default():
                for key, value in result.items():
                    tf.summary.scalar(f"generated/{key}", value, step=step)
            self._writer.flush()
        if logs is not None:
            logs.update({f"eval_{k}": v for k, v in result.items()})


def _standing_statistics(model, enabled):
    """Recomputes the served EMA generator's BatchNorm statistics where the model has them.

    The next generator update copies the trained network's statistics back, so
    training is unaffected.
    """
    from keras_gan import standing

    if enabled:
        standing.standing_statistics_where_needed(model)


def _model_step(model):
    return model.step


class NaNGuard(keras.callbacks.Callback):
    """Stops training at the first NaN or infinite loss or metric.

    Unlike `keras.callbacks.TerminateOnNaN`, which only reads a `loss` key
    (adversarial models log `d_loss` and `g_loss` instead), it checks every
    value in the batch logs. After `fit` returns, `failure` holds a message
    naming the step and the value (None when training stayed finite).
    """

    def __init__(self):
        super().__init__()
        self.failure = None
        self.step = None

    def on_train_begin(self, logs=None):
        self.failure, self.step = None, None

    def on_train_batch_end(self, batch, logs=None):
        bad = {
            k: float(v)
            for k, v in (logs or {}).items()
            if np.ndim(v) == 0 and not np.isfinite(float(v))
        }
        if bad:
            self.step = _model_step(self.model)
            values = ", ".join(f"{k}={v}" for k, v in sorted(bad.items()))
            self.failure = f"Non-finite value at step {self.step}: {values}."
            print(f"\n{self.failure} Stopping.")
            self.model.stop_training = True


class StepCheckpoint(keras.callbacks.Callback):
    """Saves the whole training state every N steps (see `keras_gan.checkpoints`).

    Nothing non-finite is ever written: when the batch logs hold a NaN or
    infinite value, or a variable does, training stops instead (`failure`
    says why) and the last good checkpoint stays as it is. The final step is
    saved at the end of `fit` when training stayed finite.

    Args:
        checkpoints: a `keras_gan.checkpoints.Checkpoints`.
        every_n_steps: save when the step count is a multiple of N.
    """

    def __init__(self, checkpoints, every_n_steps=500):
        super().__init__()
        if int(every_n_steps) < 1:
            raise ValueError(f"every_n_steps must be a positive integer. Received: {every_n_steps}")
        self.checkpoints, self.every_n_steps = checkpoints, int(every_n_steps)
        self.failure = None

    def on_train_begin(self, logs=None):
        self.failure = None

    def _save(self):
        step = _model_step(self.model)
        if step == self.checkpoints.latest_step():
            return
        try:
            self.checkpoints.save(self.model, step)
        except ValueError as e:
            self.failure = str(e)
            print(f"\n{e} Stopping.")
            self.model.stop_training = True

    def on_train_batch_end(self, batch, logs=None):
        if any(np.ndim(v) == 0 and not np.isfinite(float(v)) for v in (logs or {}).values()):
            self.failure = (
                self.failure or f"Non-finite logs at step {_model_step(self.model)}: not saved."
            )
            return
        if _model_step(self.model) % self.every_n_steps == 0:
            self._save()

    def on_train_end(self, logs=None):
        if self.failure is None:
            self._save()


class StopAtStep(keras.callbacks.Callback):
    """Stops `fit` once the model has made `steps` generator updates in all."""

    def __init__(self, steps):
        super().__init__()
        self.steps = int(steps)

    def on_train_batch_end(self, batch, logs=None):
        if _model_step(self.model) >= self.steps:
            self.model.stop_training = True


class ScalarLogger(keras.callbacks.Callback):
    """Writes the batch logs (losses, D outputs), learning rates and speed to TensorBoard every N
    steps.

    The step of each point is the model's step, so a resumed run continues
    its curves where they stopped (`keras.callbacks.TensorBoard` counts
    batches from 0 in each `fit`). Loss values are Keras's running means over
    the current epoch. Besides the logs: `learning_rate/<optimizer>` for each
    optimizer the model holds (`g_optimizer`, `d_optimizer`, ...), and
    `speed/steps_per_second` and `speed/images_per_second` (wall clock, over
    the steps since the last point).

    Args:
        log_dir: TensorBoard folder; scalars go to `log_dir/train`.
        every_n_steps: write every N steps.
        batch_size: examples per step (the global batch), for images/s.
    """

    def __init__(self, log_dir, every_n_steps=10, batch_size=None):
        super().__init__()
        self.log_dir, self.every_n_steps = log_dir, int(every_n_steps)
        self.batch_size = batch_size
        self._writer = None
        self._last = None
        self._mark = None

    def on_train_begin(self, logs=None):
        import time

        self._mark = (time.monotonic(), _model_step(self.model))

    def _rates(self):
        out = {}
        for name, value in vars(self.model).items():
            if isinstance(value, keras.optimizers.Optimizer):
                out[f"learning_rate/{name}"] = float(np.asarray(value.learning_rate))
        return out

    def _write(self, step, logs):
        import time

        if self._writer is None:
            self._writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "train"))
        scalars = {k: float(v) for k, v in logs.items() if np.ndim(v) == 0}
        scalars.update(self._rates())
        now = time.monotonic()
        if self._mark is not None and step > self._mark[1] and now > self._mark[0]:
            steps_per_second = (step - self._mark[1]) / (now - self._mark[0])
            scalars["speed/steps_per_second"] = steps_per_second
            if self.batch_size:
                scalars["speed/images_per_second"] = steps_per_second * self.batch_size
        self._mark = (now, step)
        with self._writer.as_default():
            for key, value in scalars.items():
                tf.summary.scalar(key, value, step=step)

    def on_train_batch_end(self, batch, logs=None):
        step = _model_step(self.model)
        if not logs:
            return
        if step % self.every_n_steps == 0:
            self._write(step, logs)
            self._last = None
        else:
            self._last = (step, dict(logs))

    def on_train_end(self, logs=None):
        if self._last is not None:  # the final step, when it is not a multiple of N
            self._write(*self._last)
        if self._writer is not None:
            self._writer.flush()


class SaveModel(keras.callbacks.Callback):
    """Saves the model as a `.keras` file at each epoch end and at the end of `fit`.

    The file is written under a temporary name and renamed into place, and
    only when every value of the state and of the epoch's logs is finite, so
    the file always holds the last good model.

    Args:
        path: the `.keras` file.
    """

    def __init__(self, path):
        super().__init__()
        if not str(path).endswith(".keras"):
            raise ValueError(f"path must end in .keras. Received: {path}")
        self.path = path
        self._finite_logs = True
        self._saved_step = None

    def on_train_batch_end(self, batch, logs=None):
        self._finite_logs = all(np.ndim(v) or np.isfinite(float(v)) for v in (logs or {}).values())

    def _save(self):
        from keras_gan import files
        from keras_gan.checkpoints import state_bytes, state_is_finite

        step = _model_step(self.model)
        if step == self._saved_step or not self._finite_logs or not state_is_finite(self.model):
            return
        tmp = os.path.join(
            os.path.dirname(os.path.abspath(self.path)), f".tmp-{os.getpid()}-model.keras"
        )
        try:
            files.check_free_space(os.path.dirname(tmp), state_bytes(self.model), self.path)
            self.model.save(tmp)
            os.replace(tmp, self.path)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
        self._saved_step = step

    def on_epoch_end(self, epoch, logs=None):
        self._save()

    def on_train_end(self, logs=None):
        self._save()
