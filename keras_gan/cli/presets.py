"""`keras-gan list`: the zoo's presets, one line each."""

from keras_gan.cli.common import add_command


def add_parser(subparsers, parents):
    add_command(subparsers, "list", parents, "list the zoo's presets", ["keras-gan list"])


def run(args):
    from keras_gan import zoo

    rows = [(n, zoo.spec(n)) for n in zoo.names()]
    width = max(len(n) for n, _ in rows)
    model_width = max(len(p.model.__name__) for _, p in rows)
    data_width = max(len(p.dataset) for _, p in rows)
    for name, preset in rows:
        print(
            f"{name:<{width}}  {preset.model.__name__:<{model_width}}  "
            f"data={preset.dataset:<{data_width}} batch={preset.batch_size:<4} "
            f"steps={preset.steps:<6} {preset.reference.split(';')[0]}"
        )
    return 0
