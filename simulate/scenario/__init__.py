"""The scenario language: YAML files validated into :class:`Scenario` objects."""

from simulate.scenario.loader import LoadedScenario, load_mapping, load_scenario, load_scenarios
from simulate.scenario.model import Scenario

__all__ = ["LoadedScenario", "Scenario", "load_mapping", "load_scenario", "load_scenarios"]
