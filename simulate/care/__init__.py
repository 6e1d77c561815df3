"""Who cares and who pays: care needs, care workers and social-security benefits from the projected
population, labour and GDP, for every trajectory of a batch (the leading axis) at once.

:mod:`simulate.care.need` turns the population into people certified as needing care and the care
workers they need; :mod:`simulate.care.costs` prices medical care, long-term care and pensions as
shares of GDP and in nominal trillion yen.  Both read the data pack's ``care/`` tables through
:mod:`simulate.data.welfare` and sit on the demography and the economy.
"""

from __future__ import annotations

from simulate.care.costs import COST_YEAR, benefits
from simulate.care.need import CARE_WORKERS, CARE_WORKERS_YEAR, CERTIFIED, care_need, certification

__all__ = ["CARE_WORKERS", "CARE_WORKERS_YEAR", "CERTIFIED", "COST_YEAR", "benefits", "care_need", "certification"]
