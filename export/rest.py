"""TF Serving's REST predict API answered from a SavedModel, without a model server.

`predict(signatures, body)` takes the JSON body of `POST /v1/models/NAME[/versions/V]:predict`
and returns the JSON TF Serving answers, following its documented format
(https://www.tensorflow.org/tfx/serving/api_rest#predict_api): a request is in the row format
(`"instances"`: a list of examples, each a value when the signature has one input, else an
object by input name) or the columnar format (`"inputs"`: a value, or an object by input name);
string inputs are sent as `{"b64": "..."}`; the response is `{"predictions": [...]}` for rows
(one entry per example, an object by output name when there are several outputs) or
`{"outputs": ...}` for columns, outputs whose name ends in `_bytes` base64-encoded as
`{"b64": "..."}`; an error is `{"error": "..."}`. The serving tests check every exported
signature's example request, and the `curl` lines `keras-gan export` prints, through it.
"""

import base64
import json

import numpy as np
import tensorflow as tf


def _decode(value, dtype):
    """A JSON value as a NumPy array of `dtype` (`{"b64": ...}` -> bytes)."""
    if dtype == tf.string:

        def unpack(v):
            if isinstance(v, list):
                return [unpack(x) for x in v]
            if isinstance(v, dict) and set(v) == {"b64"}:
                return base64.b64decode(v["b64"])
            return str(v).encode()

        return np.array(unpack(value), dtype=object)
    return np.asarray(value, dtype=dtype.as_numpy_dtype)


def _encode(name, value):
    """An output tensor as TF Serving's JSON: `_bytes` outputs as `{"b64": ...}`."""
    value = np.asarray(value)
    if value.dtype.kind in "SO":

        def pack(v):
            if isinstance(v, (list, np.ndarray)):
                return [pack(x) for x in v]
            raw = bytes(v)
            return (
                {"b64": base64.b64encode(raw).decode()} if name.endswith("_bytes") else raw.decode()
            )

        return pack(value.tolist() if value.ndim else value.item())
    return value.tolist()


def predict(signatures, body):
    """Answers one REST predict request.

    Args:
        signatures: `{name: concrete function}`, e.g. `tf.saved_model.load(path).signatures`.
        body: the request's JSON text, or the parsed object.

    Returns:
        `(status, response)`: the HTTP status (200 or 400) and the JSON object TF Serving returns.
    """
    try:
        request = json.loads(body) if isinstance(body, (str, bytes)) else body
        name = request.get("signature_name", "serving_default")
        if name not in signatures:
            raise ValueError(f'Serving signature name: "{name}" not found in signature def')
        function = signatures[name]
        specs = function.structured_input_signature[1]
        if ("instances" in request) == ("inputs" in request):
            raise ValueError('JSON object must hold exactly one of "instances" or "inputs"')
        if "instances" in request:
            rows = request["instances"]
            if len(specs) == 1:
                (key,) = specs
                columns = {key: rows}
            else:
                columns = {key: [row[key] for row in rows] for key in specs}
        else:
            given = request["inputs"]
            columns = (
                given if len(specs) > 1 or isinstance(given, dict) else {next(iter(specs)): given}
            )
        missing = set(specs) - set(columns)
        if missing:
            raise ValueError(f"Missing inputs: {sorted(missing)}")
        tensors = {k: tf.constant(_decode(columns[k], specs[k].dtype)) for k in specs}
        outputs = {k: v.numpy() for k, v in function(**tensors).items()}
    except (ValueError, KeyError, TypeError, tf.errors.OpError) as e:
        message = e.message if isinstance(e, tf.errors.OpError) else str(e)
        return 400, {"error": message}
    if "instances" in request:
        n = len(next(iter(outputs.values())))
        if len(outputs) == 1:
            ((key, value),) = outputs.items()
            return 200, {"predictions": [_encode(key, value[i]) for i in range(n)]}
        return 200, {
            "predictions": [{k: _encode(k, v[i]) for k, v in outputs.items()} for i in range(n)]
        }
    if len(outputs) == 1:
        ((key, value),) = outputs.items()
        return 200, {"outputs": _encode(key, value)}
    return 200, {"outputs": {k: _encode(k, v) for k, v in outputs.items()}}
