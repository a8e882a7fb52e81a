r"""Every preset exported as SavedModel, ONNX and TFLite: which signatures each format carries, the
max |difference| against the SavedModel, the sizes, and each runtime's speed (#37).

    python -m benchmarks.experiments.portable_export --out benchmarks/results/portable \
        --timing dcgan-mnist cyclegan-digits bigan-mnist gan-ring8

Presets are built untrained at full size (`zoo.build`: conversion and speed depend on the
architecture, not the weights). Speed of the first portable signature: p50 wall latency of one
row over 200 calls, and rows per second (wall and CPU) of batches of 256, the three runtimes
taking turns (SavedModel, onnxruntime, TFLite interpreter, repeated) in one process. Writes
`table.json`, `table.md`, `timing.json`, `timing.md`.
"""

import argparse
import json
import os
import tempfile
import time
import warnings

import numpy as np
import tensorflow as tf

from keras_gan import export, zoo
from keras_gan.export import portable


def table(presets, out):
    rows = []
    for name in presets:
        model = zoo.build(name)
        base = tempfile.mkdtemp()
        path = export.export_generator(model, base, name)
        saved_model = sum(
            os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs
        )
        try:
            report = export.export_portable(model, path, os.path.join(base, "p"))
        except ValueError as e:
            rows.append({"preset": name, "error": str(e)})
            print(name, "FAILED", e, flush=True)
            continue
        rows.append({"preset": name, "saved_model_bytes": saved_model, "signatures": report})
        print(
            name, [(r["signature"], r["format"], r.get("max_abs_diff")) for r in report], flush=True
        )
    with open(os.path.join(out, "table.json"), "w") as f:
        json.dump(rows, f, indent=1)
    lines = [
        "| preset | signature | ONNX: max abs diff (KiB) | TFLite: max abs diff (KiB) "
        "| SavedModel KiB |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        if "error" in row:
            lines.append(f"| {row['preset']} | export failed: {row['error'][:120]} | | | |")
            continue
        by_sig = {}
        for r in row["signatures"]:
            by_sig.setdefault(r["signature"], {})[r["format"]] = r
        for sig, formats in by_sig.items():
            cells = []
            for fmt in ("onnx", "tflite"):
                r = formats[fmt]
                cells.append(
                    f"{r['max_abs_diff']:.1e} ({r['bytes'] / 1024:,.0f})"
                    if r["exported"]
                    else f"not exported ({r['reason']})"
                )
            lines.append(
                f"| {row['preset']} | {sig} | {cells[0]} | {cells[1]} | "
                f"{row['saved_model_bytes'] / 1024:,.0f} |"
            )
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def _runtimes(model, path, out_dir):
    import onnxruntime

    report = export.export_portable(model, path, out_dir)
    row = next(r for r in report if r["exported"])
    name = row["signature"]
    signature = model.serving_signatures()[name]
    loaded = tf.saved_model.load(path).signatures[name]
    session = onnxruntime.InferenceSession(
        os.path.join(out_dir, name + ".onnx"), providers=["CPUExecutionProvider"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        interpreter = tf.lite.Interpreter(model_path=os.path.join(out_dir, name + ".tflite"))
    runner = interpreter.get_signature_runner(name)
    onnx_outputs = [o.name for o in session.get_outputs()]
    calls = {
        "savedmodel": lambda x: loaded(**{k: tf.constant(v) for k, v in x.items()}),
        "onnxruntime": lambda x: session.run(onnx_outputs, x),
        "tflite": lambda x: runner(**x),
    }
    return name, signature, calls


def timing(presets, out, rounds=4):
    results = []
    for preset in presets:
        model = zoo.build(preset)
        base = tempfile.mkdtemp()
        path = export.export_generator(model, base, preset)
        name, signature, calls = _runtimes(model, path, os.path.join(base, "p"))
        one, big = portable.check_inputs(signature, 1), portable.check_inputs(signature, 256)
        for call in calls.values():  # warm up (and TFLite's first resize)
            call(one), call(big), call(one)
        latency = {k: [] for k in calls}
        wall = {k: [] for k in calls}
        cpu = {k: [] for k in calls}
        for _ in range(rounds):  # the runtimes take turns
            for runtime, call in calls.items():
                for _ in range(50):
                    t = time.perf_counter()
                    call(one)
                    latency[runtime].append(time.perf_counter() - t)
                call(big)
                w, c = time.perf_counter(), time.process_time()
                for _ in range(3):
                    call(big)
                wall[runtime].append(3 * 256 / (time.perf_counter() - w))
                cpu[runtime].append(3 * 256 / (time.process_time() - c))
        result = {
            "preset": preset,
            "signature": name,
            "p50_ms_batch1": {k: 1000 * float(np.median(v)) for k, v in latency.items()},
            "rows_per_s_batch256": {k: float(np.median(v)) for k, v in wall.items()},
            "rows_per_cpu_s_batch256": {k: float(np.median(v)) for k, v in cpu.items()},
        }
        results.append(result)
        print(json.dumps(result), flush=True)
    with open(os.path.join(out, "timing.json"), "w") as f:
        json.dump(results, f, indent=1)
    lines = [
        "| preset (signature) | runtime | p50 ms, batch 1 | rows/s, batch 256 (wall) "
        "| rows per CPU-s |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        for runtime in r["p50_ms_batch1"]:
            lines.append(
                f"| {r['preset']} ({r['signature']}) | {runtime} | "
                f"{r['p50_ms_batch1'][runtime]:.2f} | {r['rows_per_s_batch256'][runtime]:,.0f} | "
                f"{r['rows_per_cpu_s_batch256'][runtime]:,.0f} |"
            )
    with open(os.path.join(out, "timing.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="benchmarks/results/portable")
    parser.add_argument("--presets", nargs="+", help="default: every preset")
    parser.add_argument("--timing", nargs="*", default=[], help="presets to time")
    parser.add_argument("--no-table", action="store_true")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    if not args.no_table:
        table(args.presets or zoo.names(), args.out)
    if args.timing:
        timing(args.timing, args.out)


if __name__ == "__main__":
    main()
