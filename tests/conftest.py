"""Test set-up: two logical CPU devices, configured before TensorFlow's runtime starts.

MirroredStrategy tests need more than one device; logical devices can only be
configured once, before anything touches the runtime, hence here at import.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

# Deterministic kernels: the replica-equality tests compare runs to 1e-5, and
# run-to-run float noise of multi-threaded reductions would otherwise be
# amplified by ReLU/hinge kinks over a few steps.
tf.config.experimental.enable_op_determinism()
_cpus = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(
    _cpus[0], [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST_DIR = os.path.join(REPO, "..", "shared", "data", "mnist")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than ~20 s; not part of `make test`")


@pytest.fixture(autouse=True)
def _seeded():
    """Every test starts from the same random state (Keras, TensorFlow, NumPy, Python), so its
    random weights and draws do not depend on which tests ran before it. Module- and
    session-scoped fixtures are set up before this runs and seed themselves."""
    import keras

    keras.utils.set_random_seed(0)


@pytest.fixture(scope="session")
def mnist_dir():
    """The MNIST files beside the repository (`../shared/data/mnist`). A clone without them skips
    the tests that read them; CI sets KERAS_GAN_REQUIRE_MNIST=1, where their absence fails."""
    if not os.path.exists(os.path.join(MNIST_DIR, "t10k-images-idx3-ubyte.gz")):
        reason = f"the MNIST files are not in {os.path.normpath(MNIST_DIR)} (../shared/data/mnist)"
        if os.environ.get("KERAS_GAN_REQUIRE_MNIST") == "1":
            pytest.fail(f"KERAS_GAN_REQUIRE_MNIST=1 but {reason}")
        pytest.skip(reason)
    return MNIST_DIR


@pytest.fixture(scope="session")
def tiny_exports(tmp_path_factory):
    """Exports shared by the modules that test them (see `tests.harness.TinyExports`)."""
    from tests.harness import TinyExports

    return TinyExports(tmp_path_factory.mktemp("serving"))


@pytest.fixture(scope="session")
def mirrored():
    return tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])


@pytest.fixture
def float64_policy():
    """Build models in float64 for replica comparisons.

    1 and N replicas add partial sums in another order; in float32 that rounding
    (~1e-7) is occasionally amplified past 1e-5 within a few steps by a ReLU or
    hinge kink. In float64 any difference above 1e-5 is a real discrepancy.
    """
    import keras

    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("float64")
    yield
    keras.config.set_dtype_policy(previous)
