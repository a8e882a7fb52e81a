"""Callbacks for `model.fit` of the adversarial models."""

import os

import keras
import numpy as np
import tensorflow as tf

from keras_gan import images


class SampleGrid(keras.callbacks.Callback):
    """Draws samples from fixed latents every N steps: a PNG and a TensorBoard image.

    Images are tiled in a grid (one row per class for a conditional model);
    2-D points are drawn as a scatter plot over real data.

    Args:
        run_dir: samples go to `run_dir/samples/step_XXXXXXX.png`.
        every_n_steps: draw every N training steps; None: at each epoch end.
        n: number of samples (fixed latents from `seed`).
        seed: seed of the fixed latents.
        log_dir: TensorBoard folder for an image summary named `samples`;
            None: no summary.
        reference: real 2-D points to draw under generated ones.
    """

    def __init__(self, run_dir, every_n_steps=None, n=64, seed=0, log_dir=None, reference=None):
        super().__init__()
        self.run_dir = run_dir
        self.every_n_steps = every_n_steps
        self.n, self.seed = int(n), int(seed)
        self.log_dir = log_dir
        self.reference = reference
        self._writer = None

    def _draw(self):
        step = int(self.model.g_optimizer.iterations)
        if self.model.conditional:
            per_row = self.model.num_classes
            labels = np.arange(self.n) % per_row
        else:
            per_row, labels = None, None
        samples = self.model.generate(self.n, seed=self.seed, labels=labels)
        pic = images.picture(samples, reference=self.reference, columns=per_row)
        path = images.write_png(os.path.join(self.run_dir, "samples", f"step_{step:07d}.png"), pic)
        if self.log_dir:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "samples"))
            with self._writer.as_default():
                tf.summary.image("samples", pic[None], step=step)
            self._writer.flush()
        return path

    def on_train_batch_end(self, batch, logs=None):
        if self.every_n_steps and int(self.model.g_optimizer.iterations) % self.every_n_steps == 0:
            self._draw()

    def on_epoch_end(self, epoch, logs=None):
        if not self.every_n_steps:
            self._draw()


class ExportGenerator(keras.callbacks.Callback):
    """Exports the generator for TF Serving at the end of `fit` (and every N epochs).

    Each export is a new version `serving_dir/name/VERSION/` (see
    `export.export_generator`); `serving_dir/models.config` is rewritten to
    list every model there.

    Args:
        serving_dir: the model server's base directory.
        name: the model's name under `serving_dir`.
        every_n_epochs: also export after every N-th epoch; None: only at the end.
    """

    def __init__(self, serving_dir, name, every_n_epochs=None):
        super().__init__()
        self.serving_dir, self.name, self.every_n_epochs = serving_dir, name, every_n_epochs
        self.paths = []
        self._exported_step = None

    def _export(self):
        import export

        step = int(self.model.g_optimizer.iterations)
        if step == self._exported_step:  # the last epoch was just exported
            return
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
    """

    def __init__(self, source, every_n_epochs=1, n=None, data_dir=None, log_dir=None):
        super().__init__()
        self.source, self.every_n_epochs, self.n, self.data_dir = source, every_n_epochs, n, data_dir
        self.log_dir = log_dir
        self._classifier = None
        self._writer = None

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        from keras_gan import data
        from keras_gan.metrics import DomainClassifier, evaluate_model

        if self._classifier is None and self.source not in data.MIXTURES:
            x, y = data.load_arrays(self.source, data_dir=self.data_dir)
            self._classifier = DomainClassifier(x, y, key=self.source)
        result = evaluate_model(self.model, self.source, data_dir=self.data_dir, n=self.n,
                                classifier=self._classifier)["generated"]
        step = int(self.model.g_optimizer.iterations)
        if self.log_dir:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "eval"))
            with self._writer.as_default():
                for key, value in result.items():
                    tf.summary.scalar(f"generated/{key}", value, step=step)
            self._writer.flush()
        if logs is not None:
            logs.update({f"eval_{k}": v for k, v in result.items()})
