"""What the commands share: errors, help formatting, option groups and count checks."""

import argparse
import json

from keras_gan.runs import RunError


class CLIError(RunError):
    """A problem the user can fix; printed without a traceback."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Python next runs so that it stops a command as Ctrl-C does."""


def terminate(signum, frame):
    """A SIGTERM handler: raises `Terminated` (exit 143 after the command's cleanup)."""
    raise Terminated()


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the examples' line breaks. Each option's help says its default where it has one
    (`%(default)s`), so flags and "the preset's" defaults are not followed by a second one."""


def add_command(subparsers, name, parents, help, examples):
    """A subcommand's parser with the shared options and its examples as the epilog."""
    epilog = ("examples:\n" if len(examples) > 1 else "example:\n") + "\n".join(
        f"  {line}" for line in examples
    )
    return subparsers.add_parser(
        name, parents=parents, help=help, epilog=epilog, formatter_class=HelpFormatter
    )


def add_run_dir(parser):
    parser.add_argument("run_dir", help="a run directory made by keras-gan train (e.g. runs/NAME)")


def add_sampling_options(parser, truncation=True):
    """`--truncation` and `--no-standing-stats`, shared by sample, evaluate and export."""
    if truncation:
        parser.add_argument(
            "--truncation",
            type=float,
            help="draw latents from N(0, I) truncated to |z_i| <= T (BigGAN's trick; N(0, I) "
            "priors)",
        )
    parser.add_argument(
        "--no-standing-stats",
        dest="standing_stats",
        action="store_false",
        help="models with an EMA generator and BatchNorm: keep the trained network's BatchNorm "
        "statistics instead of recomputing them from the EMA generator's own passes",
    )


def add_features_options(parser):
    """`--features` and `--features-file`, as `keras-gan evaluate` and `keras-gan stats` take
    them."""
    parser.add_argument(
        "--features",
        choices=("inception-2015", "keras-inception", "classifier"),
        help="the feature network: inception-2015 is the papers' FID network (comparable with "
        "papers), keras-inception Keras's InceptionV3 (not comparable), classifier a CNN trained "
        "on the data's labels, in this library's own units (default: classifier for labelled "
        "data without an Inception graph, else inception-2015)",
    )
    parser.add_argument(
        "--features-file",
        metavar="PATH",
        help="inception-2015: classify_image_graph_def.pb (default: "
        "$KERAS_GAN_CACHE/inception-2015-12-05/, downloaded once when online); keras-inception: "
        "a weights file (default: Keras's ImageNet weights)",
    )


class FeatureProgress:
    """Prints how many images have gone through the feature network, at most every 10 s and at
    the end of each part: `progress(what, done, total)` of `evaluate_model`."""

    def __init__(self, every_s=10.0):
        import time

        self._clock, self.every_s, self._last = time.monotonic, every_s, None

    def __call__(self, what, done, total):
        now = self._clock()
        if self._last is None or what != self._what:
            self._last, self._start, self._what = now, now, what
        if now - self._last < self.every_s and done != total:
            return
        self._last = now
        elapsed = now - self._start
        rate = f" ({done / elapsed:.0f} images/s)" if elapsed >= 1 else ""
        of = f"/{total:,}" if total else ""
        print(f"features: {what} {done:,}{of}{rate}", flush=True)


def check_positive(args, *names):
    """Refuses a zero or negative value of each flag `--name` that was given."""
    for name in names:
        value = getattr(args, name, None)
        if value is not None and value < 1:
            flag = name.replace("_", "-")
            raise CLIError(f"--{flag} must be a positive integer. Received: {value}")


def check_at_most(args, name, limit, why):
    """Refuses a value of `--name` above `limit`, saying why (e.g. memory)."""
    value = getattr(args, name, None)
    if value is not None and value > limit:
        flag = name.replace("_", "-")
        raise CLIError(f"--{flag} must be at most {limit:,} ({why}). Received: {value}")


def check_space(model, caps, space):
    """Refuses a `--space` the model has no latents in (`Capabilities.latent_spaces`)."""
    if space not in caps.latent_spaces:
        spaces = ", ".join(caps.latent_spaces) or "none (it translates images)"
        raise CLIError(f"--space {space}: {model.name}'s latent spaces: {spaces}.")


def check_label(model, caps, label, required=False):
    """Refuses `--label K` for an unconditional model or outside its classes, and its absence
    where the command needs it (`required`) for a class-conditional one."""
    if label is not None and not caps.conditional:
        raise CLIError(f"--label: {model.name} is not class-conditional. Drop --label.")
    if caps.conditional and (label is not None or required):
        if label is None or not 0 <= label < caps.num_classes:
            raise CLIError(
                f"--label must be a class in [0, {caps.num_classes - 1}] ({model.name} is "
                f"class-conditional). Received: {label}"
            )


STANDING_BATCH_LIMIT = 256


def standing_statistics(model, args, config):
    """Recomputes an EMA generator's BatchNorm statistics before sampling (unless
    `--no-standing-stats`); says so. Returns: whether it did."""
    from keras_gan import standing

    # The training batch, up to 256 latents a pass: a global batch such as biggan-imagenet128's
    # 2,048 (split over devices and accumulations in training) does not fit one forward pass.
    batch = min(int(config.get("batch_size") or 64), STANDING_BATCH_LIMIT)
    if not getattr(args, "standing_stats", True):
        return False
    if not standing.standing_statistics_where_needed(model, batch):
        return False
    print(
        "Standing statistics: the served EMA generator's BatchNorm statistics were recomputed "
        f"from its own 16 forward passes of {batch} latents (--no-standing-stats keeps the trained "
        "network's)."
    )
    return True


def add_overrides_option(parser):
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change the preset (repeatable): an architecture size, a model option or "
        "a rate, as zoo.build takes them, e.g. --set pack=2 --set lr_decay=0.5 (values "
        "are JSON or text)",
    )


def parse_overrides(items):
    """`--set KEY=VALUE` items as a dict; a VALUE that parses as JSON (2, 0.5, true,
    [32, 32, 3]) is that."""
    out = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise CLIError(f"--set takes KEY=VALUE (e.g. --set pack=2). Received: {item!r}")
        if key == "seed":
            raise CLIError("--set seed=... : use --seed, which also seeds the data order.")
        try:
            out[key] = json.loads(value)
        except json.JSONDecodeError:
            out[key] = value
    return out
