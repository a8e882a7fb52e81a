"""The contract's replica test, apart from tests/test_contract.py so that `make test`'s two
workers (pytest-xdist, a file each) share the contract's time: 2 mirrored replicas compute
exactly what 1 device computes on the same global batch (networks and any other state, e.g.
CycleGAN's pools). Every preset gets it by registering."""

import numpy as np
import pytest

from keras_gan import zoo
from tests.harness import assert_same_networks, first_of_each_kind, fit_single_and_mirrored
from tests.test_contract import BATCH, NAMES, _step_kind

# Adam and RMSProp are nearly invariant to the scale of the gradient; plain
# SGD is not, so it catches a loss that is not scaled to the global batch.
SGD = {"class_name": "SGD", "config": {"learning_rate": 0.01}}


def _damped(optimizer_config):
    """The preset's optimizer with epsilon 1e-3.

    Adam and RMSProp divide each coordinate by its own gradient scale, so a
    coordinate whose gradient is float noise (~1e-9, summed in another order
    on 2 replicas) moves by ±lr either way. epsilon 1e-3 keeps such noise
    from being amplified; every real gradient still gets the preset's update.
    """
    config = {
        "class_name": optimizer_config["class_name"],
        "config": dict(optimizer_config["config"]),
    }
    config["config"]["epsilon"] = 1e-3
    return config


# In `make test`: one preset of each kind of train step with plain SGD (the loss-scaling check);
# with each preset's own optimizer, and the other presets, under the slow marker (`make test-slow`),
# which keeps `make test` within its time as the zoo grows.
_FIRST_OF_KIND = first_of_each_kind(NAMES, _step_kind)
REPLICA_PARAMS = [
    pytest.param(
        name,
        optimizer,
        id=f"{name}-{optimizer}",
        marks=() if optimizer == "sgd" and name in _FIRST_OF_KIND else pytest.mark.slow,
    )
    for optimizer in ("preset", "sgd")
    for name in NAMES
]


@pytest.mark.parametrize("name, optimizer", REPLICA_PARAMS)
def test_two_replicas_equal_one(name, optimizer, mirrored, float64_policy):
    preset = zoo.spec(name)
    if optimizer == "preset":
        overrides = {
            "g_optimizer": _damped(preset.g_optimizer),
            "d_optimizer": _damped(preset.d_optimizer),
        }
    elif preset.model_args.get("unroll_optimizer") == "adam":
        # The generator's loss simulates the discriminator's own Adam: D keeps it.
        overrides = {"g_optimizer": SGD, "d_optimizer": _damped(preset.d_optimizer)}
    else:
        overrides = {"g_optimizer": SGD, "d_optimizer": SGD}
    single, multi, h1, h2 = fit_single_and_mirrored(name, mirrored, BATCH, 3, **overrides)
    assert multi.distribute_strategy.num_replicas_in_sync == 2
    assert single.generator_networks()[0].weights[0].dtype == "float64"
    assert_same_networks(single, multi)  # both generators under EMA, and MEG's statistics network
    for key in h1:
        np.testing.assert_allclose(h1[key], h2[key], rtol=1e-4, atol=1e-5, err_msg=key)
