"""Step checkpoints of a training run: atomic, the last K kept, never a non-finite state.

A checkpoint `ckpt-STEP.weights.h5` holds the whole training state of an
adversarial model: both networks (and any EMA copy or extra network the
scheme owns), both optimizers with their step counters and learning rates,
and the power-iteration vectors of spectral normalization. The random draws
of a step are a function of `(model.seed, step)` (see `models/base.py`), and
`keras_gan.data.load` is a seeded stream that `skip(step)` repositions, so a
run restored from step s and fed the data stream from element s continues
exactly as the uninterrupted run would have.

Each file is written under a temporary name in the same folder and renamed
into place, so a process killed while writing leaves the previous
checkpoints intact and never a half-written one under a checkpoint's name.
"""

import glob
import os
import re
import warnings

import numpy as np

from keras_gan import files

_NAME = re.compile(r"^ckpt-(\d{9})\.weights\.h5$")


def _intact_hdf5(path):
    """Whether `path` is an HDF5 file whose whole structure can be read."""
    import h5py

    try:
        with h5py.File(path, "r") as f:
            f.visit(lambda name: None)
        return True
    except Exception:  # not HDF5, truncated, or unreadable
        return False


def state_is_finite(model):
    """Whether every variable of `model` (networks and optimizers) is finite."""
    for variable in _state_variables(model):
        value = np.asarray(variable.numpy() if hasattr(variable, "numpy") else variable)
        if np.issubdtype(value.dtype, np.floating) and not np.isfinite(value).all():
            return False
    return True


def _itemsize(dtype):
    """Bytes per element of a Keras dtype name (`float32` 4, `bfloat16` 2, `bool` 1)."""
    bits = re.search(r"\d+", str(dtype))
    return int(bits.group()) // 8 if bits else 1


def state_bytes(model, slack=1.25, overhead=2**20):
    """About how many bytes a file holding `model`'s whole state takes: its variables' sizes with
    `slack` for the file's structure, plus `overhead`."""
    total = sum(int(np.prod(v.shape)) * _itemsize(v.dtype) for v in _state_variables(model))
    return int(total * slack) + overhead


def _constant_learning_rates(model):
    """`{optimizer attribute: learning rate}` of the model's optimizers whose rate is a variable
    (not a schedule)."""
    import keras

    out = {}
    for name, value in vars(model).items():
        if isinstance(value, keras.optimizers.Optimizer):
            inner = getattr(value, "inner_optimizer", value)
            if not isinstance(inner.get_config()["learning_rate"], dict):  # not a schedule
                out[name] = float(np.asarray(inner.learning_rate))
    return out


def _changed(before, after):
    return {
        k: (before[k], after[k])
        for k in before
        if k in after and not np.isclose(before[k], after[k], rtol=1e-6)
    }


def _state_variables(model):
    import keras

    variables = list(model.weights)
    for value in vars(model).values():  # every optimizer the model holds (g, d, MEG's t)
        if isinstance(value, keras.optimizers.Optimizer):
            variables += list(value.variables)
    return variables


class Checkpoints:
    """The step checkpoints of a run directory.

    Args:
        directory: folder of the checkpoints (created on the first save).
        keep: how many of the latest checkpoints to keep (>= 1).

    Example:

    ```python
    checkpoints = Checkpoints("runs/dcgan-mnist/checkpoints", keep=3)
    step = checkpoints.restore(model)   # None when there is none yet
    checkpoints.save(model, step=model.step)
    ```
    """

    def __init__(self, directory, keep=3):
        if int(keep) < 1:
            raise ValueError(f"keep must be a positive integer. Received: keep={keep}")
        self.directory = directory
        self.keep = int(keep)

    def path(self, step):
        return os.path.join(self.directory, f"ckpt-{int(step):09d}.weights.h5")

    def steps(self):
        """Steps of the complete checkpoints, oldest first."""
        if not os.path.isdir(self.directory):
            return []
        found = (_NAME.match(name) for name in os.listdir(self.directory))
        return sorted(int(m.group(1)) for m in found if m)

    def latest_step(self):
        steps = self.steps()
        return steps[-1] if steps else None

    def save(self, model, step):
        """Writes the model's state as the checkpoint of `step`; returns its path.

        Raises:
            ValueError: if a variable is NaN or infinite (nothing is written).
        """
        if not state_is_finite(model):
            raise ValueError(
                f"Not saving step {step}: the model holds NaN or infinite values. The last good "
                f"checkpoint is step {self.latest_step()} in {self.directory}."
            )
        os.makedirs(self.directory, exist_ok=True)
        files.check_free_space(self.directory, state_bytes(model), f"the checkpoint of step {step}")
        final = self.path(step)
        tmp = os.path.join(self.directory, f".tmp-{os.getpid()}-ckpt-{int(step)}.weights.h5")
        try:
            model.save_weights(tmp)
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, final)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
        files.fsync_dir(self.directory)
        self._prune(final)
        files.fsync_dir(self.directory)
        return final

    def _prune(self, just_written):
        # Ranked by when they were written, not by step: after a rollback an
        # older step is the newest state, and the file just written is never
        # the one deleted.
        paths = [self.path(step) for step in self.steps()]
        paths.sort(key=lambda p: (p == just_written, os.stat(p).st_mtime_ns))
        for path in paths[: -self.keep]:
            os.remove(path)
        # Temporary files of processes killed while writing.
        for tmp in glob.glob(os.path.join(self.directory, ".tmp-*-ckpt-*.weights.h5")):
            pid = os.path.basename(tmp).split("-")[1]
            if pid != str(os.getpid()):
                try:
                    os.remove(tmp)
                except OSError:
                    pass

    def unreadable(self):
        """The checkpoints moved aside as unreadable (`*.weights.h5.unreadable`), sorted."""
        if not os.path.isdir(self.directory):
            return []
        return sorted(n for n in os.listdir(self.directory) if n.endswith(".weights.h5.unreadable"))

    def restore(self, model, restart=False):
        """Loads the latest readable checkpoint into `model`; returns its step (None if none).

        A damaged checkpoint is moved aside as `ckpt-STEP.weights.h5.unreadable`, reported, and
        skipped for the one before it; nothing is deleted. If none can be read (now, or moved
        aside by an earlier attempt), the run is refused rather than silently started again,
        unless `restart`.

        Raises:
            ValueError: a whole checkpoint written for another model, or no readable checkpoint
                (without `restart`).
        """
        errors = []
        for step in reversed(self.steps()):
            rates = _constant_learning_rates(model)
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    model.load_weights(self.path(step))
            except Exception as e:
                # a whole file, written for another model: keep it
                if _intact_hdf5(self.path(step)):
                    raise ValueError(
                        f"{self.path(step)} does not match the model being resumed "
                        f"({type(e).__name__}: {str(e).splitlines()[0]}). It was written for "
                        "another model, or by another keras-gan version. Resume with the settings "
                        "and version the run was started with, or choose another --out."
                    ) from e
                # A damaged file: move it aside, report it, try the previous one.
                aside = self.path(step) + ".unreadable"
                os.replace(self.path(step), aside)
                errors.append(
                    f"{self.path(step)} (moved to {os.path.basename(aside)}): {type(e).__name__}: "
                    f"{e}"
                )
                continue
            skipped = [
                str(w.message) for w in caught if "Skipping variable loading" in str(w.message)
            ]
            if skipped:
                # Keras loads what matches and skips the rest with a warning;
                # resuming with fresh optimizer state would silently change the run.
                raise ValueError(
                    f"{self.path(step)} does not match the model being resumed: "
                    f"{skipped[0].strip()} The model's settings (e.g. a learning-rate schedule or "
                    "optimizer) differ from the run's. Resume with the settings the run was "
                    "started with, or choose another --out."
                )
            for error in errors:
                print(f"Skipped unreadable checkpoint {error}")
            for name, (before, after) in _changed(rates, _constant_learning_rates(model)).items():
                print(
                    f"{name}: the checkpoint's learning rate {after:.3g} is used, not {before:.3g} "
                    "(the model's before the restore; e.g. lowered by a rollback)."
                )
            return step
        if restart:
            for error in errors:
                print(f"Skipped unreadable checkpoint {error}")
            return None
        if errors:
            raise ValueError(
                "No checkpoint in "
                + self.directory
                + " could be read (each moved aside as *.unreadable):\n  "
                + "\n  ".join(errors)
                + "\nMove the run directory away, or pass --restart to train it again from step 0 "
                "(the damaged files stay aside)."
            )
        if self.unreadable():
            raise ValueError(
                f"No readable checkpoint in {self.directory}: an earlier attempt moved "
                f"{', '.join(self.unreadable())} aside as damaged. Move the run directory away, or "
                "pass --restart to train it again from step 0."
            )
        return None
