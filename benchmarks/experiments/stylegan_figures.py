r"""StyleGAN's figures for a trained run: the style-mixing grid and a truncation sweep, as PNGs.

Writes into RUN_DIR/samples/:
    style_mixing_cNN.png   `keras_gan.images.style_mixing_grid` for each crossover asked
                           (rows: sources of the layers before the crossover; columns: after)
    truncation_sweep.png   one row per ψ in --psi (same latents and noise in every row)

Usage:
    python -m benchmarks.experiments.stylegan_figures runs/stylegan-mnist [--crossovers 2,4,6] \
        [--psi 0,0.5,0.7,1]
"""

import argparse
import os

import numpy as np

from keras_gan import images
from keras_gan.runs import load_run


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("run_dir")
    parser.add_argument("--crossovers", default="2,4,6")
    parser.add_argument("--psi", default="0,0.5,0.7,1")
    parser.add_argument("--columns", type=int, default=8)
    args = parser.parse_args()
    model = load_run(args.run_dir)
    out = os.path.join(args.run_dir, "samples")
    for crossover in (int(c) for c in args.crossovers.split(",")):
        path = os.path.join(out, f"style_mixing_c{crossover:02d}.png")
        images.style_mixing_grid(
            model,
            row_seeds=[11, 12, 13, 14],
            col_seeds=[21, 22, 23, 24, 25, 26],
            crossover=crossover,
            path=path,
        )
        print(path)
    rows = [
        model.generate(args.columns, seed=5, psi=float(p), noise="const")
        for p in args.psi.split(",")
    ]
    path = os.path.join(out, "truncation_sweep.png")
    images.write_png(path, images.picture(np.concatenate(rows), columns=args.columns))
    print(path)


if __name__ == "__main__":
    main()
