import numpy as np
import pytest

from simulate import data
from simulate.errors import DataError


def test_every_manifest_file_verifies():
    sums = data.data_checksums()
    assert len(sums) == 20 and all(len(v) == 64 for v in sums.values())


def test_jump_off_matches_ipss_2015_total():
    pop = data.census_population(2015)
    assert pop.shape == (2, 101)
    assert pop.sum() == pytest.approx(data.ipss_annual_total()[2015], abs=1)


def test_asfr_sums_to_hfd_tfr():
    assert data.hfd_asfr(2015).sum() == pytest.approx(1.441, abs=0.001)


def test_altered_file_is_detected(tmp_path, monkeypatch):
    copy = tmp_path / "ipss2017"
    copy.mkdir()
    (copy / "total_population_medium_annual.csv").write_text("year,total_population\n2015,1\n")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    data.data_file.cache_clear()
    try:
        with pytest.raises(DataError, match="checksum"):
            data.data_file("ipss2017/total_population_medium_annual.csv")
    finally:
        data.data_file.cache_clear()


def test_unlisted_file_is_rejected():
    with pytest.raises(DataError, match="not listed"):
        data.data_file("nope/missing.csv")


def test_estat_rates_shape_and_male_excess():
    rates = data.estat_death_rates(2015)
    assert rates.shape == (2, 21)
    assert np.all(rates[0, 3:] > rates[1, 3:])  # male rates exceed female from age 15


def test_malformed_manifest_line_is_a_data_error(tmp_path, monkeypatch):
    bad = tmp_path / "MANIFEST.sha256"
    bad.write_text("not-a-digest\n", encoding="utf-8")
    monkeypatch.setattr(data, "MANIFEST", bad)
    data.manifest.cache_clear()
    try:
        with pytest.raises(DataError, match="MANIFEST.sha256:1: expected 'SHA256  relative/path'"):
            data.manifest()
    finally:
        data.manifest.cache_clear()
