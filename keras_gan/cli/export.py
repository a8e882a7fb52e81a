"""`keras-gan export RUN_DIR --serving-dir DIR`: the generator as a SavedModel for TF Serving."""

import json
import os

from keras_gan.cli.common import (
    CLIError,
    add_command,
    add_run_dir,
    add_sampling_options,
    standing_statistics,
)


def add_parser(subparsers, parents):
    p = add_command(
        subparsers,
        "export",
        parents,
        "export the generator as a SavedModel for TF Serving",
        ["keras-gan export runs/dcgan-digits --serving-dir serving --version 2 --overwrite"],
    )
    add_run_dir(p)
    p.add_argument(
        "--serving-dir",
        required=True,
        help="the model server's base folder (written: NAME/VERSION/)",
    )
    p.add_argument(
        "--name", help="the model's name under --serving-dir (default: the run's preset)"
    )
    p.add_argument(
        "--version", type=int, help="version number (default: one more than the largest there)"
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing --version (swapped in atomically)",
    )
    p.add_argument(
        "--replace-signatures",
        action="store_true",
        help="add a version that removes or changes a signature of the latest version (refused "
        "without it: the model's clients would break; added signatures need no flag)",
    )
    p.add_argument(
        "--format",
        nargs="+",
        choices=["savedmodel", "onnx", "tflite"],
        default=["savedmodel"],
        help="also write ONNX and/or TFLite copies of the model's portable signatures to "
        "SERVING_DIR/portable/NAME/VERSION/, each checked against the SavedModel (which is always "
        "written: it is TF Serving's and the converters' source; onnx needs keras-gan[onnx])",
    )
    p.add_argument(
        "--model-base-path",
        help="where the model server sees --serving-dir, written into models.config (default: "
        "its absolute path here, for a tensorflow_model_server on this machine; /models for the "
        "tensorflow/serving container)",
    )
    add_sampling_options(p, truncation=False)


def run(args):
    import tensorflow as tf

    from keras_gan import export, runs

    run_dir = runs.RunDir(args.run_dir)
    model = run_dir.load_model()
    config = run_dir.config()
    name = args.name or config.get("model") or model.name
    standing_statistics(model, args, config)
    if os.path.exists(args.serving_dir) and not os.path.isdir(args.serving_dir):
        raise CLIError(
            f"--serving-dir {args.serving_dir} is a file, not a folder. Choose another "
            "--serving-dir."
        )
    try:
        path = export.export_generator(
            model,
            args.serving_dir,
            name,
            version=args.version,
            overwrite=args.overwrite,
            replace_signatures=args.replace_signatures,
            write_config=True,
            base_path_prefix=args.model_base_path,
        )
    except FileExistsError:
        raise  # an existing version: its own message says what to do
    except (OSError, tf.errors.OpError) as e:
        reason = e.strerror if isinstance(e, OSError) else e.message.split(";")[0]
        raise CLIError(
            f"Cannot write the serving tree under {args.serving_dir} ({reason}). Choose another "
            "--serving-dir."
        ) from e
    print(f"Exported {name} version {os.path.basename(path)} to {path}")
    portable = [f for f in args.format if f != "savedmodel"]
    if portable:
        write_portable(model, path, args.serving_dir, name, portable)
    print("Signatures:")
    for sig, fn in export.signature_functions(model).items():
        outputs = fn.get_concrete_function().structured_outputs
        described = ", ".join(
            f"{v.name} {v.dtype.name} {v.shape.as_list()}" for v in fn.input_signature
        )
        returned = ", ".join(f"{k} {v.dtype.name} {v.shape.as_list()}" for k, v in outputs.items())
        print(f"  {sig}: {described} -> {returned}")
    base = os.path.abspath(args.serving_dir)
    print("Serve it (all models under the serving dir, listed in models.config):")
    if args.model_base_path == "/models":
        print(
            f"  docker run --rm -p 8501:8501 -p 8500:8500 -v {base}:/models tensorflow/serving "
            "--model_config_file=/models/models.config"
        )
    else:
        where = args.model_base_path or base
        print(
            "  tensorflow_model_server --port=8500 --rest_api_port=8501 "
            f"--model_config_file={base}/models.config   (models.config points at {where})"
        )
        print("  (the tensorflow/serving container: export again with --model-base-path /models)")
    print('Query it (REST; outputs named *_bytes come back as {"b64": ...}):')
    for sig, signature in model.serving_signatures().items():
        inputs = {k: json_value(v) for k, v in signature.example.items()}
        body = json.dumps({"signature_name": sig, "inputs": inputs})
        if len(body) > 400:
            body = f'{{"signature_name": "{sig}", "inputs": {{...}}}}'
            print(
                f"  # {sig}: inputs "
                + ", ".join(
                    f"{k} {getattr(v, 'dtype', type(v).__name__)} {list(getattr(v, 'shape', ()))}"
                    for k, v in signature.example.items()
                )
            )
        print(f"  curl -s -X POST localhost:8501/v1/models/{name}:predict -d '{body}'")
    return 0


def write_portable(model, path, serving_dir, name, formats):
    """The ONNX / TFLite copies of a version just written, and their check, printed."""
    from keras_gan import export

    out = os.path.join(serving_dir, "portable", name, os.path.basename(path))
    try:
        rows = export.export_portable(model, path, out, formats)
    except ImportError as e:
        raise CLIError(f"{e}. The SavedModel {path} is written.") from e
    except ValueError as e:
        raise CLIError(f"{e} The SavedModel {path} is written.") from e
    print(f"Portable copies in {out} (checked against the SavedModel; report.json):")
    for row in rows:
        if row["exported"]:
            print(
                f"  {row['signature']}.{row['format']}: {row['bytes']:,} bytes, max |difference| "
                f"{row['max_abs_diff']:.2g} on {row['check_batch']} rows; request checks: "
                f"{row['request_checks'].split(':')[0]}"
            )
        else:
            print(f"  {row['signature']} ({row['format']}): not exported, {row['reason']}")


def json_value(value):
    """A NumPy example input as TF Serving's REST API takes it (bytes as {"b64": ...})."""
    import base64

    import numpy as np

    value = np.asarray(value)
    if value.dtype.kind in "SO":
        return [{"b64": base64.b64encode(v).decode()} for v in value.reshape(-1)]
    return value.tolist()
