"""What a model can do, declared by the model: the command line, callbacks and evaluation ask it."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Capabilities:
    """The options a model's sampling takes and what else it does, as plain data.

    `AdversarialModel.capabilities()` returns one; a scheme overrides it to say what it adds.
    Code outside the models (the `keras-gan` command, callbacks, evaluation, standing
    statistics) reads this instead of probing a model's attributes.

    Args:
        num_classes: class-conditional models: `generate(labels=...)` takes labels in
            `[0, num_classes)`; None otherwise.
        truncation: `generate(truncation=T)` draws latents from N(0, I) truncated to
            `|z_i| <= T` (BigGAN's trick).
        psi: `generate(psi=ψ)` truncates in W, `w_avg + ψ (w - w_avg)` (StyleGAN).
        translations: `{direction: input shape}` of a translation model's
            `translate(images, direction)` (CycleGAN: `a2b`, `b2a`); empty for the others.
        ema_generator: the served generator is an exponential moving average of the trained one
            (its BatchNorm statistics, if any, were measured on other weights).
        anomaly_scores: `anomaly_scores(x)` scores examples (MEG's energy).
        refusals: `{option: why}` for options this model refuses with a reason worth more than
            "not supported" (e.g. StyleGAN: truncation is in W, use `psi`).
        latent_spaces: the spaces `to_space(z, space)` / `decode_space(latents, space)` take:
            `("z",)` for latent-variable models, `("z", "w")` for StyleGAN (W: after the mapping
            network); empty for the others.
        latent_path: how to interpolate in z: `"slerp"` for a N(0, I) prior, `"lerp"` for the
            others (e.g. a uniform prior's cube); in W always `"lerp"`, as StyleGAN's authors.
        style_layers: the number of ws a style-based synthesis takes (StyleGAN's `num_ws`):
            `decode_space(ws, "w")` then also takes one w per layer, `[n, style_layers, d]`
            (`keras_gan.latent.layer_path`); 0 for the others.

    Example:

    >>> caps = model.capabilities()
    >>> if caps.num_classes:
    ...     images = model.generate(10, labels=list(range(10)))
    """

    num_classes: int | None = None
    truncation: bool = False
    psi: bool = False
    translations: dict = dataclasses.field(default_factory=dict)
    ema_generator: bool = False
    anomaly_scores: bool = False
    refusals: dict = dataclasses.field(default_factory=dict)
    latent_spaces: tuple = ()
    latent_path: str | None = None
    style_layers: int = 0

    @property
    def conditional(self):
        return self.num_classes is not None

    @property
    def translates(self):
        return bool(self.translations)

    @property
    def generates(self):
        """True for models that draw samples (`generate`), False for translation models."""
        return not self.translations
