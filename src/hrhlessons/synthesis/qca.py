"""Crisp-set Qualitative Comparative Analysis (csQCA): which configurations of conditions go with
an outcome, such as a health-workforce innovation lasting ten years or more.

Method: Ragin (1987) *The Comparative Method*; Quine (1952) and McCluskey (1956) for the prime
implicants; Petrick (1956) for the minimal covers; Ragin & Sonnett (2005) for intermediate
solutions; Schneider & Wagemann (2012) for relevance of necessity. The results follow the
conventions of Dusa's R package QCA (``truthTable``, ``minimize``, ``superSubset``) and are pinned
against its published examples in ``tests/data/qca_*.json``.

Vocabulary:

configuration
    One combination of present (1) and absent (0) conditions: one row of the truth table. Rows are
    numbered as R QCA numbers them: 1 + the configuration read as a binary number whose most
    significant digit is the first condition.
consistency (incl)
    Of a configuration or term: the share of the cases it covers that show the outcome.
PRI
    Proportional reduction in inconsistency. For crisp sets a case cannot be in the outcome and
    in its negation at once, so PRI equals consistency; it is reported for comparison with R.
outcome value (OUT)
    ``"1"`` when consistency reaches the inclusion cut, ``"C"`` (contradiction) when it lies
    strictly between the lower cut and the inclusion cut, ``"0"`` otherwise, and ``"?"`` when
    fewer cases than the frequency cut fall in the row (the row is then treated as a remainder).
remainder
    A configuration no case (or too few cases) shows.
term, prime implicant
    A conjunction of literals (``DEV*~URB``); ``~`` marks absence. A prime implicant is a term that
    covers no configuration it must not cover and cannot lose a literal without doing so.
model (minimal sum)
    A disjunction of prime implicants covering every configuration to explain, with the fewest
    prime implicants and, among those, the fewest literals. Several models can tie; all are kept
    (R QCA lists them as M1, M2 ...).
complex solution
    Remainders are not used (also called the conservative solution).
parsimonious solution
    Any remainder may be used as a "don't care" (the simplifying assumptions).
intermediate solution
    Only the easy counterfactuals may be used: remainders inside the parsimonious solution that
    the directional expectations support (see :func:`minimize`).
raw and unique coverage
    The share of outcome cases a term covers, and the share only that term covers within its model.
relevance of necessity (RoN)
    How far a necessary condition is from being trivially present everywhere.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import Condition, Funding, Level, Status, Trajectory
from hrhlessons.errors import HRHError

#: Most conditions a truth table may have. The prime implicant search walks all 3^k terms
#: (4.8 million for 14 conditions); beyond that memory, not time, becomes the limit.
MAX_CONDITIONS = 14

#: Most models kept per solution. Beyond it the solution says ``truncated``.
MAX_MODELS = 1000

#: Work allowed per independent part of a prime implicant chart, counted in chart columns
#: visited. Exact minimal covers are NP-hard; noisy data with many conditions can make a chart
#: whose minimal covers are out of reach. Past this budget the search stops and the solution says
#: ``truncated``: its models are then the best covers found (a greedy cover if none was found),
#: not proven minimal.
MAX_SEARCH_STEPS = 250_000

#: Years a programme must have run to count as lasting (the ``lasting`` outcome).
LASTING_YEARS = 10

OutcomeName = Literal["ended", "lasting", "expanded"]
OUTCOMES: tuple[str, ...] = ("ended", "lasting", "expanded")

#: Conditions derived from other fields of the case record by :func:`crisp_frame`.
DERIVED_CONDITIONS: dict[str, str] = {
    "donor_funding": "mainly or partly paid by donors (funding 'donor' or 'mixed')",
    "national_scale": "reached national or multinational scale (level)",
}

_EPS = 1e-9


class QCAInputError(HRHError, ValueError):
    """Data that a QCA cannot use: the message names the column and the row."""


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TruthTableRow:
    """One observed configuration."""

    row: int
    values: tuple[int, ...]
    n: int
    n_outcome: int
    consistency: float
    pri: float
    out: str
    cases: tuple[str, ...]

    def to_dict(self, conditions: Sequence[str]) -> dict[str, Any]:
        return {
            "row": self.row,
            **dict(zip(conditions, self.values, strict=True)),
            "OUT": self.out,
            "n": self.n,
            "incl": _round(self.consistency),
            "PRI": _round(self.pri),
            "cases": list(self.cases),
        }


@dataclass(frozen=True)
class TruthTable:
    """The configurations the cases show, with their outcome values and case labels.

    ``case_rows`` and ``case_outcome`` hold, for each case kept (in data order), its row number
    and its (possibly negated) outcome; the fit of any term is computed from them.
    """

    conditions: tuple[str, ...]
    outcome: str
    negate_outcome: bool
    incl_cut: float
    incl_cut0: float
    n_cut: int
    rows: tuple[TruthTableRow, ...]
    case_labels: tuple[str, ...]
    case_rows: tuple[int, ...]
    case_outcome: tuple[int, ...]
    excluded: tuple[str, ...]

    @property
    def outcome_label(self) -> str:
        return f"~{self.outcome}" if self.negate_outcome else self.outcome

    @property
    def n_cases(self) -> int:
        return len(self.case_labels)

    def rows_with(self, *codes: str) -> tuple[int, ...]:
        """Row numbers of the observed configurations whose OUT is one of ``codes``."""
        return tuple(r.row for r in self.rows if r.out in codes)

    @property
    def remainders(self) -> tuple[int, ...]:
        """Row numbers of every configuration no case (or too few cases) shows."""
        observed = {r.row for r in self.rows if r.out != "?"}
        return tuple(i for i in range(1, 2 ** len(self.conditions) + 1) if i not in observed)

    def row(self, number: int) -> TruthTableRow:
        for r in self.rows:
            if r.row == number:
                return r
        raise KeyError(f"row {number} is not an observed configuration")

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.to_dict(self.conditions) for r in self.rows]).set_index("row")

    def to_dict(self) -> dict[str, Any]:
        return {
            "conditions": list(self.conditions),
            "outcome": self.outcome_label,
            "incl_cut": self.incl_cut,
            "incl_cut0": self.incl_cut0,
            "n_cut": self.n_cut,
            "n_cases": self.n_cases,
            "excluded": list(self.excluded),
            "rows": [r.to_dict(self.conditions) for r in self.rows],
        }

    def summary(self) -> str:
        counts = {code: sum(r.n for r in self.rows if r.out == code) for code in "10C?"}
        return (
            f"Truth table of {self.outcome_label} over {len(self.conditions)} conditions: "
            f"{len(self.rows)} observed configurations of {2 ** len(self.conditions)}, "
            f"{self.n_cases} cases (OUT 1/0/C: {counts['1']}/{counts['0']}/{counts['C']}), "
            f"{len(self.excluded)} excluded for missing values."
        )


@dataclass(frozen=True)
class Term:
    """A conjunction of literals with its fit and the cases behind it."""

    expression: str
    mask: int
    value: int
    literals: int
    consistency: float
    pri: float
    coverage: float
    rows: tuple[int, ...]
    cases: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.expression,
            "inclS": _round(self.consistency),
            "PRI": _round(self.pri),
            "covS": _round(self.coverage),
            "rows": list(self.rows),
            "cases": list(self.cases),
        }


@dataclass(frozen=True)
class Model:
    """One minimal sum: its terms (sorted as strings), their unique coverage, and its fit."""

    expression: str
    terms: tuple[Term, ...]
    unique_coverage: tuple[float, ...]
    consistency: float
    pri: float
    coverage: float
    remainders_used: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.expression,
            "inclS": _round(self.consistency),
            "PRI": _round(self.pri),
            "covS": _round(self.coverage),
            "terms": [
                {**t.to_dict(), "covU": _round(u)}
                for t, u in zip(self.terms, self.unique_coverage, strict=True)
            ],
            "remainders_used": list(self.remainders_used),
        }


@dataclass(frozen=True)
class Solution:
    """The models of one kind of solution, and the prime implicants they were chosen from."""

    kind: str
    models: tuple[Model, ...]
    prime_implicants: tuple[Term, ...]
    truncated: bool = False
    note: str = ""

    @property
    def expressions(self) -> tuple[str, ...]:
        return tuple(m.expression for m in self.models)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "models": [m.to_dict() for m in self.models],
            "prime_implicants": [t.expression for t in self.prime_implicants],
            "truncated": self.truncated,
            "note": self.note,
        }


@dataclass(frozen=True)
class IntermediateSolution(Solution):
    """An intermediate solution for one complex model (``complex_model``) and one parsimonious
    model (``parsimonious_model``), with the easy counterfactuals it was allowed to use."""

    complex_model: str = ""
    parsimonious_model: str = ""
    easy_counterfactuals: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            **super().to_dict(),
            "complex_model": self.complex_model,
            "parsimonious_model": self.parsimonious_model,
            "easy_counterfactuals": list(self.easy_counterfactuals),
        }


@dataclass(frozen=True)
class QCAResult:
    """Complex, parsimonious and (with directional expectations) intermediate solutions."""

    truth_table: TruthTable
    complex: Solution
    parsimonious: Solution
    intermediate: tuple[IntermediateSolution, ...] | None = None
    directional: tuple[tuple[str, int], ...] = ()
    explain_contradictions: bool = False

    def intermediate_expressions(self) -> tuple[str, ...]:
        """Every intermediate model, once, in the order of the complex/parsimonious pairs."""
        seen: dict[str, None] = {}
        for sol in self.intermediate or ():
            for expr in sol.expressions:
                seen.setdefault(expr, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "outcome": self.truth_table.outcome_label,
            "conditions": list(self.truth_table.conditions),
            "complex": self.complex.to_dict(),
            "parsimonious": self.parsimonious.to_dict(),
            "truth_table": self.truth_table.to_dict(),
        }
        if self.intermediate is not None:
            out["directional"] = dict(self.directional)
            out["intermediate"] = [s.to_dict() for s in self.intermediate]
        return out

    def summary(self) -> str:
        arrow = f" -> {self.truth_table.outcome_label}"
        lines = [self.truth_table.summary()]
        sols: list[tuple[str, Sequence[str]]] = [
            ("complex", self.complex.expressions),
            ("parsimonious", self.parsimonious.expressions),
        ]
        if self.intermediate is not None:
            sols.append(("intermediate", self.intermediate_expressions()))
        for kind, exprs in sols:
            if not exprs:
                lines.append(f"{kind}: no model ({self.complex.note or 'nothing to explain'})")
            for i, e in enumerate(exprs, start=1):
                lines.append(f"{kind} M{i}: {e}{arrow}")
        return "\n".join(lines)


@dataclass(frozen=True)
class NecessityRow:
    """Fit of one condition (or its negation) as necessary for the outcome."""

    condition: str
    consistency: float
    coverage: float
    relevance: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "condition": self.condition,
            "inclN": _round(self.consistency),
            "RoN": _round(self.relevance),
            "covN": _round(self.coverage),
        }


@dataclass(frozen=True)
class NecessityResult:
    outcome: str
    rows: tuple[NecessityRow, ...]
    n_cases: int

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([r.to_dict() for r in self.rows]).set_index("condition")

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "n_cases": self.n_cases,
                "rows": [r.to_dict() for r in self.rows]}

    def summary(self, threshold: float = 0.9) -> str:
        hits = [r.condition for r in self.rows if r.consistency >= threshold - _EPS]
        found = ", ".join(hits) if hits else "none"
        return (f"Necessity for {self.outcome} over {self.n_cases} cases: conditions with "
                f"consistency >= {threshold}: {found}.")


def _round(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 6)


# --------------------------------------------------------------------------------------------
# truth table
# --------------------------------------------------------------------------------------------


def _check_columns(data: pd.DataFrame, outcome: str, conditions: Sequence[str]) -> None:
    if not conditions:
        raise QCAInputError("no conditions were given: name at least one 0/1 column to use as "
                            "a condition")
    if len(conditions) > MAX_CONDITIONS:
        raise QCAInputError(f"{len(conditions)} conditions were given; at most {MAX_CONDITIONS} "
                            "are supported (the search covers 3^k terms); choose fewer")
    dupes = sorted({c for c in conditions if list(conditions).count(c) > 1})
    if dupes:
        raise QCAInputError(f"condition {dupes[0]!r} is listed twice; list each column once")
    if outcome in conditions:
        raise QCAInputError(f"column {outcome!r} is both the outcome and a condition; "
                            "remove it from the conditions")
    columns = [str(c) for c in data.columns]
    for name in [outcome, *conditions]:
        if name not in columns:
            raise QCAInputError(f"column {name!r} is not in the data; the columns are "
                                f"{', '.join(columns) or '(none)'}")


def _crisp_column(series: pd.Series, name: str, labels: Sequence[str]) -> np.ndarray:
    """Values as floats (0, 1 or NaN), refusing anything else with its column and row."""
    if series.dtype == bool:
        return series.astype(float).to_numpy()
    numeric = pd.to_numeric(series, errors="coerce")
    bad = series.notna().to_numpy() & ~numeric.isin([0, 1]).to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        raise QCAInputError(
            f"column {name!r}, row {i + 1} (case {labels[i]!r}): value {series.iloc[i]!r} is "
            "not 0 or 1; crisp-set QCA needs 0 (absent) or 1 (present), or an empty cell "
            "for unknown"
        )
    return numeric.astype(float).to_numpy()


def truth_table(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    *,
    incl_cut: float = 1.0,
    incl_cut0: float | None = None,
    n_cut: int = 1,
    case_labels: Sequence[str] | None = None,
    negate_outcome: bool = False,
) -> TruthTable:
    """Group the cases of ``data`` (0/1 columns) by configuration of ``conditions``.

    Cases with a missing value in the outcome or any condition are left out and listed in
    ``excluded``. ``incl_cut`` is the consistency a row needs for OUT ``"1"``; rows with
    consistency strictly between ``incl_cut0`` (default: ``incl_cut``) and ``incl_cut`` are
    contradictions ``"C"``; rows with fewer than ``n_cut`` cases are ``"?"`` (remainders), as in
    R QCA's ``truthTable(incl.cut = c(incl_cut, incl_cut0), n.cut = n_cut)``. Case labels come
    from ``case_labels`` or the index. With ``negate_outcome`` the outcome is its absence.
    """
    conditions = [str(c) for c in conditions]
    _check_columns(data, outcome, conditions)
    if not 0.0 <= incl_cut <= 1.0:
        raise QCAInputError(f"the inclusion cut {incl_cut} is outside 0-1")
    cut0 = incl_cut if incl_cut0 is None else incl_cut0
    if not 0.0 <= cut0 <= incl_cut:
        raise QCAInputError(f"the lower inclusion cut {cut0} must lie between 0 and the "
                            f"inclusion cut {incl_cut}")
    if n_cut < 1:
        raise QCAInputError(f"the frequency cut {n_cut} must be at least 1")
    labels = [str(x) for x in (data.index if case_labels is None else case_labels)]
    if len(labels) != len(data):
        raise QCAInputError(f"{len(labels)} case labels for {len(data)} rows of data")

    frame = data.rename(columns=str)
    cols = {name: _crisp_column(frame[name], name, labels) for name in [outcome, *conditions]}
    matrix = np.column_stack([cols[c] for c in conditions])
    y = cols[outcome]
    keep = ~(np.isnan(matrix).any(axis=1) | np.isnan(y))
    excluded = tuple(lab for lab, ok in zip(labels, keep, strict=True) if not ok)
    kept_labels = [lab for lab, ok in zip(labels, keep, strict=True) if ok]
    k = len(conditions)
    weights = 1 << np.arange(k - 1, -1, -1, dtype=np.int64)
    codes = matrix[keep].astype(np.int64) @ weights if keep.any() else np.zeros(0, np.int64)
    yk = y[keep].astype(np.int64)
    if negate_outcome:
        yk = 1 - yk

    rows: list[TruthTableRow] = []
    members: dict[int, list[str]] = {}
    for lab, code in zip(kept_labels, codes.tolist(), strict=True):
        members.setdefault(code, []).append(lab)
    n_by = np.bincount(codes, minlength=1 << k) if len(codes) else np.zeros(1 << k, np.int64)
    pos_by = (np.bincount(codes, weights=yk, minlength=1 << k) if len(codes)
              else np.zeros(1 << k))
    for code in sorted(members):
        n = int(n_by[code])
        npos = int(pos_by[code])
        incl = npos / n
        if n < n_cut:
            out = "?"
        elif incl >= incl_cut - _EPS:
            out = "1"
        elif incl > cut0 + _EPS:
            out = "C"
        else:
            out = "0"
        values = tuple((code >> (k - 1 - j)) & 1 for j in range(k))
        # crisp sets: min(X, Y, ~Y) is 0 for every case, so PRI reduces to consistency
        rows.append(TruthTableRow(code + 1, values, n, npos, incl, incl, out,
                                  tuple(members[code])))
    return TruthTable(
        conditions=tuple(conditions), outcome=outcome, negate_outcome=negate_outcome,
        incl_cut=incl_cut, incl_cut0=cut0, n_cut=n_cut, rows=tuple(rows),
        case_labels=tuple(kept_labels), case_rows=tuple(int(c) + 1 for c in codes.tolist()),
        case_outcome=tuple(int(v) for v in yk.tolist()), excluded=excluded,
    )


# --------------------------------------------------------------------------------------------
# terms and prime implicants
# --------------------------------------------------------------------------------------------


def term_expression(mask: int, value: int, conditions: Sequence[str]) -> str:
    """A term in R QCA notation: literals in condition order, ``~`` for absence, joined by ``*``.
    The term with no literal (true everywhere) is written ``1``."""
    k = len(conditions)
    lits = []
    for j, name in enumerate(conditions):
        bit = 1 << (k - 1 - j)
        if mask & bit:
            lits.append(name if value & bit else f"~{name}")
    return "*".join(lits) if lits else "1"


def prime_implicants(k: int, allowed: np.ndarray, required: np.ndarray) -> list[tuple[int, int]]:
    """Prime implicants, as ``(mask, value)`` bit pairs, of the function true on ``allowed``
    (positive configurations plus the remainders treated as don't-cares), keeping only those
    that cover at least one ``required`` (positive) configuration.

    Both arguments are boolean vectors over the 2^k configurations (index = row number - 1).
    Every one of the 3^k terms is held in a k-dimensional array with digit 0 (absent), 1
    (present) or 2 (not in the term). A term is allowed when both its halves are, which fills the
    array in k vectorised passes; a term is prime when it is allowed and no term with one literal
    fewer is. This gives the same primes as Quine-McCluskey's pairwise merging, in O(k 3^k).
    """
    shape = (3,) * k
    ok = np.zeros(shape, dtype=bool)
    hit = np.zeros(shape, dtype=bool)
    corner = (slice(0, 2),) * k
    ok[corner] = np.asarray(allowed, dtype=bool).reshape((2,) * k)
    hit[corner] = np.asarray(required, dtype=bool).reshape((2,) * k)
    for ax in range(k):
        i0, i1, i2 = (tuple(slice(d, d + 1) if a == ax else slice(None) for a in range(k))
                      for d in (0, 1, 2))
        ok[i2] = ok[i0] & ok[i1]
        hit[i2] = hit[i0] | hit[i1]
    prime = ok & hit
    for ax in range(k):
        i0, i1, i2 = (tuple(slice(d, d + 1) if a == ax else slice(None) for a in range(k))
                      for d in (0, 1, 2))
        parent = ok[i2]
        prime[i0] &= ~parent
        prime[i1] &= ~parent
    digits = np.argwhere(prime)
    weights = 1 << np.arange(k - 1, -1, -1, dtype=np.int64)
    masks = (digits != 2).astype(np.int64) @ weights
    values = (digits == 1).astype(np.int64) @ weights
    return sorted(zip(masks.tolist(), values.tolist(), strict=True))


# --------------------------------------------------------------------------------------------
# minimal covers (Petrick's method, exact, with every tie kept)
# --------------------------------------------------------------------------------------------


def _popcount(x: int) -> int:
    return x.bit_count()


def minimal_covers(
    covers: Sequence[int], literals: Sequence[int], universe: int, *, limit: int = MAX_MODELS
) -> tuple[list[tuple[int, ...]], bool]:
    """All covers of ``universe`` (a bit set of configurations) by the sets ``covers`` with the
    fewest members and, among those, the fewest literals in total.

    This is what Petrick's method finds by multiplying out the product of sums; here the same
    minimal sums are found by search: essential implicants first, then each independent part of
    the chart by iterative deepening on the number of implicants, branching on the configuration
    with the fewest implicants left and banning the options already tried, so each cover is met
    once; implicants another covers with fewer literals, and columns implied by others, are
    dropped first. Returns the covers (tuples of indices into ``covers``, sorted) and whether the
    list is incomplete: cut at ``limit``, or the search ran past :data:`MAX_SEARCH_STEPS` on some
    part (then that part holds the best covers found, or a greedy cover, not proven minimal).
    """
    if universe == 0:
        return [()], False
    owners: dict[int, list[int]] = {}
    for i, cov in enumerate(covers):
        rest = cov & universe
        while rest:
            low = rest & -rest
            owners.setdefault(low.bit_length() - 1, []).append(i)
            rest ^= low
    missing = [c for c in _bits(universe) if c not in owners]
    if missing:
        raise ValueError(f"configuration {missing[0]} is covered by no implicant")
    essential = sorted({o[0] for o in owners.values() if len(o) == 1})
    left = universe
    for e in essential:
        left &= ~covers[e]

    parts = _components(left, owners)
    per_part: list[list[tuple[int, ...]]] = []
    truncated = False
    for cols in parts:
        found, cut = _part_covers(cols, owners, covers, literals, limit)
        truncated |= cut
        per_part.append(found)

    models: list[tuple[int, ...]] = []
    for combo in itertools.product(*per_part):
        models.append(tuple(sorted(set(essential).union(*combo))))
        if len(models) >= limit:
            truncated = truncated or _product_size(per_part) > limit
            break
    return models, truncated


def _bits(x: int) -> list[int]:
    out = []
    while x:
        low = x & -x
        out.append(low.bit_length() - 1)
        x ^= low
    return out


def _product_size(parts: Sequence[Sequence[object]]) -> int:
    return math.prod(len(p) for p in parts)


def _components(left: int, owners: Mapping[int, list[int]]) -> list[int]:
    """Split the uncovered configurations into groups no implicant spans."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_col: dict[int, int] = {}
    for col in _bits(left):
        find(col)
        for pi in owners[col]:
            if pi in first_col:
                parent[find(col)] = find(first_col[pi])
            else:
                first_col[pi] = col
    groups: dict[int, int] = {}
    for col in _bits(left):
        root = find(col)
        groups[root] = groups.get(root, 0) | (1 << col)
    return list(groups.values())


def _part_covers(
    cols: int, owners: Mapping[int, list[int]], covers: Sequence[int],
    literals: Sequence[int], limit: int,
) -> tuple[list[tuple[int, ...]], bool]:
    """Every cover of ``cols`` with the fewest implicants, then the fewest literals."""
    candidates = sorted({pi for c in _bits(cols) for pi in owners[c]})
    local = {pi: covers[pi] & cols for pi in candidates}
    # an implicant whose columns another covers with fewer literals is never in a best cover
    keep = [p for p in candidates
            if not any(q != p and local[p] & ~local[q] == 0 and literals[q] < literals[p]
                       for q in owners[(local[p] & -local[p]).bit_length() - 1])]
    # owners as bit sets over the kept implicants; a column whose owners include all the
    # owners of another column is covered whenever that one is, so it is dropped
    pos = {p: i for i, p in enumerate(keep)}
    own: dict[int, int] = {}
    for col in _bits(cols):
        bits = 0
        for p in owners[col]:
            if p in pos:
                bits |= 1 << pos[p]
        own[col] = bits
    kept_cols: list[int] = []
    for col in sorted(own, key=lambda c: (own[c].bit_count(), c)):
        if not any(own[c] & ~own[col] == 0 for c in kept_cols):
            kept_cols.append(col)
    col_own = [own[c] for c in kept_cols]
    cov = [0] * len(keep)
    for j, bits in enumerate(col_own):
        for i in _bits(bits):
            cov[i] |= 1 << j
    lits = [literals[p] for p in keep]
    full = (1 << len(kept_cols)) - 1
    min_lit = min(lits)

    def bound(uncovered: int, banned: int) -> tuple[int, int, int]:
        """A lower bound on the implicants still needed (columns no implicant shares), and the
        column with the fewest implicants left, to branch on."""
        left = [(col_own[i] & ~banned, i) for i in _bits(uncovered)]
        left.sort(key=lambda t: t[0].bit_count())
        need, used = 0, 0
        for avail, _ in left:
            if avail & used == 0:
                need += 1
                used |= avail
        avail0, col0 = left[0]
        return need, col0, avail0.bit_count()

    found: list[tuple[int, ...]] = []
    state: dict[str, Any] = {"cut": False, "best": math.inf, "steps": 0, "stopped": False}

    def search(uncovered: int, chosen: list[int], lit_sum: int, banned: int, budget: int,
               final: bool) -> bool:
        state["steps"] += uncovered.bit_count()
        if state["steps"] > MAX_SEARCH_STEPS:
            state["stopped"] = True
        if state["stopped"]:
            return False
        if uncovered == 0:
            if final:
                if lit_sum < state["best"]:
                    state["best"] = lit_sum
                    found.clear()
                    state["cut"] = False
                if lit_sum == state["best"] and not state["cut"]:
                    found.append(tuple(sorted(keep[i] for i in chosen)))
                    state["cut"] = len(found) >= limit
            return True
        need, col, n_avail = bound(uncovered, banned)
        if n_avail == 0 or len(chosen) + need > budget:
            return False
        if final and lit_sum + need * min_lit > state["best"]:
            return False
        opts = _bits(col_own[col] & ~banned)
        opts.sort(key=lambda i: (-(cov[i] & uncovered).bit_count(), lits[i]))
        hit_any = False
        tried = 0
        for i in opts:
            chosen.append(i)
            hit = search(uncovered & ~cov[i], chosen, lit_sum + lits[i], banned | tried,
                         budget, final)
            chosen.pop()
            tried |= 1 << i
            hit_any |= hit
            if hit and not final:
                return True
        return hit_any

    greedy = _greedy_cover(full, cov, lits)
    budget = bound(full, 0)[0]
    while budget < len(greedy) and not search(full, [], 0, 0, budget, final=False):
        if state["stopped"]:
            break
        budget += 1
    if state["stopped"]:
        budget = len(greedy)
    state["steps"], state["stopped"] = 0, False
    search(full, [], 0, 0, budget, final=True)
    if not found:
        found.append(tuple(sorted(keep[i] for i in greedy)))
    return found, bool(state["cut"] or state["stopped"])


def _greedy_cover(full: int, cov: Sequence[int], lits: Sequence[int]) -> list[int]:
    """A cover made by taking, again and again, the implicant covering most of what is left."""
    left, picked = full, []
    while left:
        best = max(range(len(cov)), key=lambda i: ((cov[i] & left).bit_count(), -lits[i]))
        picked.append(best)
        left &= ~cov[best]
    return picked


# --------------------------------------------------------------------------------------------
# minimisation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Space:
    """The truth table as arrays the minimisation works on."""

    k: int
    explain: np.ndarray  # row indices (0-based) of the configurations to explain
    remainders: np.ndarray  # row indices of the remainders
    case_rows: np.ndarray  # 0-based row index of each case
    case_y: np.ndarray  # outcome of each case
    labels: tuple[str, ...]
    conditions: tuple[str, ...]
    case_order: np.ndarray  # cases by row, then data order

    def indicator(self, idx: Iterable[int]) -> np.ndarray:
        v = np.zeros(1 << self.k, dtype=bool)
        v[np.fromiter(idx, dtype=np.int64)] = True
        return v


def _space(tt: TruthTable, explain_contradictions: bool) -> _Space:
    codes = ("1", "C") if explain_contradictions else ("1",)
    observed = {r.row - 1 for r in tt.rows if r.out != "?"}
    return _Space(
        k=len(tt.conditions),
        explain=np.array(sorted(r - 1 for r in tt.rows_with(*codes)), dtype=np.int64),
        remainders=np.array([i for i in range(1 << len(tt.conditions)) if i not in observed],
                            dtype=np.int64),
        case_rows=np.array(tt.case_rows, dtype=np.int64) - 1,
        case_y=np.array(tt.case_outcome, dtype=bool),
        labels=tt.case_labels,
        conditions=tt.conditions,
        case_order=np.argsort(np.array(tt.case_rows, dtype=np.int64), kind="stable"),
    )


def _term(space: _Space, mask: int, value: int) -> Term:
    covered = (space.case_rows & mask) == value
    n = int(covered.sum())
    npos = int((covered & space.case_y).sum())
    total = int(space.case_y.sum())
    incl = npos / n if n else math.nan
    order = space.case_order
    cases = tuple(space.labels[i] for i in order[covered[order]])
    rows = tuple(sorted({int(r) + 1 for r in space.case_rows[covered]}))
    return Term(
        expression=term_expression(mask, value, space.conditions), mask=mask, value=value,
        literals=_popcount(mask), consistency=incl, pri=incl,
        coverage=npos / total if total else math.nan, rows=rows, cases=cases,
    )


def _model(space: _Space, terms: Sequence[Term],
           cache: dict[tuple[int, int], tuple[np.ndarray, set[int]]] | None = None) -> Model:
    """Fit of a sum of terms; ``cache`` keeps each term's cases and remainders between models."""
    cache = {} if cache is None else cache
    rem = space.remainders
    for t in terms:
        if (t.mask, t.value) not in cache:
            cache[t.mask, t.value] = ((space.case_rows & t.mask) == t.value,
                                      {int(r) + 1 for r in rem[(rem & t.mask) == t.value]})
    ordered = sorted(terms, key=lambda t: t.expression)
    masks = np.array([cache[t.mask, t.value][0] for t in ordered])
    times = masks.sum(axis=0)
    union = times > 0
    total = int(space.case_y.sum())
    only = (masks & (times == 1) & space.case_y).sum(axis=1)
    unique = [int(u) / total if total else math.nan for u in only]
    n = int(union.sum())
    npos = int((union & space.case_y).sum())
    incl = npos / n if n else math.nan
    used = sorted(set().union(*(cache[t.mask, t.value][1] for t in ordered)))
    return Model(
        expression=" + ".join(t.expression for t in ordered), terms=tuple(ordered),
        unique_coverage=tuple(unique), consistency=incl, pri=incl,
        coverage=npos / total if total else math.nan, remainders_used=tuple(used),
    )


def _solve(space: _Space, kind: str, dont_care: np.ndarray, limit: int,
           cls: type[Solution] = Solution, **extra: Any) -> Solution:
    """Prime implicants of explain + dont_care, then every minimal sum covering explain."""
    if len(space.explain) == 0:
        return cls(kind=kind, models=(), prime_implicants=(),
                   note="nothing to explain: no configuration has the outcome", **extra)
    required = space.indicator(space.explain.tolist())
    allowed = required | space.indicator(dont_care.tolist())
    primes = prime_implicants(space.k, allowed, required)
    masks = np.array([m for m, _ in primes], dtype=np.int64)
    values = np.array([v for _, v in primes], dtype=np.int64)
    chart = (space.explain[None, :] & masks[:, None]) == values[:, None]
    packed = np.packbits(chart, axis=1, bitorder="little")
    covers = [int.from_bytes(row.tobytes(), "little") for row in packed]
    literals = [_popcount(m) for m in masks.tolist()]
    universe = (1 << len(space.explain)) - 1
    chosen, truncated = minimal_covers(covers, literals, universe, limit=limit)
    terms = [_term(space, m, v) for m, v in primes]
    cache: dict[tuple[int, int], tuple[np.ndarray, set[int]]] = {}
    models = sorted((_model(space, [terms[i] for i in pick], cache) for pick in chosen),
                    key=lambda m: m.expression)
    note = ""
    if any(t.mask == 0 for t in terms):
        note = ("every configuration is allowed to show the outcome, so all conditions "
                "minimise away (model '1')")
    return cls(kind=kind, models=tuple(models),
               prime_implicants=tuple(sorted(terms, key=lambda t: t.expression)),
               truncated=truncated, note=note, **extra)


def _subsumes(p: Term, c: Term) -> bool:
    """Every literal of ``p`` is in ``c`` (so ``c`` is a subset of ``p``)."""
    return (p.mask & c.mask) == p.mask and (c.value & p.mask) == p.value


def _easy_counterfactuals(space: _Space, cmodel: Model, pmodel: Model,
                          expect: Mapping[int, int]) -> np.ndarray:
    """Remainders of the parsimonious model that the directional expectations make easy.

    For each complex term ``c`` and each parsimonious term ``p`` containing it, the literals of
    ``c`` outside ``p`` that contradict an expectation are dropped (a condition with no
    expectation keeps its literal); the remainders that the parsimonious model used and that
    fall inside the reduced term are easy counterfactuals. This is the rule of Ragin & Sonnett
    (2005) as R QCA implements it (``C_getEC``) for single-condition expectations.
    """
    used = np.array([r - 1 for r in pmodel.remainders_used], dtype=np.int64)
    easy = np.zeros(len(used), dtype=bool)
    k = space.k
    for c in cmodel.terms:
        for p in pmodel.terms:
            if not _subsumes(p, c):
                continue
            mask, value = c.mask, c.value
            for j, want in expect.items():
                bit = 1 << (k - 1 - j)
                if c.mask & bit and not p.mask & bit and bool(c.value & bit) != bool(want):
                    mask &= ~bit
                    value &= ~bit
            easy |= (used & mask) == value
    return used[easy]


def minimize(
    tt: TruthTable,
    *,
    directional: Mapping[str, int] | None = None,
    explain_contradictions: bool = False,
    max_models: int = MAX_MODELS,
) -> QCAResult:
    """Complex, parsimonious and, given ``directional`` expectations, intermediate solutions.

    The configurations explained are the rows with OUT ``"1"`` (and ``"C"`` with
    ``explain_contradictions``, like R's ``explain = "1, C"``); rows with OUT ``"0"`` (and
    unexplained contradictions) may never be covered. ``directional`` maps a condition to the
    value (1 present, 0 absent) expected to go with the outcome; conditions left out are "don't
    care". One intermediate solution is made for every pair of complex and parsimonious models,
    as R QCA does: the prime implicants of the explained rows plus their easy counterfactuals,
    then every minimal sum covering the explained rows.
    """
    space = _space(tt, explain_contradictions)
    complex_ = _solve(space, "complex", np.zeros(0, dtype=np.int64), max_models)
    pars = _solve(space, "parsimonious", space.remainders, max_models)
    inter: tuple[IntermediateSolution, ...] | None = None
    direction: tuple[tuple[str, int], ...] = ()
    if directional is not None:
        expect: dict[int, int] = {}
        for name, want in directional.items():
            if name not in tt.conditions:
                raise QCAInputError(f"directional expectation for {name!r}, which is not a "
                                    f"condition; the conditions are {', '.join(tt.conditions)}")
            if want not in (0, 1):
                raise QCAInputError(f"directional expectation {name}={want!r}: use 1 "
                                    "(presence expected) or 0 (absence expected)")
            expect[tt.conditions.index(name)] = int(want)
        direction = tuple((tt.conditions[j], v) for j, v in sorted(expect.items()))
        sols: list[IntermediateSolution] = []
        for cm in complex_.models:
            for pm in pars.models:
                ec = _easy_counterfactuals(space, cm, pm, expect)
                sol = _solve(space, "intermediate", ec, max_models, IntermediateSolution,
                             complex_model=cm.expression, parsimonious_model=pm.expression,
                             easy_counterfactuals=tuple(sorted(int(r) + 1 for r in ec)))
                assert isinstance(sol, IntermediateSolution)
                sols.append(sol)
        inter = tuple(sols)
    return QCAResult(truth_table=tt, complex=complex_, parsimonious=pars, intermediate=inter,
                     directional=direction, explain_contradictions=explain_contradictions)


def fit(tt: TruthTable, expression: str) -> Model:
    """Consistency, coverage and unique coverage of any sum of products over ``tt``'s
    conditions, written in R QCA notation (``A*~B + C``)."""
    space = _space(tt, False)
    terms = [_term(space, *_parse_term(t.strip(), tt.conditions))
             for t in expression.split("+")]
    return _model(space, terms)


def _parse_term(text: str, conditions: Sequence[str]) -> tuple[int, int]:
    k = len(conditions)
    mask = value = 0
    if text == "1":
        return 0, 0
    for lit in text.split("*"):
        lit = lit.strip()
        neg = lit.startswith("~")
        name = lit[1:] if neg else lit
        if name not in conditions:
            raise QCAInputError(f"{name!r} in {text!r} is not a condition; the conditions are "
                                f"{', '.join(conditions)}")
        bit = 1 << (k - 1 - conditions.index(name))
        mask |= bit
        value |= 0 if neg else bit
    return mask, value


# --------------------------------------------------------------------------------------------
# necessity
# --------------------------------------------------------------------------------------------


def necessity(tt: TruthTable) -> NecessityResult:
    """Each condition and its negation as a necessary condition for the outcome.

    Consistency ``|X and Y| / |Y|``, coverage ``|X and Y| / |X|``, and relevance
    ``|not X| / |not (X and Y)|`` (Schneider & Wagemann 2012), over the cases kept in ``tt``.
    """
    k = len(tt.conditions)
    rows = np.array(tt.case_rows, dtype=np.int64) - 1
    y = np.array(tt.case_outcome, dtype=bool)
    n = len(rows)
    out = []
    for j, name in enumerate(tt.conditions):
        present = (rows >> (k - 1 - j)) & 1 == 1
        for label, x in ((name, present), (f"~{name}", ~present)):
            both = int((x & y).sum())
            nx, ny = int(x.sum()), int(y.sum())
            out.append(NecessityRow(
                condition=label,
                consistency=both / ny if ny else math.nan,
                coverage=both / nx if nx else math.nan,
                relevance=(n - nx) / (n - both) if n - both else math.nan,
            ))
    return NecessityResult(outcome=tt.outcome_label, rows=tuple(out), n_cases=n)


# --------------------------------------------------------------------------------------------
# cases to a crisp data frame
# --------------------------------------------------------------------------------------------


def case_outcome(case: Case, outcome: str) -> int | None:
    """The crisp outcome of one case, or ``None`` when the record cannot tell.

    ``ended``: 1 if the status is ended, 0 if active (never implemented or unknown: ``None``).
    ``lasting``: 1 if it ran :data:`LASTING_YEARS` years or more (still active that long after
    its start as of ``status_year``, or ended that long after); 0 if it ended sooner; ``None``
    for a programme still younger than that (it may yet last), one never implemented, or
    missing years. ``expanded``: 1 if its trajectory expanded, 0 if stable, contracted or
    replaced, ``None`` if unknown.
    """
    if outcome == "ended":
        return {Status.ENDED: 1, Status.ACTIVE: 0}.get(case.status)
    if outcome == "expanded":
        if case.trajectory is Trajectory.UNKNOWN:
            return None
        return int(case.trajectory is Trajectory.EXPANDED)
    if outcome == "lasting":
        start = case.start_year
        if start is None or case.status not in (Status.ACTIVE, Status.ENDED):
            return None
        if case.status is Status.ACTIVE:
            if case.status_year is None:
                return None
            return 1 if case.status_year - start >= LASTING_YEARS else None
        if case.end_year is not None:
            return int(case.end_year - start >= LASTING_YEARS)
        # ended, year unknown: it ended by status_year at the latest
        if case.status_year is not None and case.status_year - start < LASTING_YEARS:
            return 0
        return None
    raise QCAInputError(f"unknown outcome {outcome!r}; choose one of {', '.join(OUTCOMES)}")


def _donor_funding(case: Case) -> int | None:
    if case.funding is Funding.UNKNOWN:
        return None
    return int(case.funding in (Funding.DONOR, Funding.MIXED))


def _national_scale(case: Case) -> int | None:
    return int(case.level in (Level.NATIONAL, Level.MULTINATIONAL))


def crisp_frame(cases: Sequence[Case], outcome: str, *, derived: bool = True) -> pd.DataFrame:
    """One row per case (index: case id): the 12 recorded conditions as 1/0/missing, the derived
    conditions of :data:`DERIVED_CONDITIONS` when ``derived``, and the outcome column named
    ``outcome`` (see :func:`case_outcome`). Unknown values are missing (``<NA>``), which
    :func:`truth_table` leaves out and counts."""
    if outcome not in OUTCOMES:
        raise QCAInputError(f"unknown outcome {outcome!r}; choose one of {', '.join(OUTCOMES)}")
    records: list[dict[str, int | None]] = []
    for case in cases:
        rec: dict[str, int | None] = {}
        for cond in Condition:
            v = case.conditions.get(cond)
            rec[cond.value] = None if v is None else int(v)
        if derived:
            rec["donor_funding"] = _donor_funding(case)
            rec["national_scale"] = _national_scale(case)
        rec[outcome] = case_outcome(case, outcome)
        records.append(rec)
    columns = [c.value for c in Condition] + (list(DERIVED_CONDITIONS) if derived else [])
    frame = pd.DataFrame.from_records(records, columns=[*columns, outcome],
                                      index=pd.Index([c.id for c in cases], name="id"))
    return frame.astype("Int64")


__all__ = [
    "DERIVED_CONDITIONS", "LASTING_YEARS", "MAX_CONDITIONS", "MAX_MODELS", "MAX_SEARCH_STEPS",
    "OUTCOMES",
    "IntermediateSolution", "Model", "NecessityResult", "NecessityRow", "QCAInputError",
    "QCAResult", "Solution", "Term", "TruthTable", "TruthTableRow", "case_outcome",
    "crisp_frame", "fit", "minimal_covers", "minimize", "necessity", "prime_implicants",
    "term_expression", "truth_table",
]
