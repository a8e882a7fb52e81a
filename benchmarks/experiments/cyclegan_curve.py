r"""Translation error of a CycleGAN preset on its built-in pair as training goes on.

Trains preset NAME (with `zoo.build` overrides as JSON) on its pair and, every
`EVERY` steps, prints one JSON line: the step, CPU seconds so far, the held-out
L1 errors of `keras_gan.metrics.translation` and the last cycle and D losses.
The learning rates decay as the preset says over STEPS.

Usage:
    python -m benchmarks.experiments.cyclegan_curve cyclegan-digits 6000 1000 \
        '{"identity_weight": 0.0}'
    python -m benchmarks.experiments.cyclegan_curve cyclegan-mnist 10000 500 '{"lr_decay": null}' \
        ../shared/data/mnist
"""

import json
import sys
import time

import keras

from keras_gan import data, zoo
from keras_gan.metrics.translation import pair_translation_errors


def main(argv):
    name, steps, every, overrides = argv[0], int(argv[1]), int(argv[2]), json.loads(argv[3])
    data_dir = argv[4] if len(argv) > 4 else None
    spec = zoo.spec(name)
    keras.utils.set_random_seed(0)
    model = zoo.build(name, steps=steps, **overrides)
    ds = data.load_unpaired(
        spec.dataset, batch_size=spec.batch_size, data_dir=data_dir, repeat=True, seed=0
    )
    start = time.process_time()
    for epoch in range(steps // every):
        logs = model.fit(
            ds, steps_per_epoch=every, initial_epoch=epoch, epochs=epoch + 1, verbose=0
        ).history
        errors = pair_translation_errors(
            lambda x: model.translate(x, "a2b"),
            lambda x: model.translate(x, "b2a"),
            spec.dataset,
            data_dir,
        )
        print(
            json.dumps(
                {
                    "step": model.step,
                    "cpu_s": round(time.process_time() - start),
                    **{k: round(v, 4) for k, v in errors.items()},
                    "cycle": round(logs["cycle_loss"][-1], 4),
                    "d_loss": round(logs["d_loss"][-1], 4),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
