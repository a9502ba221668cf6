"""Fixtures for the country tests: small files cut from the shared WHO and World Bank data
(see tests/data/countries/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "countries"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets an empty user data folder, so no test sees a real user's imports."""
    folder = tmp_path_factory.mktemp("hrh-data")
    monkeypatch.setenv("HRH_DATA_DIR", str(folder))
    return folder
