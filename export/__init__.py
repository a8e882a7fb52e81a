"""Export generators as SavedModels that TF Serving loads as they are.

`export_generator(model, base_dir, name, version=None)` writes
`base_dir/name/VERSION/` (TF Serving's layout) atomically: the SavedModel is
written to a hidden temporary directory beside it and renamed into place, so
a model server polling `base_dir` never sees half a version.
`export_portable` adds ONNX and TFLite copies of the signatures a model marks portable, each
checked against the SavedModel.
"""

from keras_gan.export.portable import FORMATS, export_portable
from keras_gan.export.saved_model import (
    MAX_VERSION,
    export_generator,
    next_version,
    signature_functions,
    signatures_of,
    write_models_config,
)

__all__ = [
    "FORMATS",
    "MAX_VERSION",
    "export_portable",
    "export_generator",
    "next_version",
    "signature_functions",
    "signatures_of",
    "write_models_config",
]
