"""The run directory: its settings (`config.json`), its trained model and its evaluation history.

A run directory holds `config.json`, `checkpoints/`, `tensorboard/`, `samples/*.png`,
`model.keras`, `metrics.json` and `metrics_history.jsonl`. Nothing here imports TensorFlow until
a model is loaded.
"""

import json
import math
import os

RUN_CONFIG = "config.json"
MODEL_FILE = "model.keras"
METRICS_FILE = "metrics.json"
HISTORY_FILE = "metrics_history.jsonl"

# The keys of `config.json` and the JSON types each may hold (None: null).
SCHEMA = {
    "model": (str,),
    "data": (str,),
    "data_b": (str, type(None)),
    "data_dir": (str, type(None)),
    "batch_size": (int,),
    "steps": (int, type(None)),
    "epochs": (int, type(None)),
    "seed": (int,),
    "strategy": (str,),
    "overrides": (dict, type(None)),
    "steps_per_epoch": (int,),
}

# What defines a run: resuming with another value of any of these is refused. The length
# (steps, epochs) may grow: training continues.
IDENTITY = ("model", "data", "data_b", "data_dir", "batch_size", "seed", "overrides")


_JSON_NAMES = {str: "a string", int: "an integer", dict: "an object"}


class RunError(Exception):
    """A problem with a run the user can fix (a message to print, no traceback)."""


def strict_json(value):
    """`value` with every NaN or infinite float replaced by None (JSON `null`).

    RFC 8259 has no `Infinity`: a metric that is undefined or infinite reads as null, so the
    files are strict JSON.
    """
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json_atomic(path, value):
    """Writes `value` as strict JSON to `path`; a reader sees the old file or the new one."""
    from keras_gan import files

    files.write_text_atomic(path, json.dumps(strict_json(value), indent=2, allow_nan=False))


class RunDir:
    """A run directory on disk.

    Args:
        path: the folder (it need not exist yet).

    Example:

    >>> run = RunDir("runs/gan-ring8")
    >>> run.config().get("model")  # {} before the first `train`
    """

    def __init__(self, path):
        self.path = os.fspath(path)

    def __repr__(self):
        return f"RunDir({self.path!r})"

    @property
    def config_path(self):
        return os.path.join(self.path, RUN_CONFIG)

    @property
    def model_path(self):
        return os.path.join(self.path, MODEL_FILE)

    @property
    def checkpoint_dir(self):
        return os.path.join(self.path, "checkpoints")

    @property
    def log_dir(self):
        return os.path.join(self.path, "tensorboard")

    @property
    def samples_dir(self):
        return os.path.join(self.path, "samples")

    @property
    def metrics_path(self):
        return os.path.join(self.path, METRICS_FILE)

    @property
    def history_path(self):
        return os.path.join(self.path, HISTORY_FILE)

    def config(self):
        """`config.json` as a dict ({} if there is none)."""
        path = self.config_path
        if not os.path.exists(path):
            return {}
        try:
            with open(path) as f:
                config = json.load(f)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise RunError(
                f"{path} is not valid JSON ({e}). Restore it, or move the run directory away."
            ) from e
        if not isinstance(config, dict):
            raise RunError(
                f"{path} must hold a JSON object (the run's settings); it holds a "
                f"{type(config).__name__}. Restore it, or move the run directory away."
            )
        for key, types in SCHEMA.items():
            value = config.get(key)
            if key in config and (not isinstance(value, types) or isinstance(value, bool)):
                kinds = " or ".join("null" if t is type(None) else _JSON_NAMES[t] for t in types)
                raise RunError(
                    f"{path}: {key!r} must be {kinds}. Received: {value!r}. Restore the file (it "
                    "is written by `keras-gan train`), or move the run directory away."
                )
        return config

    def check(self, config, write=True):
        """Refuses a directory that holds another run; makes sure it is writable.

        Args:
            config: the settings of the run about to train; its `steps_per_epoch` is set to
                the existing run's when resuming.
            write: create the directory and write `config.json` if it is new (the chief of a
                multi-worker cluster does; the others only check).

        Returns:
            True when resuming an existing run.
        """
        if os.path.exists(self.config_path):
            previous = self.config()
            changed = {
                k: (previous.get(k), v)
                for k, v in config.items()
                if k in IDENTITY and previous.get(k) != v
            }
            if changed:
                detail = ", ".join(f"{k}: {a!r} -> {b!r}" for k, (a, b) in changed.items())
                raise RunError(
                    f"{self.path} holds a different run ({detail}). Resume it with the same "
                    "arguments, or choose another --out."
                )
            config["steps_per_epoch"] = previous.get("steps_per_epoch", config["steps_per_epoch"])
            resuming = True
        else:
            resuming = False
        if not write:
            return resuming
        try:
            os.makedirs(self.path, exist_ok=True)
            probe = os.path.join(self.path, f".write-test-{os.getpid()}")
            with open(probe, "w") as f:
                f.write("ok")
            os.remove(probe)
        except OSError as e:
            raise RunError(
                f"Run directory {self.path} is not writable ({e.strerror}). Choose another --out."
            ) from e
        if not resuming:
            write_json_atomic(self.config_path, config)
        return resuming

    def load_model(self):
        """The trained model (`model.keras`), with a message saying what to do when it is missing or
        damaged."""
        path = self.model_path
        if not os.path.exists(path):
            raise RunError(
                f"No trained model at {path}: run `keras-gan train` with --out {self.path} first."
            )
        import keras

        import keras_gan

        keras_gan._import_all()  # registers the model classes with Keras's serialization
        try:
            model = keras.models.load_model(path)
        except Exception as e:  # a truncated zip, another file under the name, ...
            raise RunError(
                f"{path} is damaged or not a keras-gan model ({type(e).__name__}: {str(e)[:200]}). "
                f"Its training state is in {self.checkpoint_dir}: move {MODEL_FILE} away and "
                "re-run the same `keras-gan train` command to write it again."
            ) from e
        preset = self.config().get("model")
        # `zoo.build` names a preset's model after it ("dcgan-digits" -> "dcgan_digits").
        if preset and model.name != preset.replace("-", "_"):
            raise RunError(
                f"{path} holds the model {model.name!r}, but {self.config_path} says this run "
                f"trains {preset!r}: the files of two runs were mixed. Put this run's own "
                f"{MODEL_FILE} back (moving it away and re-running the same `keras-gan train` "
                "command writes it from the checkpoints)."
            )
        return model

    def append_history(self, entry):
        """Appends one evaluation (a dict) to `metrics_history.jsonl`, on a line of its own even
        after a line that a crash cut short."""
        with open(self.history_path, "a+b") as f:
            f.seek(0, os.SEEK_END)
            cut_short = False
            if f.tell():
                f.seek(-1, os.SEEK_END)
                cut_short = f.read(1) != b"\n"
            line = json.dumps(strict_json(entry)) + "\n"
            f.write((("\n" if cut_short else "") + line).encode())

    def history(self):
        """The evaluations of `metrics_history.jsonl`, oldest first; a line cut short by a crash is
        skipped."""
        if not os.path.exists(self.history_path):
            return []
        rows = []
        with open(self.history_path) as f:
            for line in f:
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
        return rows


def read_run_config(run_dir):
    """The run directory's `config.json` as a dict ({} if there is none)."""
    return RunDir(run_dir).config()


def load_run(run_dir):
    """The trained model of a run directory."""
    return RunDir(run_dir).load_model()
