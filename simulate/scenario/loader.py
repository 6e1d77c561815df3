"""Loading scenarios: ``extends`` chains, deep merge, relative forms, validation, located errors."""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from simulate.calendar import BASES, DEFAULT_BASIS, history_end
from simulate.errors import InputError
from simulate.names import name_problem, settings_text, what_if_name
from simulate.text.reprs import html_view, short_repr
from simulate.scenario.dials import expand, ramped
from simulate.scenario.model import BASIS_DEFAULTS, Scenario
from simulate.scenario.paths import (CONSTANT_KEY, apply_relative, is_keyframes, is_relative, keyframes_before,
                                    number_hint, resolve_starts)
from simulate.scenario.shipped import shipped_names, shipped_path
from simulate.scenario.source import KeyPath, SourceFile, problem, read_source
from simulate.scenario.units import check_units
from simulate.text.messages import N_, in_use, t

#: Keys that describe one file and are never inherited from a parent.
OWN_KEYS = ("extends", "name", "title", "description")


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with the files it came from (leaf first) and their hashes."""

    scenario: Scenario
    files: tuple[Path, ...]
    file_sha256: str
    #: The settings changed on top of the files (``--set``, keyword overrides), as written:
    #: ``(("migration.net", "300000"),)``; empty for a scenario run as its files say.
    overrides: tuple[tuple[str, str], ...] = ()

    def __repr__(self) -> str:
        changed = "; ".join(f"{key}={value}" for key, value in self.overrides)
        return short_repr(f"<LoadedScenario {self.scenario.summary()}" + (f"; set: {changed}" if changed else "")
                        + (f"; from {self.files[0].name}" if self.files else "") + ">")

    def _repr_html_(self) -> str:
        return html_view(repr(self))

    @property
    def resolved_sha256(self) -> str:
        """Hash of the fully resolved scenario (canonical JSON): equal hashes, equal runs."""
        text = json.dumps(self.scenario.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def parent_path(child: Path, extends: str) -> Path:
    """Where ``extends: X`` points: a bare name is ``X.yaml`` beside the child, else the shipped
    scenario of that name (:mod:`simulate.scenario.shipped`); otherwise a path relative to the child."""
    target = Path(extends)
    if target.suffix not in (".yaml", ".yml"):
        target = target.with_name(target.name + ".yaml")
    beside = (child.parent / target).resolve() if not target.is_absolute() else target.resolve()
    if not beside.is_file():
        shipped = shipped_path(extends)
        if shipped is not None and shipped.resolve() != child.resolve():
            return shipped.resolve()
    return beside


def read_chain(path: Path) -> list[SourceFile]:
    """The file and its ancestors, leaf first; cycles and missing parents are located errors."""
    return chain_from(read_source(path))


def did_you_mean(extends: str, folder: Path) -> str:
    """`` (did you mean 'current'?)`` for a parent name close to a shipped scenario or to a scenario
    file beside the child; empty if none is close."""
    stem = Path(extends).stem if Path(extends).suffix in (".yaml", ".yml") else Path(extends).name
    try:
        beside = [p.stem for p in folder.glob("*.yaml")]
    except OSError:
        beside = []
    close = difflib.get_close_matches(stem, sorted(set(shipped_names()) | set(beside)), n=1)
    return t(" (did you mean '{name}'?)", name=close[0]) if close else ""


def chain_from(leaf: SourceFile) -> list[SourceFile]:
    """``leaf`` (a file read, or a mapping) and its ancestors, leaf first (:func:`read_chain`)."""
    chain = [leaf]
    seen = {leaf.path.resolve()}
    while "extends" in chain[-1].data and chain[-1].data["extends"] is not None:
        child = chain[-1]
        extends = child.data["extends"]
        where = child.where(("extends",))
        if not isinstance(extends, str) or not extends.strip():
            raise InputError(problem(child.path, where, ("extends",), t("must be a scenario name or a relative path")))
        if "\0" in extends:  # in our words: the system's differ between Python versions
            raise InputError(problem(child.path, where, ("extends",), t(
                "{name} contains a NUL character, which no file name can hold", name=repr(extends[:60]))))
        try:
            parent = parent_path(child.path, extends)
            found = parent.is_file()
        except (ValueError, OSError) as error:  # '.', a name too long for the file system
            raise InputError(problem(child.path, where, ("extends",), t(
                "cannot use {name} as a parent scenario (the system says: {detail})", name=repr(extends[:60]),
                detail=" ".join(str(error).split())[:100]))) from None
        if parent in seen:  # reported where the cycle starts: the file it returns to
            start = next(s for s in chain if s.path.resolve() == parent)
            names = " -> ".join(f.path.name for f in chain) + f" -> {parent.name}"
            raise InputError(problem(start.path, start.where(("extends",)), ("extends",),
                                     t("inheritance cycle: {names}", names=names)))
        if not found:
            raise InputError(problem(child.path, where, ("extends",), t("parent scenario not found: {path}", path=parent)
                                     + did_you_mean(extends, child.path.parent)))
        seen.add(parent)
        chain.append(read_source(parent))
    return chain


#: Named collections a child can empty (``parameters: {}``) or drop entries from (``name: null``).
CLEARABLE = (("uncertainty", "parameters"),)


def overlay(base: dict, layer: dict, source: SourceFile, prefix: KeyPath, problems: list[str]) -> None:
    """Deep-merge ``layer`` into ``base`` in place.  Sections merge key by key; keyframe paths and
    other values replace; relative forms (``"+0.5"``, ``"x1.1"``) apply to the value in ``base``.
    In a :data:`CLEARABLE` collection, ``{}`` removes every inherited entry and ``name: null`` one."""
    for key, value in layer.items():
        here = prefix + (key,)
        current = base.get(key)
        if here in CLEARABLE and value == {}:
            base[key] = {}
        elif here[:-1] in CLEARABLE and value is None:
            base.pop(key, None)
        elif is_relative(value):
            try:
                base[key] = apply_relative(value, current)
            except ValueError as error:
                problems.append(problem(source.path, source.where(here), here, str(error)))
        elif (isinstance(value, dict) and isinstance(current, dict)
              and not is_keyframes(value) and not is_keyframes(current)):
            overlay(current, value, source, here, problems)
        else:
            base[key] = copy.deepcopy(value)


@lru_cache(maxsize=1)
def _default_dump() -> dict[str, Any]:
    """The default scenario (the baseline) as plain data; callers copy before changing it."""
    return Scenario().model_dump()


def _defaults() -> dict[str, Any]:
    data = copy.deepcopy(_default_dump())
    for key in OWN_KEYS + BASIS_DEFAULTS:  # the jump-off's defaults are filled after merging
        data.pop(key, None)
    return data


#: Labour shortcuts whose ``start`` year must not lie inside history.
RAMPS = ("seniors", "women_m_curve", "women_gap")
#: Settings that are observations, not assumptions: a scenario may change them only for a
#: counterfactual past (``simulate.uncertainty.inputs`` refuses them as parameters too).
OBSERVED_SETTINGS = (("economy", "gdp_2018_usd_bn"),)


def merged_history_end(merged: dict) -> int | None:
    """The last observed year of partly merged scenario data (None if its calendar is invalid: the
    validator reports that)."""
    jump_off, end = merged.get("jump_off") or DEFAULT_BASIS, merged.get("observed_until")
    if jump_off not in BASES or not (end is None or (isinstance(end, int) and not isinstance(end, bool))):
        return None
    return history_end(jump_off, end, merged.get("counterfactual_past") is True)


def check_history(layer: dict, end: int, source: SourceFile) -> list[str]:
    """Located problems for what ``layer`` (one file) writes inside the observed history up to ``end``."""
    rule = t("years to {end} are observed and come from data, assumptions start in {first} (a keyframe at {end} "
             "sets where they start from); for a what-if past set 'counterfactual_past: true'", end=end, first=end + 1)
    found = [(where, t("keyframe {year} is inside history: {rule}", year=where[-1], rule=rule))
             for where in keyframes_before(layer, end)]
    labour = layer.get("labour") if isinstance(layer.get("labour"), dict) else {}
    for ramp in RAMPS:
        start = labour.get(ramp).get("start") if isinstance(labour.get(ramp), dict) else None
        if isinstance(start, int) and not isinstance(start, bool) and start < end:
            found.append((("labour", ramp, "start"), t("start {start} is inside history: {rule}", start=start,
                                                        rule=rule)))
    observed = _default_dump()
    for where in OBSERVED_SETTINGS:
        node, value = layer, observed
        for part in where:
            node = node.get(part) if isinstance(node, dict) else None
            value = value[part]
        if node is not None and node != value:
            found.append((where, t("{key} is observed (the seed's GDP 2018 anchors every year's level, history "
                                   "included); change it only with 'counterfactual_past: true'", key=".".join(where))))
    return [problem(source.path, source.where(where), where, message) for where, message in found]


def _model_at(key_path: KeyPath) -> type[BaseModel] | None:
    model: type[BaseModel] = Scenario
    for part in key_path:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def describe(error: dict) -> str:
    """A one-line message for one pydantic error."""
    loc, kind, value = error["loc"], error["type"], error.get("input")
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = t(" (did you mean '{name}'?)", name=close[0]) if close else (
            t("; allowed: {names}", names=", ".join(allowed)) if allowed else "")
        return t("unknown key") + hint
    message = error["msg"] if in_use() == "en" or kind not in PYDANTIC else t(PYDANTIC[kind], **error.get("ctx", {}))
    if kind.endswith("_type") or kind.endswith("_parsing") or kind == "model_type":
        shown = repr(value) if isinstance(value, (str, int, float, bool, type(None))) else type(value).__name__
        message += t(", got {value}", value=shown)
        hint = number_hint(value) if isinstance(value, str) and kind in NUMBER_KINDS else None
        if hint:
            message += f": {hint}"
    return message


#: pydantic's own messages by error type, for the languages other than English (whose text is
#: pydantic's): the ``ctx`` of the error fills the fields.
PYDANTIC = {
    "missing": N_("Field required"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "finite_number": N_("Input should be a finite number"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "string_type": N_("Input should be a valid string"),
    "bool_type": N_("Input should be a valid boolean"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_("Input should be a valid dictionary or object to extract fields from"),
    "literal_error": N_("Input should be {expected}"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "string_too_long": N_("String should have at most {max_length} characters"),
    "too_short": N_("List should have at least {min_length} items"),
    "too_long": N_("List should have at most {max_length} items"),
}


#: pydantic errors of a number (or year) that was not one; their text may be a number in disguise.
NUMBER_KINDS = ("float_parsing", "int_parsing", "float_type", "int_type", "int_from_float")


def _clean_loc(loc: tuple, chain: list[SourceFile]) -> KeyPath:
    """Drop pydantic's '[key]' marker, and the internal key of a path written as one number."""
    loc = tuple(part for part in loc if part != "[key]")
    if loc and loc[-1] == CONSTANT_KEY and not any(loc in s.marks for s in chain):
        loc = loc[:-1]
    return loc


#: Origin shown for overrides (``--set`` on the command line, keyword arguments in the API).
OVERRIDE_ORIGIN = "--set"


def override_value(key: str, value: Any) -> Any:
    """An override's value: text is read in YAML syntax (``"200000"`` is a number, ``"{2040: 1.6}"``
    keyframes) as ``--set`` reads it, except the relative forms (``"+0.2"``, ``"x1.1"``) and a file's
    own texts (name, title, description, extends), which stay text."""
    import yaml

    if not isinstance(value, str) or key in OWN_KEYS or is_relative(value.strip()):
        return value.strip() if isinstance(value, str) and is_relative(value.strip()) else value
    try:
        return yaml.safe_load(value) if value.strip() else None
    except yaml.YAMLError:
        return value


def override_source(overrides: dict[str, Any], origin: str = OVERRIDE_ORIGIN) -> SourceFile:
    """Dotted-key overrides (``{"fertility.tfr": "+0.2"}``) as one more layer, with every key path
    marked so that problems name the key (``--set: fertility.tfr: ...``)."""
    data: dict[str, Any] = {}
    marks: dict[KeyPath, tuple[int, int]] = {}
    for dotted, value in overrides.items():
        keys = [int(k) if k.isdigit() else k for k in str(dotted).split(".")]
        if not all(str(k).strip() for k in keys):
            raise InputError(f"{origin} {dotted}: " + t("not a dotted setting name such as fertility.tfr"))
        node = data
        for depth, key in enumerate(keys[:-1]):
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                raise InputError(f"{origin} {dotted}: " + t("{key} is given a value too",
                                                            key=".".join(map(str, keys[:depth + 1]))))
            marks[tuple(keys[:depth + 1])] = (0, 0)
        node[keys[-1]] = override_value(str(dotted), value)
        marks[tuple(keys)] = (0, 0)
    return SourceFile(path=Path(origin), data=data, marks=marks)


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None,
                  origin: str = OVERRIDE_ORIGIN) -> LoadedScenario:
    """Read, merge and validate a scenario file, then apply ``overrides`` (dotted keys, YAML value
    syntax including the relative forms; problems in them name ``origin``); raise :class:`InputError`
    listing every problem."""
    path = Path(path)
    return _load(read_chain(path), path.stem, overrides, origin)


#: How problems in a scenario given as a mapping (the Python API) are located.
MAPPING_ORIGIN = "mapping"


def load_mapping(mapping: dict[str, Any], overrides: dict[str, Any] | None = None, origin: str = OVERRIDE_ORIGIN,
                 folder: Path | None = None) -> LoadedScenario:
    """A scenario given as a mapping, validated exactly as a file in ``folder`` (default: the current
    folder, where its ``extends`` is looked for) would be, without writing anything.  Problems name
    ``mapping`` and the key; its name defaults to ``scenario``."""
    data = dict(mapping)
    bad = [k for k in data if not isinstance(k, str)]
    if bad:
        raise InputError(f"{MAPPING_ORIGIN}: " + t("top-level key {key} is not a name", key=repr(bad[0])))
    marks = {key: (0, 0) for key in _key_paths(data)}
    raw = json.dumps(_text_keys(data), sort_keys=True, default=str).encode("utf-8")
    leaf = SourceFile(path=(folder or Path.cwd()) / MAPPING_ORIGIN, data=data, marks=marks, raw=raw)
    return _load(chain_from(leaf), "scenario", overrides, origin, shown=Path(MAPPING_ORIGIN))


def _text_keys(data: Any) -> Any:
    """``data`` with every mapping key as text, so that keyframes with a ``start`` key sort."""
    if isinstance(data, dict):
        return {str(k): _text_keys(v) for k, v in data.items()}
    return [_text_keys(v) for v in data] if isinstance(data, list) else data


def _key_paths(data: Any, prefix: KeyPath = ()) -> list[KeyPath]:
    """Every key path of nested mappings and lists (the marks of a mapping: no lines to show)."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    return [found for key, value in items for found in [prefix + (key,)] + _key_paths(value, prefix + (key,))]


def _load(chain: list[SourceFile], default_name: str, overrides: dict[str, Any] | None, origin: str,
          shown: Path | None = None, words: dict[str, Any] | None = None) -> LoadedScenario:
    """Merge and validate a chain (leaf first) with ``overrides`` (see :func:`load_scenario`);
    ``shown``: how the leaf is named in problems (default: its path).  Ramps (``KEY=VALUE@YEAR``) and
    the dials' own keys expand on the scenario loaded without them (:func:`simulate.scenario.dials.expand`);
    ``words``: the overrides as written, which name a what-if and its title."""
    ramps = ramped(overrides or {}) if words is None else {}
    if ramps:
        plain = {k: v for k, v in overrides.items() if k not in ramps}
        base = _load(chain, default_name, plain, origin, shown, words=plain)
        return _load(chain, default_name, plain | expand(base.scenario, ramps, origin), origin, shown, words=overrides)
    if shown is not None:
        chain = [SourceFile(path=shown, data=chain[0].data, marks=chain[0].marks, raw=chain[0].raw)] + chain[1:]
    layers = list(reversed(chain)) + ([override_source(overrides, origin)] if overrides else [])
    layers = [replace(source, data=resolve_starts(source.data)) for source in layers]  # 'start: hold' first
    merged = _defaults()
    problems: list[str] = [p for source in chain for p in source.problems]  # what reading found, first
    for source in layers:
        layer, slips = check_units({k: v for k, v in source.data.items() if k not in OWN_KEYS})
        problems += [problem(source.path, source.where(where), where, message) for where, message in slips]
        overlay(merged, layer, source, (), problems)
        end = merged_history_end(merged)
        if end is not None and merged.get("counterfactual_past") is not True:
            problems += check_history(layer, end, source)
    leaf = chain[0]
    own = {k: leaf.data[k] for k in OWN_KEYS if k in leaf.data}
    if overrides:
        own |= {k: v for k, v in layers[-1].data.items() if k in OWN_KEYS and k != "extends"}
    own.setdefault("name", default_name)
    changed = {k: v for k, v in ((overrides if words is None else words) or {}).items() if k not in OWN_KEYS}
    if changed:  # a what-if keeps its own name, folder and title (unless the overrides give them)
        if "title" not in overrides:
            title = own.get("title") or own["name"]
            own["title"] = ({k: f"{v} + {settings_text(changed)}" for k, v in title.items()}
                            if isinstance(title, dict) else f"{title} + {settings_text(changed)}")
        if "name" not in overrides and name_problem(own["name"]) is None:
            own["name"] = what_if_name(own["name"], changed)
    merged.update(own)
    try:
        scenario = Scenario.model_validate(merged)
    except ValidationError as error:
        owners = list(reversed(layers))  # the last layer that wrote a key is where it comes from
        for item in error.errors():
            loc = _clean_loc(item["loc"], chain)
            # a file's own keys (name, title, ...) are never inherited: their problems are the leaf's
            owner = leaf if loc[:1] and loc[0] in OWN_KEYS and not (overrides and loc[0] in overrides) else next(
                (s for s in owners if _written_in(s, loc)), leaf)
            message = describe(item)
            if loc == ("name",) and "name" not in leaf.data and not (overrides and "name" in overrides):
                message = t("file name {name} is not a valid scenario name; add a 'name:' key ({problem})",
                            name=repr(default_name), problem=message)
            problems.append(problem(owner.path, owner.where(loc), loc, message))
    if problems:
        raise InputError(at_most(problems))
    digest = hashlib.sha256(b"".join(s.raw for s in chain)
                            + json.dumps(overrides or {}, sort_keys=True, default=str).encode()).hexdigest()
    shown = tuple((key, settings_text({key: value}).split("=", 1)[1]) for key, value in sorted(changed.items()))
    return LoadedScenario(scenario=scenario, files=tuple(s.path for s in chain), file_sha256=digest, overrides=shown)


#: The most problems reported for one scenario; the rest are counted.
MAX_PROBLEMS = 20


def at_most(problems: list[str], limit: int = MAX_PROBLEMS) -> list[str]:
    """``problems``, each once, the first ``limit`` of them and a line counting the others."""
    unique = list(dict.fromkeys(problems))
    if len(unique) <= limit:
        return unique
    return unique[:limit] + [t("... and {count} more problems (fix these first)", count=len(unique) - limit)]


def _written_in(source: SourceFile, loc: KeyPath) -> bool:
    return any(loc[:end] in source.marks for end in range(len(loc), 0, -1))


def load_scenarios(paths: list[Path]) -> list[LoadedScenario]:
    """Load several files, reporting the problems of all of them together."""
    loaded, problems = [], []
    for path in paths:
        try:
            loaded.append(load_scenario(path))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return loaded

