import numpy as np
import pytest

from simulate.demography import lifetable as lt


def test_base_e0_matches_official_2015_within_a_tenth():
    base, a0 = lt.base_death_rates()
    e0 = lt.life_table(base, a0)["e0"]
    assert e0[0] == pytest.approx(80.75, abs=0.1)
    assert e0[1] == pytest.approx(86.98, abs=0.1)


def test_life_table_reproduces_hmd_female_e0():
    from simulate import data
    mx = data.hmd_female_table(1990, 2015, "mx")
    a0 = data.hmd_female_table(1990, 2015, "ax")[:, 0]
    hmd_e0 = data.hmd_female_table(1990, 2015, "ex")[:, 0]
    assert np.abs(lt.life_table(mx, a0)["e0"] - hmd_e0).max() < 0.02


def test_lee_carter_pattern_is_normalised_and_positive():
    bx = lt.lee_carter_bx()
    assert bx.shape == (111,) and bx.sum() == pytest.approx(1.0) and np.all(bx > 0)


@pytest.mark.parametrize("e0", [[80.75, 86.98], [83.3, 89.6], [30.0, 40.0], [110.0, 118.0]])
def test_grid_inversion_hits_e0_targets(e0):
    grid = lt.mortality_grid()
    target = np.array([e0])
    kappa = grid.kappa_for(target)
    base, a0 = lt.base_death_rates()
    table = lt.life_table(base * np.exp(lt.lee_carter_bx() * kappa[..., None]), a0)
    assert np.abs(table["e0"] - target).max() < 1e-4
    exact = lt.projection_survival(table["Lx"], table["Tx"])
    assert np.abs(grid.lookup(target) - exact).max() < 1e-5


def test_survival_ratios_are_probabilities():
    s = lt.mortality_grid().survival
    assert np.all((s >= 0) & (s <= 1))


def test_unreachable_e0_is_a_clear_error():
    from simulate.errors import InputError
    with pytest.raises(InputError, match="outside the range"):
        lt.mortality_grid().check_range(np.array([[80.0, 200.0]]))


def test_male_rates_follow_the_estat_sex_ratios():
    """At the mid-age of every e-Stat 5-year group, male / female base death rates equal the
    published e-Stat 2015 ratio (the male table is derived from it)."""
    from simulate import data
    base, _ = lt.base_death_rates()
    rates = data.estat_death_rates(2015)
    mids = data.ESTAT_GROUP_STARTS + 2
    np.testing.assert_allclose(base[0, mids] / base[1, mids], rates[0] / rates[1], rtol=1e-9)
    np.testing.assert_allclose(base[1], data.hmd_female_table(2015, 2015, "mx")[0], rtol=0)


def test_life_table_reproduces_hmd_person_years_to_published_precision():
    """From HMD's own mx and a0, the model's life table gives HMD's l1 and L0 (published to 1e-5 of
    the radix) for 1990-2015."""
    from simulate import data
    mx = data.hmd_female_table(1990, 2015, "mx")
    a0 = data.hmd_female_table(1990, 2015, "ax")[:, 0]
    table = lt.life_table(mx, a0)
    np.testing.assert_allclose(table["lx"][:, 1], data.hmd_female_table(1990, 2015, "lx")[:, 1] / 1e5, atol=2e-5)
    np.testing.assert_allclose(table["Lx"][:, 0], data.hmd_female_table(1990, 2015, "Lx")[:, 0] / 1e5, atol=3e-5)
