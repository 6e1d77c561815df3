"""Ensemble inputs without building thousands of scenarios.

Every resolved input array is an affine function of each uncertain number: a keyframe value moves
its path by a fixed interpolation pattern, a lever adds a fixed pattern, a scalar fills its array.
So the scenario is resolved once at reference values, once more per parameter with that parameter
raised by one unit, and a trajectory's inputs are ``base + sum_p (value_p - ref_p) * pattern_p``.
Linearity is checked (a step of two units must give twice the pattern), so a parameter for which
it does not hold is refused instead of approximated.  Each trajectory then equals a deterministic
run of the scenario with those values (tested).
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
from simulate.scenario.loader import OBSERVED_SETTINGS
from simulate.scenario.paths import CONSTANT_KEY, evaluate, is_keyframes
from simulate.scenario.uncertainty_model import Parameter

class HistoryEdit(KeyError):
    """A parameter that would set a value inside the observed history."""


#: Input fields that never vary between trajectories.
FIXED = ("start_year", "jump_off", "growth_accounting", "birth_calibration", "history", "base_year", "history_end",
         "foreign_women")


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
        raise HistoryEdit(f"{path} is observed, not an assumption")
    if parts[-1].isdigit() and int(parts[-1]) < end:
        raise HistoryEdit(f"{path}: year {parts[-1]} is inside the observed history (to {end})")
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
    from simulate.backcasting import LEVERS

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
        raise InputError(f"uncertainty.parameters.{name}: {edit.args[0]}; history is data, vary a later "
                         "year") from None
    except KeyError as missing:
        raise InputError(f"uncertainty.parameters.{name}: scenario {scenario.name!r} has no "
                         f"setting {missing}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"uncertainty.parameters.{name}: value {value:g} gives an invalid scenario: "
                         f"{where}: {first['msg']}") from None


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
    out = {}
    for key in a:
        if key in FIXED:
            continue
        delta = np.asarray(b[key], float) - np.asarray(a[key], float)
        if np.any(np.nan_to_num(delta) != 0):
            out[key] = np.nan_to_num(delta)
    return out


@dataclass
class AffineInputs:
    """Inputs at reference values plus one pattern per parameter (see the module docstring)."""

    base: dict[str, np.ndarray]
    patterns: list[dict[str, np.ndarray]]
    references: np.ndarray

    @property
    def years(self) -> np.ndarray:
        """Years of every trajectory's results, history first; shape (T+1,)."""
        return DemographicInputs(**{f.name: self.base[f.name] for f in dataclasses.fields(DemographicInputs)}).years

    def batch(self, values: np.ndarray) -> tuple[DemographicInputs, EconomicInputs]:
        """Engine and economy inputs for ``values`` (n, P): one trajectory per row."""
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
            if key == "participation":
                np.clip(combined, 0.0, 100.0, out=combined)
            arrays[key] = combined
        arrays["growth_accounting"] = np.broadcast_to(self.base["growth_accounting"], (n,))
        demo = {f.name for f in dataclasses.fields(DemographicInputs)}
        return (DemographicInputs(**{k: v for k, v in arrays.items() if k in demo}),
                EconomicInputs(**{k: v for k, v in arrays.items() if k not in demo}))


def reference_values(parameters: dict[str, Parameter]) -> np.ndarray:
    """The centre of each distribution (mean, median, mode or mid-range)."""
    def centre(p: Parameter) -> float:
        if p.distribution in ("normal", "truncnormal"):
            return min(max(p.mean, p.low), p.high) if p.low is not None else p.mean
        if p.distribution == "lognormal":
            return p.median
        return p.mode if p.mode is not None else (p.low + p.high) / 2.0
    return np.array([centre(p) for p in parameters.values()])


def affine_inputs(scenario: Scenario, parameters: dict[str, Parameter]) -> AffineInputs:
    """Resolve the scenario at the reference values and once per parameter (+1 and +2 units)."""
    references = reference_values(parameters)
    base = resolve(with_values(scenario, parameters, references))
    patterns = []
    for i, (name, parameter) in enumerate(parameters.items()):
        def moved(step: float) -> dict[str, np.ndarray]:
            values = references.copy()
            values[i] += step
            return _difference(base, resolve(with_values(scenario, parameters, values)))
        one, two = moved(1.0), moved(2.0)
        if set(one) != set(two) or any(not np.allclose(two[k], 2.0 * one[k], rtol=1e-6, atol=1e-9) for k in one):
            raise InputError(f"uncertainty.parameters.{name}: {parameter.target} does not act linearly on the "
                             "model inputs, so it cannot be sampled by the batched engine; vary a keyframe, "
                             "a scalar setting or a lever instead")
        patterns.append(one)
    return AffineInputs(base=base, patterns=patterns, references=references)
