"""The layout shows the architecture: layers that point one way, and no import cycle.

The import graph (grimp; imports inside functions included) is checked against the layers below,
lowest first: a module may import its own layer and those beneath it, never one above, and no two
modules may import each other, directly or through others.
"""

from __future__ import annotations

import copy

import grimp
import pytest

#: Lowest first.  Foundation: what everything may use.  Model: the scenario language, then the
#: demography, the economy, runs, questions (backcasts, the official figures) and uncertainty.
#: Faces: figures, reports, the Python API, the command line (the package itself, which loads the
#: API on first use, sits with the command line).
LAYERS = [
    ("foundation", ["simulate.version", "simulate.data", "simulate.calendar", "simulate.errors", "simulate.names",
                    "simulate.machine", "simulate.units", "simulate.indicators", "simulate.processes", "simulate.text"]),
    ("scenario language", ["simulate.scenario"]),
    ("demography", ["simulate.demography"]),
    ("care", ["simulate.care"]),
    ("economy", ["simulate.economy"]),
    ("runs", ["simulate.pipeline", "simulate.feasibility", "simulate.results", "simulate.provenance",
              "simulate.targets"]),
    ("questions", ["simulate.backcasting", "simulate.fidelity", "simulate.official", "simulate.reality",
                   "simulate.reproduce", "simulate.findings"]),
    ("uncertainty", ["simulate.uncertainty", "simulate.futures"]),
    ("figures", ["simulate.plots"]),
    ("reports", ["simulate.report"]),
    ("api", ["simulate.api"]),
    ("explorer", ["simulate.explorer"]),
    ("command line", ["simulate.cli", "simulate.__main__", "simulate"]),
]


def layer(module: str) -> int:
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or (p != "simulate" and module.startswith(p + ".")) for p in prefixes):
            return index
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS (and to the README's layout)")


def violations(graph: grimp.ImportGraph) -> list[str]:
    """Upward imports and cycles, one line each."""
    found = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if layer(importer) < layer(imported):
                found.append(f"upward: {importer} ({LAYERS[layer(importer)][0]}) imports {imported} "
                             f"({LAYERS[layer(imported)][0]})")
            chain = graph.find_shortest_chain(importer=imported, imported=importer)
            if chain and importer < imported:  # each cycle once
                found.append("cycle: " + " -> ".join((importer,) + tuple(chain)))
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("simulate", include_external_packages=False, cache_dir=None)


def test_layers_point_one_way_and_nothing_imports_itself_back(graph):
    assert violations(graph) == []


@pytest.mark.parametrize("importer,imported,kind", [
    ("simulate.scenario.model", "simulate.demography.migration", "upward"),  # the cycle issue 22 found
    ("simulate.plots.figures", "simulate.report.outputs", "upward"),
    ("simulate.cli.uncertainty", "simulate.cli.commands", "cycle"),
])
def test_the_check_fails_when_a_cycle_or_an_upward_import_is_put_back(graph, importer, imported, kind):
    broken = copy.deepcopy(graph)
    broken.add_import(importer=importer, imported=imported) if kind == "upward" else \
        broken.add_import(importer=imported, imported=importer)
    assert any(v.startswith(kind) for v in violations(broken))


#: What the command line may use besides the API: the foundation, how terminal tables are laid out
#: (simulate.report.tables) and which figure formats exist (simulate.plots.kinds).
CLI_MAY_USE = ("simulate.api", "simulate.cli", "simulate.report.tables", "simulate.plots.kinds", "simulate.explorer.server")


def test_every_command_reaches_the_library_through_the_api(graph):
    """The command line parses, calls simulate.api and shows: it imports no model, no writer, no
    engine (so it computes nothing the API computes), and every command handler calls the API."""
    for module in sorted(m for m in graph.modules if m == "simulate.cli" or m.startswith("simulate.cli.")):
        for imported in graph.find_modules_directly_imported_by(module):
            allowed = layer(imported) == 0 or any(imported == p or imported.startswith(p + ".") for p in CLI_MAY_USE)
            assert allowed, f"{module} imports {imported}: the command line reaches the library through simulate.api"
    import inspect

    from simulate.cli import build_parser
    parser = build_parser()
    handlers = {parser.get_default("handler")}
    for action in parser._subparsers._group_actions:
        handlers |= {sub.get_default("handler") for sub in action.choices.values()}
    for handler in handlers:
        assert "api." in inspect.getsource(handler) or "_write_runs" in inspect.getsource(handler), handler.__name__


#: The scenario language's lower half: how setting paths are evaluated, units, and the lever
#: registry.  They sit in simulate.scenario (which loads them with the models) but use nothing of
#: the simulator beyond the foundation and each other, so every layer can rely on them.
SCENARIO_FOUNDATION = ("simulate.scenario.paths", "simulate.scenario.units", "simulate.scenario.levers")


def test_paths_units_and_levers_use_only_the_foundation(graph):
    for module in SCENARIO_FOUNDATION:
        for imported in graph.find_modules_directly_imported_by(module):
            assert layer(imported) == 0 or imported in SCENARIO_FOUNDATION, f"{module} imports {imported}"


#: What the explorer may use besides the API: the foundation, the report's font subset, and itself.
EXPLORER_MAY_USE = ("simulate.api", "simulate.explorer", "simulate.report.fonts")


def test_the_explorer_reaches_the_library_through_the_api(graph):
    """The web face computes nothing: it imports no model, engine or writer, only the API."""
    for module in sorted(m for m in graph.modules if m.startswith("simulate.explorer")):
        for imported in graph.find_modules_directly_imported_by(module):
            allowed = layer(imported) == 0 or any(imported == p or imported.startswith(p + ".") for p in EXPLORER_MAY_USE)
            assert allowed, f"{module} imports {imported}: the explorer reaches the library through simulate.api"


def test_every_module_of_the_package_is_in_the_graph(graph):
    """Issue 37: simulate/uncertainty/ had no __init__.py, so the graph left out its modules (1,460
    lines) and the check above saw none of their imports.  Every package now has one, and every
    module file is a node of the graph, in a layer."""
    from pathlib import Path
    package = Path(__file__).resolve().parents[1] / "simulate"
    for folder in [package, *(p for p in package.rglob("*") if p.is_dir() and any(p.glob("*.py")))]:
        assert (folder / "__init__.py").is_file(), f"{folder} has modules but no __init__.py"
    files = {".".join(("simulate",) + p.relative_to(package).with_suffix("").parts).removesuffix(".__init__")
             for p in package.rglob("*.py") if "locale" not in p.parts}
    assert files - graph.modules == set()
    assert all(layer(module) >= 0 for module in files)


#: The faces that only render: figures and reports.  They may use the foundation, the scenario
#: language's registries (:data:`SCENARIO_FOUNDATION`: paths, units and levers, which use only the
#: foundation), each other and themselves; nothing that computes (issue 37).  Imports for type hints
#: only (``if TYPE_CHECKING:``) name a type and run nothing, so they are left out of this check.
RENDERERS = ("simulate.plots", "simulate.report")


def model_imports(graph: grimp.ImportGraph) -> list[str]:
    """Imports of a model package by a module of :data:`RENDERERS`, one line each."""
    found = []
    for module in sorted(m for m in graph.modules if m.startswith(RENDERERS)):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if layer(imported) != 0 and imported not in SCENARIO_FOUNDATION and not imported.startswith(RENDERERS):
                found.append(f"{module} imports {imported} ({LAYERS[layer(imported)][0]})")
    return found


@pytest.fixture(scope="module")
def runtime_graph() -> grimp.ImportGraph:
    return grimp.build_graph("simulate", include_external_packages=False, exclude_type_checking_imports=True,
                              cache_dir=None)


def test_figures_and_reports_render_and_import_no_model_package(runtime_graph):
    """The story is told its backcasts and official figures (simulate.findings), run.json's history
    fit is computed beside the runs (simulate.provenance), the tables of checked quantities live with
    the indicators: no module of simulate/report or simulate/plots imports a model package."""
    assert model_imports(runtime_graph) == []


@pytest.mark.parametrize("importer,imported", [("simulate.report.story", "simulate.backcasting"),
                                               ("simulate.report.publishing", "simulate.demography.history"),
                                               ("simulate.plots.reality", "simulate.reality")])
def test_the_render_check_fails_when_a_model_import_is_put_back(runtime_graph, importer, imported):
    broken = copy.deepcopy(runtime_graph)
    broken.add_import(importer=importer, imported=imported)
    assert model_imports(broken) == [f"{importer} imports {imported} ({LAYERS[layer(imported)][0]})"]
