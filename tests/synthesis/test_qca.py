"""Crisp-set QCA, pinned against the published output of R's QCA package (tests/data/qca_*.json
name their sources) and against small cases checkable by hand."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hrhlessons.synthesis import qca

DATA = Path(__file__).resolve().parents[1] / "data"
LC_CONDS = ["DEV", "URB", "LIT", "IND", "STB"]


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def lc() -> pd.DataFrame:
    return pd.read_csv(DATA / "qca_lipset_lc.csv", index_col="case")


def term_sets(solution: qca.Solution) -> set[frozenset[str]]:
    return {frozenset(t.expression for t in m.terms) for m in solution.models}


def expected_sets(models: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(m) for m in models}


def frame_from_rows(conditions: list[str], outcome: str, rows: dict[int, tuple[int, int]]
                    ) -> pd.DataFrame:
    """Cases for a crisp truth table given as row number -> (cases, cases with the outcome)."""
    k = len(conditions)
    recs = []
    for row, (n, npos) in rows.items():
        for i in range(n):
            code = row - 1
            rec = {c: (code >> (k - 1 - j)) & 1 for j, c in enumerate(conditions)}
            rec[outcome] = int(i < npos)
            recs.append({"case": f"r{row}.{i + 1}", **rec})
    return pd.DataFrame(recs).set_index("case")


# ---------------------------------------------------------------- published R QCA results


def test_truth_table_matches_qca_lipset_lc():
    ref = load("qca_lipset_lc.json")
    tt = qca.truth_table(lc(), "SURV", LC_CONDS)
    got = [
        {"row": r.row, "values": list(r.values), "OUT": r.out, "n": r.n,
         "incl": r.consistency, "PRI": r.pri, "cases": list(r.cases)}
        for r in tt.rows
    ]
    assert got == ref["truth_table"]
    assert list(tt.remainders) == ref["remainders"]
    assert tt.excluded == ()


def test_complex_solution_matches_qca_lipset_lc():
    ref = load("qca_lipset_lc.json")["complex"]
    res = qca.minimize(qca.truth_table(lc(), "SURV", LC_CONDS))
    assert term_sets(res.complex) == expected_sets(ref["models"])
    (model,) = res.complex.models
    assert model.expression == "DEV*LIT*IND*STB + DEV*~URB*LIT*STB"  # terms sorted as strings
    for term, covu in zip(model.terms, model.unique_coverage, strict=True):
        want = ref["terms"][term.expression]
        assert term.consistency == pytest.approx(want["inclS"])
        assert term.pri == pytest.approx(want["PRI"])
        assert term.coverage == pytest.approx(want["covS"])
        assert covu == pytest.approx(want["covU"])
        assert list(term.cases) == want["cases"]
    assert model.consistency == pytest.approx(ref["model_fit"]["inclS"])
    assert model.coverage == pytest.approx(ref["model_fit"]["covS"])
    assert model.remainders_used == ()


def test_parsimonious_solution_and_simplifying_assumptions_match_qca_lipset_lc():
    ref = load("qca_lipset_lc.json")["parsimonious"]
    res = qca.minimize(qca.truth_table(lc(), "SURV", LC_CONDS))
    assert res.parsimonious.expressions == ("DEV*STB",)
    (model,) = res.parsimonious.models
    (term,) = model.terms
    want = ref["terms"]["DEV*STB"]
    assert (term.consistency, term.coverage) == (want["inclS"], want["covS"])
    assert list(term.cases) == want["cases"]
    assert list(model.remainders_used) == ref["simplifying_assumptions"]


def test_negated_outcome_matches_qca_lipset_lc():
    ref = load("qca_lipset_lc.json")["negated_outcome"]
    tt = qca.truth_table(lc(), "SURV", LC_CONDS, negate_outcome=True)
    assert tt.outcome_label == "~SURV"
    res = qca.minimize(tt)
    assert term_sets(res.complex) == expected_sets(ref["complex"]["models"])
    assert term_sets(res.parsimonious) == expected_sets(ref["parsimonious"]["models"])
    (model,) = res.parsimonious.models
    for term, covu in zip(model.terms, model.unique_coverage, strict=True):
        want = ref["parsimonious"]["terms"][term.expression]
        assert term.consistency == pytest.approx(want["inclS"])
        assert term.coverage == pytest.approx(want["covS"])
        assert covu == pytest.approx(want["covU"])
        assert list(term.cases) == want["cases"]


def test_parsimonious_models_and_pi_chart_match_qca_cvf():
    ref = load("qca_cvf_protest.json")
    rows = {int(r): (n, n) for r, n in ref["positive_rows"].items()}
    rows |= {int(r): (n, 0) for r, n in ref["negative_rows"].items()}
    tt = qca.truth_table(frame_from_rows(ref["conditions"], "PROTEST", rows), "PROTEST",
                         ref["conditions"])
    assert sum(r.n for r in tt.rows if r.out == "1") == 13
    assert sum(r.n for r in tt.rows if r.out == "0") == 16
    res = qca.minimize(tt)
    pars = res.parsimonious
    assert term_sets(pars) == expected_sets(ref["parsimonious"]["models"])
    assert len(pars.models) == 4 and not pars.truncated
    chart = {t.expression: list(t.rows) for t in pars.prime_implicants}
    assert chart == ref["parsimonious"]["pi_chart"]


def test_intermediate_solution_matches_qca_lipset_lf():
    ref = load("qca_lipset_lf_intermediate.json")
    conds = ref["conditions"]
    pars_terms = [qca._parse_term(t, conds) for t in ref["parsimonious"][0]]
    rows: dict[int, tuple[int, int]] = {}
    for row in range(1, 33):
        code = row - 1
        if str(row) in ref["positive_rows"]:
            n = len(ref["positive_rows"][str(row)])
            rows[row] = (n, n)
        elif not any((code & m) == v for m, v in pars_terms):
            rows[row] = (1, 0)
    tt = qca.truth_table(frame_from_rows(conds, "SURV", rows), "SURV", conds)
    res = qca.minimize(tt, directional=ref["directional"])
    assert term_sets(res.complex) == expected_sets(ref["complex"])
    assert term_sets(res.parsimonious) == expected_sets(ref["parsimonious"])
    assert res.intermediate is not None and len(res.intermediate) == 1
    (inter,) = res.intermediate
    assert term_sets(inter) == expected_sets(ref["intermediate"])
    # the one easy counterfactual: DEV*URB*LIT*~IND*STB (row 30)
    assert inter.easy_counterfactuals == (30,)
    assert inter.models[0].remainders_used == (30,)


def test_contradictions_explained_give_two_models_as_in_qca_lipset_lcinit():
    ref = load("qca_lipset_lcinit.json")
    recs = []
    for bits, cases in ref["groups"].items():
        for case in cases:
            recs.append({"case": case, **{c: int(b) for c, b in zip(ref["conditions"], bits,
                                                                      strict=True)},
                         "SURV": int(case in ref["survived"])})
    data = pd.DataFrame(recs).set_index("case")
    hi, lo = ref["incl_cut"]
    tt = qca.truth_table(data, "SURV", ref["conditions"], incl_cut=hi, incl_cut0=lo)
    got = [{"row": r.row, "OUT": r.out, "n": r.n, "incl": round(r.consistency, 3)}
           for r in tt.rows]
    assert got == ref["truth_table"]
    res = qca.minimize(tt, explain_contradictions=True)
    want = ref["complex_explain_1_C"]
    assert term_sets(res.complex) == expected_sets(want["models"])
    by_name = {frozenset(t.expression for t in m.terms): m for m in res.complex.models}
    for label, terms in zip(("M1", "M2"), want["models"], strict=True):
        model = by_name[frozenset(terms)]
        for term, covu in zip(model.terms, model.unique_coverage, strict=True):
            ref_t = want["terms"].get(term.expression)
            if ref_t is None:
                continue  # not shown in the published (cut) table
            assert term.consistency == pytest.approx(ref_t["inclS"])
            assert term.coverage == pytest.approx(ref_t["covS"])
            if f"covU_{label}" in ref_t:
                assert covu == pytest.approx(ref_t[f"covU_{label}"])
    # without explaining contradictions, only CZ and IE are explained
    plain = qca.minimize(tt)
    assert plain.complex.expressions == ("DEV*~URB*LIT*~IND + ~DEV*URB*LIT*IND",)


# ---------------------------------------------------------------- hand-checkable cases


def test_term_expression_notation():
    conds = ["A", "B", "C"]
    assert qca.term_expression(0b101, 0b100, conds) == "A*~C"
    assert qca.term_expression(0b010, 0b010, conds) == "B"
    assert qca.term_expression(0, 0, conds) == "1"


def test_petrick_cyclic_chart_has_two_minimal_sums():
    # f(A,B,C) = sum of minterms 0,1,2,5,6,7: the classic cyclic chart with six primes and
    # exactly two minimal covers of three terms each.
    rows = {m + 1: (1, 1) for m in (0, 1, 2, 5, 6, 7)} | {4: (1, 0), 5: (1, 0)}
    tt = qca.truth_table(frame_from_rows(["A", "B", "C"], "Y", rows), "Y", ["A", "B", "C"])
    res = qca.minimize(tt)
    assert len(res.complex.prime_implicants) == 6
    assert res.complex.expressions == (
        "A*B + ~A*~C + ~B*C",
        "A*C + B*~C + ~A*~B",
    )


def test_minimal_covers_prefers_fewer_literals_among_equal_counts():
    # Two covers of size 2; the one with fewer literals wins.
    covers = [0b0011, 0b1100, 0b0110, 0b1001]
    literals = [1, 1, 3, 3]
    models, truncated = qca.minimal_covers(covers, literals, 0b1111)
    assert models == [(0, 1)] and not truncated
    models, _ = qca.minimal_covers(covers, [2, 2, 2, 2], 0b1111)
    assert sorted(models) == [(0, 1), (2, 3)]


def test_minimal_covers_limit_marks_truncation():
    # Three independent parts with two equal choices each: 8 minimal sums.
    covers = [0b000001, 0b000001, 0b000010, 0b000010, 0b000100, 0b000100]
    models, truncated = qca.minimal_covers(covers, [1] * 6, 0b000111, limit=5)
    assert len(models) == 5 and truncated
    models, truncated = qca.minimal_covers(covers, [1] * 6, 0b000111)
    assert len(models) == 8 and not truncated


def test_prime_implicants_agree_with_brute_force():
    rng = np.random.default_rng(7)
    k = 5
    for _ in range(20):
        labels = rng.integers(0, 3, size=1 << k)  # 0 negative, 1 positive, 2 remainder
        on = labels >= 1
        req = labels == 1
        got = set(qca.prime_implicants(k, on, req))
        assert got == brute_primes(k, on, req)


def brute_primes(k: int, on: np.ndarray, req: np.ndarray) -> set[tuple[int, int]]:
    def ok(mask: int, value: int) -> bool:
        return all(on[r] for r in range(1 << k) if (r & mask) == value)

    out = set()
    for digits in itertools.product((0, 1, 2), repeat=k):
        mask = sum(1 << (k - 1 - j) for j, d in enumerate(digits) if d != 2)
        value = sum(1 << (k - 1 - j) for j, d in enumerate(digits) if d == 1)
        if not ok(mask, value):
            continue
        if not any(req[r] for r in range(1 << k) if (r & mask) == value):
            continue
        if any(ok(mask & ~b, value & ~b) for b in (1 << i for i in range(k)) if mask & b):
            continue
        out.add((mask, value))
    return out


def test_contradiction_rows_are_negatives_unless_explained():
    rows = {1: (2, 1), 2: (1, 1), 4: (1, 0)}  # A,B: row 1 (00) is a contradiction
    tt = qca.truth_table(frame_from_rows(["A", "B"], "Y", rows), "Y", ["A", "B"],
                         incl_cut=1.0, incl_cut0=0.2)
    assert [r.out for r in tt.rows] == ["C", "1", "0"]
    assert qca.minimize(tt).complex.expressions == ("~A*B",)
    assert qca.minimize(tt, explain_contradictions=True).complex.expressions == ("~A",)
    # with a single cut the contradiction is simply negative
    tt1 = qca.truth_table(frame_from_rows(["A", "B"], "Y", rows), "Y", ["A", "B"])
    assert [r.out for r in tt1.rows] == ["0", "1", "0"]


def test_incl_cut_below_one_admits_inconsistent_rows():
    rows = {4: (5, 4), 3: (2, 0), 1: (3, 0)}
    tt = qca.truth_table(frame_from_rows(["A", "B"], "Y", rows), "Y", ["A", "B"], incl_cut=0.8)
    assert tt.row(4).out == "1" and tt.row(4).consistency == pytest.approx(0.8)
    res = qca.minimize(tt)
    assert res.complex.expressions == ("A*B",)
    assert res.parsimonious.expressions == ("B",)  # row 2 (~A*B) is a remainder
    assert res.parsimonious.models[0].remainders_used == (2,)


def test_no_positive_configuration_gives_no_model():
    rows = {1: (2, 0), 4: (1, 0)}
    res = qca.minimize(qca.truth_table(frame_from_rows(["A", "B"], "Y", rows), "Y", ["A", "B"]))
    assert res.complex.models == () and res.parsimonious.models == ()
    assert "nothing to explain" in res.complex.note


def test_no_negative_configuration_minimises_to_one():
    rows = {1: (1, 1), 4: (1, 1)}
    res = qca.minimize(qca.truth_table(frame_from_rows(["A", "B"], "Y", rows), "Y", ["A", "B"]))
    assert res.parsimonious.expressions == ("1",)
    assert res.parsimonious.models[0].remainders_used == (2, 3)
    assert res.complex.expressions == ("A*B + ~A*~B",)


def test_all_remainders_but_one_positive():
    rows = {6: (1, 1)}  # A=1,B=0,C=1 ; every other configuration is a remainder
    res = qca.minimize(qca.truth_table(frame_from_rows(["A", "B", "C"], "Y", rows), "Y",
                                       ["A", "B", "C"]))
    assert res.complex.expressions == ("A*~B*C",)
    assert res.parsimonious.expressions == ("1",)


def test_n_cut_turns_rare_rows_into_remainders():
    rows = {4: (3, 3), 3: (1, 0), 1: (2, 0)}
    tt = qca.truth_table(frame_from_rows(["A", "B"], "Y", rows), "Y", ["A", "B"], n_cut=2)
    assert tt.row(3).out == "?"
    assert 3 in tt.remainders
    # rows 2 and 3 are remainders now, so A and B tie as one-literal models
    assert qca.minimize(tt).parsimonious.expressions == ("A", "B")
    strict = qca.truth_table(frame_from_rows(["A", "B"], "Y", rows), "Y", ["A", "B"])
    assert qca.minimize(strict).parsimonious.expressions == ("B",)


def test_missing_values_are_excluded_and_counted():
    data = lc().astype("Float64")
    data.loc["AU", "URB"] = pd.NA
    data.loc["GR", "SURV"] = pd.NA
    tt = qca.truth_table(data, "SURV", LC_CONDS)
    assert tt.excluded == ("AU", "GR")
    assert tt.n_cases == 16
    assert tt.row(1).cases == ("PT", "ES")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.assign(DEV=d["DEV"].replace({1: 2})), "column 'DEV', row 1 (case 'AU')"),
        (lambda d: d.assign(STB=d["STB"].astype(object).where(d.index != "CZ", "yes")),
         "column 'STB', row 3 (case 'CZ')"),
    ],
)
def test_non_crisp_values_are_refused_with_column_and_row(change, message):
    with pytest.raises(qca.QCAInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        qca.truth_table(change(lc()), "SURV", LC_CONDS)


def test_bad_columns_are_refused():
    with pytest.raises(qca.QCAInputError, match="'XX' is not in the data"):
        qca.truth_table(lc(), "SURV", ["DEV", "XX"])
    with pytest.raises(qca.QCAInputError, match="no conditions"):
        qca.truth_table(lc(), "SURV", [])
    with pytest.raises(qca.QCAInputError, match="both the outcome and a condition"):
        qca.truth_table(lc(), "SURV", ["DEV", "SURV"])
    tt = qca.truth_table(lc(), "SURV", LC_CONDS)
    with pytest.raises(qca.QCAInputError, match="'XX', which is not a condition"):
        qca.minimize(tt, directional={"XX": 1})


def test_necessity_by_hand_on_lc():
    nec = {r.condition: r for r in qca.necessity(qca.truth_table(lc(), "SURV", LC_CONDS)).rows}
    # 8 survivors, all with DEV; 10 cases have DEV (AU, DE fell); 18 cases in all.
    assert nec["DEV"].consistency == pytest.approx(8 / 8)
    assert nec["DEV"].coverage == pytest.approx(8 / 10)
    assert nec["DEV"].relevance == pytest.approx((18 - 10) / (18 - 8))
    # LIT: 13 cases literate, 8 of them survived
    assert nec["LIT"].coverage == pytest.approx(8 / 13)
    assert nec["LIT"].relevance == pytest.approx(5 / 10)
    assert nec["~IND"].consistency == pytest.approx(2 / 8)


def test_fit_of_a_given_expression():
    tt = qca.truth_table(lc(), "SURV", LC_CONDS)
    model = qca.fit(tt, "DEV*~URB*LIT*STB + DEV*LIT*IND*STB")
    assert model.consistency == 1.0 and model.coverage == 1.0
    assert qca.fit(tt, "LIT").consistency == pytest.approx(8 / 13)


def test_results_are_immutable_and_serialisable():
    res = qca.minimize(qca.truth_table(lc(), "SURV", LC_CONDS), directional={"DEV": 1})
    with pytest.raises(AttributeError):
        res.complex.kind = "x"  # type: ignore[misc]
    d = json.loads(json.dumps(res.to_dict()))
    assert d["parsimonious"]["models"][0]["model"] == "DEV*STB"
    assert d["truth_table"]["rows"][0]["cases"] == ["GR", "PT", "ES"]
    assert "intermediate" in d
    text = res.summary()
    assert "parsimonious M1: DEV*STB -> SURV" in text
    assert "18 cases" in text


def test_minimal_covers_agree_with_exhaustive_search():
    rng = np.random.default_rng(11)
    for _ in range(300):
        ncols = int(rng.integers(1, 9))
        universe = (1 << ncols) - 1
        covers = [int(c) for c in rng.integers(1, universe + 1, size=int(rng.integers(1, 9)))]
        union = 0
        for c in covers:
            union |= c
        if union != universe:
            covers.append(universe & ~union)
        literals = [int(x) for x in rng.integers(1, 5, size=len(covers))]
        got, truncated = qca.minimal_covers(covers, literals, universe)
        assert sorted(got) == exhaustive_covers(covers, literals, universe)
        assert not truncated


def exhaustive_covers(covers: list[int], literals: list[int], universe: int) -> list[tuple]:
    for size in range(1, len(covers) + 1):
        sols = []
        for combo in itertools.combinations(range(len(covers)), size):
            union = 0
            for i in combo:
                union |= covers[i]
            if union & universe == universe:
                sols.append(combo)
        if sols:
            best = min(sum(literals[i] for i in c) for c in sols)
            return sorted(c for c in sols if sum(literals[i] for i in c) == best)
    return []


def test_large_chart_stops_and_says_so(monkeypatch):
    # a small search budget forces the fallback on the cyclic chart: a cover, flagged truncated
    monkeypatch.setattr(qca, "MAX_SEARCH_STEPS", 1)
    rows = {m + 1: (1, 1) for m in (0, 1, 2, 5, 6, 7)} | {4: (1, 0), 5: (1, 0)}
    res = qca.minimize(qca.truth_table(frame_from_rows(["A", "B", "C"], "Y", rows), "Y",
                                       ["A", "B", "C"]))
    assert res.complex.truncated
    assert res.complex.models and len(res.complex.models[0].terms) >= 3
