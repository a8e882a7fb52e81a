"""Run directories and the training driver, as a library.

What `keras-gan train`, `sample`, `evaluate` and `export` do with a run directory, for Python
code and the benchmarks:

>>> from keras_gan import runs
>>> model = runs.train("gan-ring8", steps=200, out="runs/ring")
>>> run = runs.RunDir("runs/ring")
>>> run.config()["data"], run.load_model().step
('ring8', 200)
"""

from keras_gan.runs.directory import (
    HISTORY_FILE,
    IDENTITY,
    METRICS_FILE,
    MODEL_FILE,
    RUN_CONFIG,
    RunDir,
    RunError,
    load_run,
    read_run_config,
    strict_json,
    write_json_atomic,
)
from keras_gan.runs.lock import LOCK_FILE, RunLock
from keras_gan.runs.strategy import STRATEGIES, make_strategy, task
from keras_gan.runs.training import (
    check_data_fits,
    image_shape,
    image_size,
    mixture_reference,
    preview_inputs,
    scale_learning_rate,
    train,
    training_data,
)

__all__ = [
    "HISTORY_FILE",
    "IDENTITY",
    "LOCK_FILE",
    "METRICS_FILE",
    "MODEL_FILE",
    "RUN_CONFIG",
    "RunDir",
    "RunError",
    "RunLock",
    "STRATEGIES",
    "check_data_fits",
    "image_shape",
    "image_size",
    "load_run",
    "make_strategy",
    "mixture_reference",
    "preview_inputs",
    "read_run_config",
    "scale_learning_rate",
    "strict_json",
    "task",
    "train",
    "training_data",
    "write_json_atomic",
]
