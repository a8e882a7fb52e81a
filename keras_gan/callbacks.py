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
