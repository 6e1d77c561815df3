"""Ensemble inputs without building thousands of scenarios, exact or not at all.

Most resolved input arrays are affine functions of each uncertain number: a keyframe value moves
its path by a fixed interpolation pattern, a lever adds a fixed pattern, a scalar fills its array.
Then a trajectory's inputs are ``base + sum_p (value_p - centre_p) * pattern_p``, where the base is
the scenario resolved at the centre of the design's box (each parameter's smallest and largest
value) and each pattern is the difference between resolving at the parameter's largest and
smallest value (the others at the centre), divided by that span.  Every probe lies inside the
design, so inside the legal range.

That is a shortcut, and it must give the plain resolution's numbers for every point it serves
(:data:`EXACT_RTOL`).  Two settings acting on one input (a migration level and a migration scale),
a clipped rate (participation at 100 %) or a curved mapping (a profile's peak age) are not affine
together.  So before it serves a design, :func:`affine_inputs` resolves the scenario plainly at
check points — every corner of the box (:data:`MAX_CORNERS`, else that many drawn ones) and up to
:data:`DESIGN_CHECKS` of the design's own points — and compares every input array.  If any differs,
or a check point is not a valid scenario, the design is **handed to the plain path**: every point
is resolved as a deterministic run would resolve it (:meth:`AffineInputs.plain`), in the tasks, so
in parallel.  Either way each trajectory equals a deterministic run of its values (tested with
hypothesis over random designs).  An affine map that agrees at every corner of a box agrees inside
it, and so does a clipped one whose corners are all unclipped, by convexity.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from pydantic import ValidationError

from simulate.demography.engine import DemographicInputs
from simulate.demography.inputs import demographic_inputs
from simulate.economy import EconomicInputs, economic_inputs
from simulate.errors import InputError
from simulate.scenario import Scenario
from simulate.scenario.levers import LEVERS
from simulate.scenario.loader import OBSERVED_SETTINGS
from simulate.scenario.paths import CONSTANT_KEY, evaluate, is_keyframes
from simulate.scenario.uncertainty_model import Parameter
from simulate.text.messages import t

class HistoryEdit(KeyError):
    """A parameter that would set a value inside the observed history."""


#: Input fields that never vary between trajectories.
FIXED = ("start_year", "jump_off", "growth_accounting", "birth_calibration", "history", "base_year", "history_end",
         "foreign_women", "mortality", "fertility_schedule")


def _locate(data: dict, path: str) -> tuple[list[str], dict]:
    """The dotted ``path`` split into parts, and the mapping that holds its last part."""
    parts = path.split(".")
    node = data
    for depth, part in enumerate(parts[:-1]):
        if not isinstance(node, dict) or node.get(part) is None:
            raise KeyError(".".join(parts[: depth + 1]))
        node = node[part]
    return parts, node


def _locate_editable(data: dict, path: str, end: int) -> tuple[list[str], dict]:
    """:func:`_locate`, refusing (HistoryEdit) an observed setting or a keyframe year before ``end``."""
    parts, node = _locate(data, path)
    if tuple(parts) in OBSERVED_SETTINGS:
        raise HistoryEdit(t("{path} is observed, not an assumption", path=path))
    if parts[-1].isdigit() and int(parts[-1]) < end:
        raise HistoryEdit(t("{path}: year {year} is inside the observed history (to {end})", path=path, year=parts[-1],
                            end=end))
    return parts, node


def _set_path(data: dict, path: str, value: float, end: int) -> None:
    """Set ``section.field[.sub].YEAR`` (a keyframe, inserted if missing) or ``section.field``.

    A keyframe year on a constant path turns it into ``{end: constant, YEAR: value}`` (``end``: the
    history end).  A keyframe year inside history is refused (KeyError): history is data.
    """
    parts, node = _locate_editable(data, path, end)
    last = parts[-1]
    if last.isdigit() and is_keyframes(node):
        frames = dict(node)
        if list(frames) == [CONSTANT_KEY]:
            frames = {end: frames[CONSTANT_KEY]}
        frames[int(last)] = value
        node.clear()
        node.update(sorted(frames.items()))
        return
    if not isinstance(node, dict) or last not in node:
        raise KeyError(path)
    node[last] = {CONSTANT_KEY: value} if isinstance(node[last], dict) else value


def _relative(data: dict, path: str, value: float, mode: str, end: int) -> None:
    """Change the path (after the history end ``end``), one keyframe, or the scalar at ``path`` by
    ``value``: ``shift`` adds it, ``scale`` multiplies by it, ``stretch`` multiplies the change
    since ``end``."""
    parts, node = _locate_editable(data, path, end)
    change = {"shift": lambda v: v + value, "scale": lambda v: v * value}.get(mode)
    if parts[-1].isdigit() and mode != "stretch" and is_keyframes(node):
        year = int(parts[-1])  # one keyframe of a path (inserted at its interpolated value if missing)
        current = float(evaluate(node, np.array([year]))[0]) if year not in node else node[year]
        _set_path(data, path, change(current), end)
        return
    current = node.get(parts[-1]) if isinstance(node, dict) else None
    if current is None or isinstance(current, (bool, str)):
        raise KeyError(path)
    if not isinstance(current, dict):
        if mode == "stretch":
            raise KeyError(f"{path} (stretch needs a path)")
        node[parts[-1]] = change(current)
        return
    # A whole path: the years to the history end are data; the change applies to later keyframes.
    anchor = float(evaluate(current, np.array([float(end)]))[0])
    if mode == "stretch":
        change = lambda v: anchor + value * (v - anchor)  # noqa: E731
    later = {k: v for k, v in current.items() if k > end} or {end + 1: anchor}
    node[parts[-1]] = {end: anchor} | {k: change(v) for k, v in later.items()}


def with_value(scenario: Scenario, name: str, parameter: Parameter, value: float) -> Scenario:
    """The scenario with one uncertain parameter set to ``value`` (validated as a file would be)."""
    data = scenario.model_dump()
    try:
        if parameter.lever is not None:
            LEVERS[parameter.lever].apply(data, float(value), parameter.year, scenario.history_end)
        elif parameter.path is not None:
            _set_path(data, parameter.path, float(value), scenario.history_end)
        else:
            mode = next(k for k in ("shift", "scale", "stretch") if getattr(parameter, k) is not None)
            _relative(data, getattr(parameter, mode), float(value), mode, scenario.history_end)
        return Scenario.model_validate(data)
    except HistoryEdit as edit:
        raise InputError(f"uncertainty.parameters.{name}: " + t("{problem}; history is data, vary a later year",
                                                                 problem=edit.args[0])) from None
    except KeyError as missing:
        raise InputError(f"uncertainty.parameters.{name}: " + t("scenario '{scenario}' has no setting {key}",
                                                                 scenario=scenario.name, key=missing)) from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"uncertainty.parameters.{name}: " + t("value {value} gives an invalid scenario: {where}: "
                                                                 "{problem}", value=f"{value:g}", where=where,
                                                                 problem=first["msg"])) from None


def with_values(scenario: Scenario, parameters: dict[str, Parameter], values) -> Scenario:
    """The scenario with every parameter set (in order)."""
    for (name, parameter), value in zip(parameters.items(), values):
        scenario = with_value(scenario, name, parameter, value)
    return scenario


def resolve(scenario: Scenario) -> dict[str, np.ndarray]:
    """All engine and economy inputs of one scenario as named arrays with a batch axis of 1."""
    demography = demographic_inputs([scenario])
    economy = economic_inputs([scenario], demography.years)
    return {f.name: getattr(demography, f.name) for f in dataclasses.fields(demography)} | \
           {f.name: getattr(economy, f.name) for f in dataclasses.fields(economy)}


def _difference(a: dict, b: dict) -> dict[str, np.ndarray]:
    """``b - a`` for every varying input that differs somewhere (NaN where both hold NaN: 0)."""
    out = {}
    for key in a:
        if key in FIXED:
            continue
        delta = np.asarray(b[key], float) - np.asarray(a[key], float)
        if np.any(np.nan_to_num(delta) != 0):
            out[key] = np.nan_to_num(delta)
    return out


#: Largest relative difference (of each input's largest magnitude) allowed between the batched
#: inputs and a plain resolution at any check point; beyond it the design takes the plain path.
#: The engine's results then agree with a deterministic run within about 1e-8 (tested).
EXACT_RTOL = 1e-9
#: Corners of the design's box checked: all of them up to this many, else this many drawn at random
#: (seeded, so the same design always takes the same path).
MAX_CORNERS = 256
#: Points of the design itself checked as well (evenly spread through it).
DESIGN_CHECKS = 16


def _stack(arrays: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Per-point resolutions (batch axis 1 each) stacked into one batch; fixed inputs kept once."""
    out = {}
    for key, first in arrays[0].items():
        out[key] = first if key in FIXED else np.concatenate([np.asarray(a[key]) for a in arrays])
    return out


def _split(arrays: dict[str, np.ndarray]) -> tuple[DemographicInputs, EconomicInputs]:
    demo = {f.name for f in dataclasses.fields(DemographicInputs)}
    return (DemographicInputs(**{k: v for k, v in arrays.items() if k in demo}),
            EconomicInputs(**{k: v for k, v in arrays.items() if k not in demo}))


@dataclass
class AffineInputs:
    """Inputs at the centre of the design plus one pattern per parameter (see the module docstring),
    or, when ``exact`` is False, the scenario and parameters to resolve every point plainly."""

    base: dict[str, np.ndarray]
    patterns: list[dict[str, np.ndarray]]
    references: np.ndarray
    scenario: Scenario
    parameters: dict[str, Parameter]
    exact: bool = True
    #: Why the shortcut was not taken (one line), when ``exact`` is False.
    reason: str = ""

    @property
    def years(self) -> np.ndarray:
        """Years of every trajectory's results, history first; shape (T+1,)."""
        return DemographicInputs(**{f.name: self.base[f.name] for f in dataclasses.fields(DemographicInputs)}).years

    def affine(self, values: np.ndarray) -> dict[str, np.ndarray]:
        """The batched inputs for ``values`` (n, P) as named arrays: ``base + offsets x patterns``."""
        n = len(values)
        offsets = values - self.references[None, :]
        arrays = {}
        for key, base in self.base.items():
            if key in FIXED:
                arrays[key] = base
                continue
            touched = [(p, pattern[key]) for p, pattern in enumerate(self.patterns) if key in pattern]
            if not touched:
                arrays[key] = np.broadcast_to(base, (n,) + base.shape[1:])
                continue
            combined = None
            for p, pattern in touched:
                term = offsets[:, p].reshape((n,) + (1,) * (pattern.ndim - 1)) * pattern
                combined = term if combined is None else np.add(combined, term, out=combined)
            combined += base
            arrays[key] = combined
        arrays["growth_accounting"] = np.broadcast_to(self.base["growth_accounting"], (n,))
        return arrays

    def plain(self, values: np.ndarray) -> dict[str, np.ndarray]:
        """Every point of ``values`` (n, P) resolved as a deterministic run resolves it."""
        return _stack([resolve(with_values(self.scenario, self.parameters, row)) for row in values])

    def batch(self, values: np.ndarray) -> tuple[DemographicInputs, EconomicInputs]:
        """Engine and economy inputs for ``values`` (n, P): one trajectory per row."""
        return _split(self.affine(values) if self.exact else self.plain(values))


def reference_values(parameters: dict[str, Parameter]) -> np.ndarray:
    """The centre of each distribution (mean, median, mode or mid-range)."""
    def centre(p: Parameter) -> float:
        if p.distribution in ("normal", "truncnormal"):
            return min(max(p.mean, p.low), p.high) if p.low is not None else p.mean
        if p.distribution == "lognormal":
            return p.median
        return p.mode if p.mode is not None else (p.low + p.high) / 2.0
    return np.array([centre(p) for p in parameters.values()])


def check_points(low: np.ndarray, high: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Where the shortcut is checked: the corners of the box ``low``..``high`` (every one up to
    :data:`MAX_CORNERS`, else as many drawn), and up to :data:`DESIGN_CHECKS` design points."""
    varying = np.flatnonzero(high > low)
    if 2 ** len(varying) <= MAX_CORNERS:
        codes = np.arange(2 ** len(varying))
    else:
        codes = np.random.default_rng(len(varying)).integers(0, 2 ** len(varying), MAX_CORNERS, dtype=np.uint64)
    bits = (codes[:, None] >> np.arange(len(varying), dtype=codes.dtype)[None, :]) & 1
    corners = np.broadcast_to((low + high) / 2.0, (len(codes), len(low))).copy()
    corners[:, varying] = np.where(bits.astype(bool), high[varying], low[varying])
    spread = values[np.unique(np.linspace(0, len(values) - 1, min(DESIGN_CHECKS, len(values))).astype(int))]
    return np.concatenate([corners, spread])


def _differs(batched: dict[str, np.ndarray], plain: dict[str, np.ndarray]) -> str | None:
    """The first input (and check point) where the shortcut misses the plain resolution, or None."""
    for key, exact in plain.items():
        if key in FIXED or key == "growth_accounting":
            continue
        exact, got = np.asarray(exact, float), np.asarray(batched[key], float)
        scale = max(1.0, float(np.nanmax(np.abs(exact), initial=0.0)))
        if not np.allclose(got, exact, rtol=0.0, atol=EXACT_RTOL * scale, equal_nan=True):
            return key
    return None


def affine_inputs(scenario: Scenario, parameters: dict[str, Parameter], values: np.ndarray) -> AffineInputs:
    """The inputs of the design ``values`` (n, P): the affine shortcut if it is exact at every check
    point (:func:`check_points`), else the plain path (see the module docstring)."""
    values = np.asarray(values, float)
    low, high = values.min(axis=0), values.max(axis=0)
    references = (low + high) / 2.0
    base = resolve(with_values(scenario, parameters, references))
    patterns = []
    for i in range(len(parameters)):
        if high[i] == low[i]:
            patterns.append({})
            continue
        ends = []
        for end in (low[i], high[i]):
            point = references.copy()
            point[i] = end
            ends.append(resolve(with_values(scenario, parameters, point)))
        patterns.append({k: v / (high[i] - low[i]) for k, v in _difference(ends[0], ends[1]).items()})
    shortcut = AffineInputs(base=base, patterns=patterns, references=references, scenario=scenario,
                            parameters=parameters)
    points = check_points(low, high, values)
    try:
        plain = shortcut.plain(points)
    except InputError as error:  # a corner outside the legal combinations: nothing to compare
        reason = f"a corner of the design is not a valid scenario ({error.problems[0]})"
    else:
        key = _differs(shortcut.affine(points), plain)
        if key is None:
            return shortcut
        names = ", ".join(parameters)
        reason = f"the inputs are not affine in {names} together: {key} differs at a check point"
    return dataclasses.replace(shortcut, exact=False, reason=reason)
