"""load_reference() with the user's imports laid over the bundled tables (HRH_DATA_DIR)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrhlessons.errors import InvalidInput
from hrhlessons.reference import import_gho, load_reference, user_indicators_path


def _newer_export(data_dir: Path, tmp_path: Path) -> Path:
    """The Malawi/Kenya doctor rows, with Malawi 2020 revised and a new 2021 row."""
    lines = (data_dir / "gho_doctors.csv").read_text(encoding="utf-8").splitlines()
    mwi_2020 = next(line for line in lines if line.startswith("HWF_0001,") and ",MWI," in line
                    and ",Year,2020," in line)
    revised = mwi_2020.replace(",0.5,", ",0.61,", 1)
    added = mwi_2020.replace(",Year,2020,", ",Year,2021,", 1).replace(",0.5,", ",0.7,", 1)
    path = tmp_path / "gho-newer.csv"
    path.write_text("\n".join([*(revised if x == mwi_2020 else x for x in lines), added]) + "\n",
                    encoding="utf-8")
    return path


def test_user_data_dir_follows_the_environment(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HRH_DATA_DIR", str(tmp_path))
    assert user_indicators_path() == tmp_path / "countries" / "indicators.csv"


def test_import_replaces_and_adds(data_dir: Path, tmp_path: Path) -> None:
    assert load_reference().latest("MWI", "HWF_0001") == (2020, 0.5)
    summary = import_gho([_newer_export(data_dir, tmp_path)])
    assert summary.path == user_indicators_path()
    assert summary.path.exists()
    assert (summary.added, summary.replaced, summary.unchanged) == (1, 1, 5)
    ref = load_reference()
    assert ref.latest("MWI", "HWF_0001") == (2021, 0.7)
    assert ref.value("MWI", "HWF_0001", 2020) == 0.61
    assert ref.value("MWI", "HWF_0001", 2018) == 1.52  # untouched rows stay
    assert ref.value("KEN", "HWF_0006", 2018) == 11.66  # other indicators stay


def test_a_second_import_merges_with_the_first(data_dir: Path, tmp_path: Path) -> None:
    import_gho([_newer_export(data_dir, tmp_path)])
    chw = tmp_path / "chw.csv"
    chw.write_text((data_dir / "gho_chw.csv").read_text().replace(",58079,", ",60000,"))
    summary = import_gho([chw])
    assert summary.total_user_rows == 7 + 4
    ref = load_reference()
    assert ref.latest("KEN", "HWF_0024") == (2018, 60000)
    assert ref.latest("MWI", "HWF_0001") == (2021, 0.7)


def test_a_bad_file_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    good = _newer_export(data_dir, tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text((data_dir / "gho_chw.csv").read_text().replace(",58079,", ",lots,"))
    with pytest.raises(InvalidInput) as info:
        import_gho([good, bad, tmp_path / "missing.csv"])
    files = {p.file for p in info.value.problems}
    assert files == {str(bad), str(tmp_path / "missing.csv")}
    assert not user_indicators_path().exists()
    assert load_reference().latest("MWI", "HWF_0001") == (2020, 0.5)


def test_load_reference_is_cached(tmp_path: Path) -> None:
    assert load_reference() is load_reference()
