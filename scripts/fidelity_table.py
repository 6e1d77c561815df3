"""Print the README's fidelity and scenario tables (Markdown) from a fresh run of the shipped scenarios.

Usage: ``python scripts/fidelity_table.py``.  Every number in the README's "Fidelity", "Scenario
library" and "History" tables comes from here; the tests enforce the tolerances.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulate.calendar import last_observed_year  # noqa: E402
from simulate.demography.history import birth_allowance, birth_calibration, history_fit  # noqa: E402
from simulate.fidelity import (ELDERLY_GROUPS, broad_deviation, group_deviation,  # noqa: E402
                               largest_total_deviation)
from simulate.pipeline import run_scenarios  # noqa: E402
from simulate.scenario import load_scenarios  # noqa: E402

#: IPSS 2017 summary figures for 2065 (persons; IPSS report, not in the data pack): medium,
#: high-fertility and low-fertility variants.
IPSS_2065 = {"baseline": 88.08e6, "ipss_high_fertility": 94.89e6, "ipss_low_fertility": 82.13e6}


def pct(value: float) -> str:
    return f"{value:+.2f} %"


def main() -> None:
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    results = {r.scenario.name: r for r in run_scenarios(load_scenarios(files))}
    base = results["baseline"]

    print("### Fidelity: baseline minus IPSS 2017 medium, % of IPSS\n")
    years = tuple(range(2020, 2066, 5))
    table = broad_deviation(base, years)
    print("| year | total | 0-14 | 15-64 | 65+ |\n|---|---|---|---|---|")
    for year, row in table.iterrows():
        print(f"| {year} | " + " | ".join(pct(v) for v in row) + " |")
    for last in (2040, 2065):
        dev, year = largest_total_deviation(base, 2016, last)
        print(f"\nLargest annual deviation of the total 2016-{last}: {pct(dev)} ({year}).", end="")
    print("\n\n### Elderly by 5-year group, % of IPSS\n")
    elderly = group_deviation(base, ELDERLY_GROUPS, (2030, 2040, 2050, 2065))
    print("| group | " + " | ".join(map(str, elderly.columns)) + " |\n" + "|---" * (len(elderly.columns) + 1) + "|")
    for group, row in elderly.iterrows():
        print(f"| {group} | " + " | ".join(pct(v) for v in row) + " |")

    print("\n### Scenario library: population (million)\n")
    print("| scenario | jump-off, observed to | 2030 | 2040 | 2065 | 2070 |\n|---|---|---|---|---|---|")
    for name, result in results.items():
        s = result.scenario
        by_year = result.indicators.set_index("year")["population_total"] / 1e6
        cells = [f"{by_year[y]:.2f}" if y in by_year.index else "—" for y in (2030, 2040, 2065, 2070)]
        print(f"| `{name}` | {s.jump_off}, {s.history_end} | " + " | ".join(cells) + " |")
    medium = results["baseline"].indicators.set_index("year").at[2065, "population_total"]
    for name in ("ipss_high_fertility", "ipss_low_fertility"):
        model = results[name].indicators.set_index("year").at[2065, "population_total"]
        print(f"\n{name} 2065 against the baseline: model {100 * (model / medium - 1):+.1f} %, IPSS "
              f"{100 * (IPSS_2065[name] / IPSS_2065['baseline'] - 1):+.1f} %.", end="")

    print("\n\n### History: modelled flows against registered ones\n")
    for basis in ("census2015", "census2020"):
        fit = history_fit(basis, last_observed_year())
        print(f"{basis}: birth calibration {birth_calibration(basis):.4f}, allowance for births to non-Japanese "
              f"residents {birth_allowance():.4f}\n")
        print("| year | births registered | modelled (nationals) | dev. | deaths registered | modelled | dev. "
              "| net migration (residual) |\n|---|---|---|---|---|---|---|---|")
        for row in fit.itertuples():
            print(f"| {row.year} | {row.births_registered:,.0f} | {row.births_modelled_nationals:,.0f} | "
                  f"{pct(row.births_deviation_pct)} | {row.deaths_registered:,.0f} | {row.deaths_modelled:,.0f} | "
                  f"{pct(row.deaths_deviation_pct)} | {row.net_migration_residual:,.0f} |")
        print()


ECONOMIC = ("baseline", "productivity_2pct", "productivity_1_5x", "participation_frozen", "active_seniors",
            "women_participation", "automation", "moonshot", "current")
QUESTIONS = [("gdp@2040>=1x2017", "productivity_growth"), ("gdp@2040>=1.5769x2017", "productivity_growth"),
             ("gdp_per_capita@2040>=1.3x2017", "productivity_growth"), ("labour_force@2040>=60e6", "seniors_uplift"),
             ("labour_force@2040>=60e6", "women_uplift"), ("labour_force@2040>=60e6", "net_migration"),
             ("population_15_64@2040>=1x2017", "net_migration")]


def economy_tables() -> None:
    """The economic scenarios in 2040 and the seed's questions answered by backcasting the baseline."""
    from simulate.backcasting import solve
    from simulate.scenario.economy_model import Target

    files = [ROOT / "scenarios" / f"{name}.yaml" for name in ECONOMIC]
    results = run_scenarios(load_scenarios(files))
    print("### Economic scenarios in 2040\n")
    print("| scenario | labour force | GDP index | GDP per capita index | workers per elderly |\n|---|---|---|---|---|")
    for result in results:
        row = result.indicators.set_index("year").loc[2040]
        base = result.scenario.base_year
        print(f"| `{result.scenario.name}` | {row.labour_force / 1e6:.1f} M | {row.gdp_index:.1f} ({base}=100) | "
              f"{row.gdp_per_capita_index:.1f} | {row.workers_per_elderly:.2f} |")
    from simulate.backcasting import target_status
    for result in results:
        for status in target_status(result.indicators, result.scenario.targets, result.scenario.base_year):
            print(f"\n{result.scenario.name}: {status['target']} achieved {status['achieved']:,.4g} "
                  f"({'met' if status['met'] else 'not met'})", end="")
    baseline = results[0].scenario
    print("\n### The seed's questions (baseline)\n")
    for target, lever in QUESTIONS:
        solution = solve(baseline, lever, [Target.parse(target)])
        value = f"{solution.value:,.0f}" if abs(solution.value) > 1000 else f"{solution.value:.3g}"
        print(f"- `{target}` with `{lever}`: {value} {solution.unit}")


if __name__ == "__main__":
    main()
    economy_tables()
