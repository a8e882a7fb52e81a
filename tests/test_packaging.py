"""The installed package: `zoo/` and `export/` install inside `keras_gan` (CONTRACT.md)."""

import os
import subprocess
import sys


def _run_outside_checkout(code):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [sys.executable, "-c", code], cwd="/", env=env, capture_output=True, text=True, timeout=120
    )


def test_zoo_and_export_install_inside_keras_gan():
    result = _run_outside_checkout(
        "import importlib.util as u, keras_gan.zoo, keras_gan.export\n"
        "print(u.find_spec('zoo') is None, u.find_spec('export') is None, "
        "len(keras_gan.zoo.names()) > 0)"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True", "True", "True"], result.stdout
