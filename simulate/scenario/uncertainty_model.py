"""The ``uncertainty:`` block: distributions over scenario values, for ensembles and sensitivity.

```yaml
uncertainty:
  parameters:
    tfr_2065: {path: fertility.tfr.2065, distribution: truncnormal, mean: 1.44, sd: 0.15, low: 1.0, high: 2.0}
    seniors:  {lever: seniors_uplift, year: 2040, distribution: uniform, low: 0, high: 20}
```

A parameter varies exactly one of:

- ``path``: a setting's value — a scalar such as ``fertility.sex_ratio_at_birth`` or a keyframe such
  as ``mortality.e0.male.2065`` (a missing keyframe year is inserted; a constant path becomes
  ``{2015: constant, YEAR: value}``);
- ``shift``: a number added to a path (``fertility.tfr``) from 2018 on (2015-2017 are history), or
  to one keyframe (``mortality.e0.male.2065``), like the ``"+d"`` form;
- ``scale``: a factor multiplying a path (``migration.net``) from 2018 on, or one keyframe, like ``"xf"``;
- ``stretch``: a factor multiplying a path's change since 2017 (``mortality.e0.male``: 1.2 means 20 %
  more improvement than assumed), so uncertainty grows with time;
- ``lever``: a backcast lever (``seniors_uplift``, ``women_uplift``, ``productivity_growth``,
  ``net_migration``, ``tfr``), ramped to ``year``.  Levers are policy choices, not uncertainties
  (the XLRM split of robust decision making): sweep them, or sample one only by asking for it
  with ``sample_policy: true``.

``shift`` and ``scale`` suit a block that children inherit: they act on whatever path the child has.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from simulate.names import NAME_PATTERN, name_problem
from simulate.scenario.levers import LEVERS
from simulate.scenario.sections import Section
from simulate.text.messages import N_, t

#: The levers (:mod:`simulate.scenario.levers`).
LEVER_NAMES = tuple(LEVERS)
PATH = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")
#: Settings an uncertainty parameter or a sweep axis commonly varies, in words (others show their path).
SETTING_LABELS = {
    "fertility.tfr": N_("total fertility rate"),
    "fertility.sex_ratio_at_birth": N_("sex ratio at birth"),
    "mortality.e0.male": N_("life expectancy, males"),
    "mortality.e0.female": N_("life expectancy, females"),
    "migration.net": N_("net migration"),
    "economy.productivity_growth": N_("productivity growth"),
    "labour.unemployment": N_("unemployment rate"),
}
#: A distribution's parameters in words ({value}: the number).
SHAPE_WORDS = {"mean": N_("mean {value}"), "sd": N_("sd {value}"), "median": N_("median {value}"),
               "sigma": N_("sigma {value}"), "mode": N_("mode {value}")}
#: The distributions' names, marked for the catalogue.
DISTRIBUTIONS = (N_("normal"), N_("truncnormal"), N_("uniform"), N_("triangular"), N_("lognormal"))
#: How each kind of parameter acts on its setting, in words.
ACTS = {"path": N_("{setting}"), "shift": N_("{setting} (shifted)"), "scale": N_("{setting} (scaled)"),
        "stretch": N_("gain in {setting} (stretched)")}


def setting_label(path: str, lang: str | None = None) -> str:
    """A setting path for a person: 'fertility.tfr.2040' -> 'total fertility rate in 2040'."""
    parts = path.split(".")
    year = parts.pop() if parts[-1].isdigit() else None
    dotted = ".".join(parts)
    words = t(SETTING_LABELS[dotted], lang) if dotted in SETTING_LABELS else dotted
    return t("{setting} in {year}", lang, setting=words, year=year) if year else words


class Parameter(Section):
    """One uncertain number and its distribution."""

    path: str | None = Field(None, description="Setting to vary: 'section.field' or 'section.field[.sex].YEAR' "
                                                "for a keyframe, e.g. 'fertility.tfr.2065'")
    shift: str | None = Field(None, description="Or a path to which the value is added at every keyframe, "
                                                "e.g. 'fertility.tfr'")
    scale: str | None = Field(None, description="Or a path whose every keyframe is multiplied by the value, "
                                                "e.g. 'migration.net'")
    stretch: str | None = Field(None, description="Or a path whose change since 2017 is multiplied by the "
                                                  "value, e.g. 'mortality.e0.male'")
    lever: Literal[LEVER_NAMES] | None = Field(None, description="Or a backcast lever to vary (a policy "
                                               "choice: needs sample_policy: true)")
    sample_policy: bool = Field(False, description="True: sample this policy lever as if it were uncertain, "
                                "deliberately (levers are choices; sweeps vary them by name)")
    year: int = Field(2040, ge=2018, le=2300, description="For a lever: year its ramp ends [year]")
    distribution: Literal["normal", "truncnormal", "uniform", "triangular", "lognormal"] = Field(
        description="normal(mean, sd); truncnormal(mean, sd, low, high); uniform(low, high); "
                    "triangular(low, mode, high); lognormal(median, sigma)")
    mean: float | None = Field(None, description="Mean (normal, truncnormal)")
    sd: float | None = Field(None, gt=0, description="Standard deviation > 0 (normal, truncnormal)")
    low: float | None = Field(None, description="Lower bound (truncnormal, uniform, triangular)")
    high: float | None = Field(None, description="Upper bound (truncnormal, uniform, triangular)")
    mode: float | None = Field(None, description="Most likely value (triangular)")
    median: float | None = Field(None, gt=0, description="Median > 0 (lognormal)")
    sigma: float | None = Field(None, gt=0, description="Standard deviation of the log > 0 (lognormal)")

    @model_validator(mode="after")
    def _consistent(self) -> Parameter:
        kinds = [k for k in ("path", "shift", "scale", "stretch", "lever") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise PydanticCustomError("parameter", t("give exactly one of 'path', 'shift', 'scale', 'stretch' "
                                      "or 'lever'"))
        if self.lever is None and self.year != Parameter.model_fields["year"].default:
            raise PydanticCustomError("parameter", t("year is the year a lever's ramp ends: this parameter varies "
                                      "{kind}, whose own years say when, so leave year out"), {"kind": kinds[0]})
        if self.sample_policy and self.lever is None:
            raise PydanticCustomError("parameter", t("sample_policy applies to a lever parameter only: this one "
                                      "varies {kind}, an uncertainty, so leave sample_policy out"), {"kind": kinds[0]})
        if self.lever is not None and not self.sample_policy:
            raise PydanticCustomError("parameter", t("{lever} is a policy lever, a choice rather than an "
                                      "uncertainty: sweep it ('sweep --grid {lever}=...') or add "
                                      "'sample_policy: true' to sample it deliberately"), {"lever": self.lever})
        for kind in ("path", "shift", "scale", "stretch"):
            text = getattr(self, kind)
            if text is not None and not PATH.match(text):
                raise PydanticCustomError("parameter", t("{kind} {path} is not like 'fertility.tfr.2065'"),
                                          {"kind": kind, "path": repr(text)})
        needed = {"normal": ("mean", "sd"), "truncnormal": ("mean", "sd", "low", "high"),
                  "uniform": ("low", "high"), "triangular": ("low", "mode", "high"),
                  "lognormal": ("median", "sigma")}[self.distribution]
        given = {k for k in ("mean", "sd", "low", "high", "mode", "median", "sigma") if getattr(self, k) is not None}
        missing, extra = [k for k in needed if k not in given], sorted(given - set(needed))
        if missing or extra:
            raise PydanticCustomError("parameter", t("{dist} needs exactly {need}{detail}"), {
                "dist": self.distribution, "need": ", ".join(needed),
                "detail": (t("; missing {names}", names=", ".join(missing)) if missing else "")
                + (t("; not used: {names}", names=", ".join(extra)) if extra else "")})
        for key in given:
            if not math.isfinite(getattr(self, key)):
                raise PydanticCustomError("parameter", t("{key} must be finite"), {"key": key})
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise PydanticCustomError("parameter", t("low must be below high"))
        if self.mode is not None and not self.low <= self.mode <= self.high:
            raise PydanticCustomError("parameter", t("mode must lie between low and high"))
        return self

    def label(self, lang: str | None = None) -> str:
        """What the parameter varies, for axes and tables: 'total fertility rate (shifted)', a
        lever's name, or a setting's path where it has no name in words."""
        if self.lever is not None:
            return LEVERS[self.lever].name_in(lang)
        kind = next(k for k in ACTS if getattr(self, k) is not None)
        return t(ACTS[kind], lang, setting=setting_label(getattr(self, kind), lang))

    def describe(self, lang: str = "en") -> str:
        """What is varied and over what range, e.g. 'shift fertility.tfr: truncnormal(mean 0, sd 0.12,
        -0.3 to 0.3)' (English, as the store records it); the Japanese of the catalogue names the
        parameter in words instead.  Policy levers are marked."""
        shape = t(", ", lang).join(t(SHAPE_WORDS[k], lang, value=f"{getattr(self, k):g}")
                          for k in ("mean", "sd", "median", "sigma", "mode") if getattr(self, k) is not None)
        if self.low is not None:
            shape = t(", ", lang).join(filter(None, [shape, t("{low} to {high}", lang, low=f"{self.low:g}",
                                                      high=f"{self.high:g}")]))
        policy = t(" (policy lever, sampled on request)", lang) if self.lever else ""
        # the English names the setting as written (the store's long_name); a translation may say {label}
        return t("{target}: {distribution}({shape}){policy}", lang, target=self.target, label=self.label(lang),
                 distribution=t(self.distribution, lang), shape=shape, policy=policy)

    @property
    def target(self) -> str:
        """What the parameter varies, for messages and duplicate detection."""
        if self.lever:
            return f"lever {self.lever}"
        for kind in ("shift", "scale", "stretch"):
            if getattr(self, kind):
                return f"{kind} {getattr(self, kind)}"
        return self.path


def _checked_name(value: str) -> str:
    problem = name_problem(value)
    if problem:
        raise PydanticCustomError("name", problem)
    return value


#: A parameter's name labels CSV columns and store arrays: the scenario-name rule (:mod:`simulate.names`).
ParameterName = Annotated[str, AfterValidator(_checked_name), WithJsonSchema({"type": "string", "pattern": NAME_PATTERN})]


class Uncertainty(Section):
    """Uncertain parameters, by name."""

    parameters: dict[ParameterName, Parameter] = Field(default_factory=dict,
                                                       description="Name -> parameter (names label outputs)")

    def labels(self, lang: str | None = None) -> dict[str, str]:
        """Name -> what the parameter varies, in words (:meth:`Parameter.label`)."""
        return {name: parameter.label(lang) for name, parameter in self.parameters.items()}

    @model_validator(mode="after")
    def _distinct_targets(self) -> Uncertainty:
        seen: dict[str, str] = {}
        for name, parameter in self.parameters.items():
            key = parameter.target
            if key in seen:
                raise PydanticCustomError("parameter", t("{a} and {b} vary the same setting {key}"),
                                          {"a": seen[key], "b": name, "key": key})
            seen[key] = name
        return self
