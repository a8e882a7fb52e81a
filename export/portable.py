"""ONNX and TFLite copies of a model's portable serving signatures, each checked against the
SavedModel before it is kept.

A model marks the signatures a portable runtime can carry (`Signature.portable`: deterministic,
tensors in and out: latents -> images, translation, BiGAN's encoder, MEG's energy). The others
(`sample` and `png`: random and string ops) are listed as not exported, never written as files a
runtime would reject. ONNX goes through tf2onnx (the optional extra `keras-gan[onnx]`), TFLite
through TensorFlow's converter, from the SavedModel version just written. Each converted file is
run by its runtime (onnxruntime, the TFLite interpreter) on fixed inputs, and kept only when its
outputs match the SavedModel's within `tolerance`; `report.json` beside the files records each
signature's maximum absolute difference, its size and what was not exported.

Request checks: the SavedModel refuses bad requests inside the graph (`tf.debugging` asserts).
ONNX has no assert operator: tf2onnx drops them, so an ONNX model runs any batch size and
returns NaN for NaN latents; the caller must check requests. TFLite keeps the batch dimension
dynamic and drops the asserts too (`report.json` says so per file). A signature a converter or
its runtime refuses (e.g. an op with no TFLite builtin form) is listed with the reason, not
written.
"""

import json
import logging
import os
import re
import shutil
import tempfile
import warnings

import numpy as np
import tensorflow as tf

FORMATS = {"onnx": ".onnx", "tflite": ".tflite"}
TOLERANCE = 1e-4  # max |converted - SavedModel| over every output (images lie in [-1, 1])
OPSET = 17
CHECKS = {
    "onnx": "none: ONNX has no assert operator (tf2onnx drops the SavedModel's request checks)",
    "tflite": "none: the TFLite converter drops the SavedModel's request checks",
}


def check_inputs(signature, batch=8, seed=0):
    """Fixed valid inputs of a `keras_gan.serving.Signature`: its example request repeated to
    `batch` rows, float inputs replaced by draws from U(-1, 1) (valid for latents, images in
    [-1, 1] and 2-D points), integer inputs kept (e.g. class labels)."""
    rng = np.random.default_rng(seed)
    inputs = {}
    for key, value in signature.example.items():
        value = np.repeat(np.asarray(value), batch, axis=0)
        if np.issubdtype(value.dtype, np.floating):
            value = rng.uniform(-1, 1, value.shape).astype(value.dtype)
        inputs[key] = value
    return inputs


def _onnx(signature):
    import tf2onnx

    function = signature.function
    specs = function.input_signature
    taken = {spec.name for spec in specs}

    # An ONNX graph cannot name an input and an output alike (CycleGAN: images -> images).
    @tf.function(input_signature=specs)
    def renamed(*args):
        return {onnx_name(k, taken): v for k, v in function(*args).items()}

    # tf2onnx logs each optimizer pass that does not apply as an ERROR; its result is what counts.
    logger = logging.getLogger("tf2onnx")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        proto, _ = tf2onnx.convert.from_function(renamed, input_signature=specs, opset=OPSET)
    finally:
        logger.setLevel(level)
    return proto.SerializeToString()


def onnx_name(output, inputs):
    """An output's name in the ONNX copy: its own, or `NAME_out` where an input is named alike."""
    return f"{output}_out" if output in inputs else output


def _run_onnx(data, inputs):
    import onnxruntime

    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    outputs = dict(zip(names, session.run(names, inputs)))
    # Back to the SavedModel's names (see `onnx_name`).
    return {k[: -len("_out")] if k[: -len("_out")] in inputs else k: v for k, v in outputs.items()}


def _tflite(saved_model_dir, name):
    """TFLite builtin ops only: a file that needs TensorFlow's kernels (TF Select, the Flex
    delegate) could not be checked by the interpreter here, so it is not written."""
    converter = tf.lite.TFLiteConverter.from_saved_model(saved_model_dir, signature_keys=[name])
    return converter.convert()


def _run_tflite(data, inputs, name):
    with warnings.catch_warnings():  # tf.lite.Interpreter's deprecation notice (LiteRT)
        warnings.simplefilter("ignore")
        interpreter = tf.lite.Interpreter(model_content=data)
    outputs = interpreter.get_signature_runner(name)(**inputs)
    return {k: np.array(v) for k, v in outputs.items()}  # copies: views of the interpreter's memory


def _refusal(fmt, error):
    """Why a portable signature was not converted, in one line."""
    text = str(error)
    select = re.search(r"TF Select ops: ([^\n]*)", text)
    if select:
        return (
            f"TFLite has no builtin form of {select.group(1).strip()} here (TF Select ops, which "
            "need the Flex delegate, could not be checked)"
        )
    first = next((line for line in text.splitlines() if line.strip()), "")[:200]
    return f"the {fmt} converter or runtime refused it ({type(error).__name__}: {first})"


def max_difference(outputs, reference):
    """The largest |a - b| over the outputs both hold (inf where one is missing or NaN differs)."""
    if set(outputs) != set(reference):
        return float("inf")
    worst = 0.0
    for key, ref in reference.items():
        a, b = np.asarray(outputs[key], np.float64), np.asarray(ref, np.float64)
        if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
            return float("inf")
        if a.size:
            worst = max(worst, float(np.nanmax(np.abs(a - b))))
    return worst


def export_portable(
    model, saved_model_dir, out_dir, formats=("onnx", "tflite"), tolerance=TOLERANCE
):
    """Writes `out_dir/SIGNATURE.onnx` / `.tflite` for each portable signature of `model`, each
    checked against the SavedModel at `saved_model_dir` (written from `model` by
    `export_generator`), and `out_dir/report.json`.

    Args:
        model: the model `saved_model_dir` was exported from (it declares its signatures).
        saved_model_dir: the SavedModel version directory (the reference and TFLite's source).
        out_dir: the folder of the converted files (replaced as a whole, atomically).
        formats: any of `FORMATS`.
        tolerance: the largest max |difference| accepted on the check inputs.

    Returns:
        The report: one row per signature and format (`exported`, `max_abs_diff`, `bytes`,
        `file`, `request_checks`, or `reason` where not exported).

    Raises:
        ValueError: a converted signature whose outputs differ by more than `tolerance` (nothing
            is kept). One that does not convert is listed with the reason.
        ImportError: ONNX without tf2onnx and onnxruntime (`pip install keras-gan[onnx]`).
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"formats must be among {', '.join(FORMATS)}. Received: {unknown}")
    if "onnx" in formats:
        try:
            import onnxruntime  # noqa: F401
            import tf2onnx  # noqa: F401
        except ImportError as e:
            raise ImportError(
                f"--format onnx needs tf2onnx and onnxruntime ({e}): pip install 'keras-gan[onnx]'"
            ) from e
    loaded = tf.saved_model.load(saved_model_dir)
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".tmp-portable-", dir=parent)
    rows = []
    try:
        for name, signature in model.serving_signatures().items():
            for fmt in formats:
                row = {"signature": name, "format": fmt}
                rows.append(row)
                if not signature.portable:
                    row.update(exported=False, reason="not declared portable by the model")
                    continue
                inputs = check_inputs(signature)
                reference = {
                    k: v.numpy() for k, v in loaded.signatures[name](**_tensors(inputs)).items()
                }
                try:
                    if fmt == "onnx":
                        data = _onnx(signature)
                        outputs = _run_onnx(data, inputs)
                    else:
                        data = _tflite(saved_model_dir, name)
                        outputs = _run_tflite(data, inputs, name)
                except Exception as e:  # the converter or the runtime refused it: listed
                    row.update(exported=False, reason=_refusal(fmt, e))
                    continue
                diff = max_difference(outputs, reference)
                if not diff <= tolerance:
                    raise ValueError(
                        f"{fmt} export of {name!r}: its outputs differ from the SavedModel's by "
                        f"{diff:.3g} > {tolerance:g} on the check inputs; nothing was written."
                    )
                file = name + FORMATS[fmt]
                with open(os.path.join(tmp, file), "wb") as f:
                    f.write(data)
                names = list(reference)
                if fmt == "onnx":
                    names = [onnx_name(k, set(inputs)) for k in names]
                row.update(
                    exported=True,
                    file=file,
                    inputs=sorted(inputs),
                    outputs=sorted(names),
                    bytes=len(data),
                    max_abs_diff=diff,
                    check_batch=len(next(iter(inputs.values()))),
                    request_checks=CHECKS[fmt],
                )
        with open(os.path.join(tmp, "report.json"), "w") as f:
            json.dump({"tolerance": tolerance, "signatures": rows}, f, indent=1)
        os.chmod(tmp, 0o755)
        if os.path.exists(out_dir):
            shutil.rmtree(out_dir)
        os.rename(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return rows


def _tensors(inputs):
    return {k: tf.constant(v) for k, v in inputs.items()}
