"""From case records to the crisp data frame QCA reads."""

from __future__ import annotations

import pandas as pd
import pytest

from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import Condition
from hrhlessons.synthesis import qca


def make(id_: str = "ken-x", **kw) -> Case:
    base = dict(id=id_, name="X", countries=["KEN"], level="national",
                domain="task_sharing", description="d", status="active",
                sources=[{"title": "s", "url": "https://example.org"}])
    return Case.model_validate(base | kw)


@pytest.mark.parametrize(
    ("fields", "ended", "lasting", "expanded"),
    [
        (dict(status="active", start_year=2000, status_year=2015, trajectory="expanded"),
         0, 1, 1),
        (dict(status="active", start_year=2010, status_year=2015, trajectory="stable"),
         0, None, 0),
        (dict(status="ended", start_year=2000, end_year=2005), 1, 0, None),
        (dict(status="ended", start_year=1990, end_year=2004, trajectory="contracted"),
         1, 1, 0),
        (dict(status="ended", start_year=2000, status_year=2006), 1, 0, None),
        (dict(status="ended", start_year=2000, status_year=2020), 1, None, None),
        (dict(status="not_implemented"), None, None, None),
        (dict(status="unknown", start_year=2000), None, None, None),
    ],
)
def test_case_outcomes(fields, ended, lasting, expanded):
    case = make(**fields)
    assert qca.case_outcome(case, "ended") == ended
    assert qca.case_outcome(case, "lasting") == lasting
    assert qca.case_outcome(case, "expanded") == expanded


def test_crisp_frame_columns_and_missing_values():
    cases = [
        make("ken-a", status="ended", start_year=2000, end_year=2003, funding="donor",
             conditions={"donor_dependent": True, "political_champion": False}),
        make("ken-b", status="active", start_year=1990, status_year=2020, level="pilot",
             funding="government", conditions={"donor_dependent": False}),
    ]
    frame = qca.crisp_frame(cases, "lasting")
    assert list(frame.index) == ["ken-a", "ken-b"]
    assert list(frame.columns) == [c.value for c in Condition] + [
        "donor_funding", "national_scale", "lasting"]
    assert frame.loc["ken-a", "donor_dependent"] == 1
    assert frame.loc["ken-a", "political_champion"] == 0
    assert pd.isna(frame.loc["ken-a", "formal_cadre"])
    assert frame.loc["ken-a", "donor_funding"] == 1 and frame.loc["ken-b", "donor_funding"] == 0
    assert frame.loc["ken-b", "national_scale"] == 0
    assert frame["lasting"].tolist() == [0, 1]
    tt = qca.truth_table(frame, "lasting", ["donor_dependent", "donor_funding"])
    assert tt.n_cases == 2 and tt.excluded == ()
    tt2 = qca.truth_table(frame, "lasting", ["donor_dependent", "formal_cadre"])
    assert tt2.excluded == ("ken-a", "ken-b")


def test_crisp_frame_without_derived_and_bad_outcome():
    frame = qca.crisp_frame([make()], "ended", derived=False)
    assert "donor_funding" not in frame.columns
    with pytest.raises(qca.QCAInputError, match="unknown outcome"):
        qca.crisp_frame([make()], "survived")


def test_crisp_frame_on_bundled_registry_runs_qca():
    from hrhlessons.ingest import bundled_cases_dir, read_paths

    batch = read_paths([bundled_cases_dir()])
    frame = qca.crisp_frame(batch.cases, "lasting")
    conds = ["government_ownership", "donor_dependent", "formal_cadre"]
    tt = qca.truth_table(frame, "lasting", conds)
    assert tt.n_cases + len(tt.excluded) == len(batch.cases)
    res = qca.minimize(tt)
    explained = {r.row for r in tt.rows if r.out == "1"}
    covered = {row for m in res.complex.models for t in m.terms for row in t.rows}
    assert explained <= covered
