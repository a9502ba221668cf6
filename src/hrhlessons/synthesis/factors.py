"""Why innovations lasted or died out: case factors on a controlled vocabulary, counted and ranked.

Each case lists success and failure factors in its sources' words. This module maps every such
phrase onto a controlled vocabulary of factors (``data/factors/vocabulary.yaml``), through a
reviewable mapping (``data/factors/mapping.csv``) that keyword rules draft and reviewers correct,
then counts the factors by domain and outcome group and ranks them. The free text is kept: every
link from a case to a factor carries the phrase it came from.

Vocabulary:

factor
    One topic of the vocabulary (for example ``external_funding``). A factor has no sign of its
    own: the list a phrase comes from gives it. "Presidential backing" among a case's success
    factors and "lost presidential backing" among its failure factors map to the same factor.
phrase
    One entry of a case's ``success_factors`` (kind ``success``) or ``failure_factors`` (kind
    ``failure``), keyed by ``(case_id, kind, text)``.
mapping
    The reviewed table from phrases to zero or more factor ids. ``method`` ``rule``: drafted by
    the keyword rules; ``manual``: set or confirmed by a reviewer, never overwritten by the
    rules. A phrase not in the mapping (a case added since it was built) is matched by the rules
    on the fly and listed in :attr:`FactorSynthesis.not_in_mapping`.
outcome group
    Where a case ended up, defined once here (:func:`outcome_group`), checked in this order:

    ========  ===================================================================
    died      status ``ended`` or ``not_implemented``, or trajectory ``replaced``
              or ``contracted`` (an active programme that shrank counts here)
    survived  status ``active`` and trajectory ``expanded``, or status ``active``
              and running at least :data:`SURVIVAL_YEARS` years (``status_year -
              start_year``; ``as_of`` stands in for a missing status year)
    other     everything else: active but younger or of unknown age and not
              expanded, or status unknown
    ========  ===================================================================

why innovations die out
    Failure factors ranked by how many cases of the *died* group show them, with the share of
    survivors that show the same failure factor as a contrast.
what the survivors share
    Success factors ranked by how many *survived* cases show them, contrasted with their share
    among the died group.
agreement (for confidence)
    A judgeable case shows the factor (of the finding's kind) and is in the survived or died
    group; it agrees when it is in the finding's group. See :mod:`.confidence` for the rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd

from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import Domain, Status, Trajectory
from hrhlessons.errors import InvalidInput, Problem
from hrhlessons.synthesis.confidence import (
    Confidence,
    EvidenceProfile,
    assess,
    best_evidence,
    confidence_columns,
)

#: Years an active programme must have run to count as a survivor without having expanded.
SURVIVAL_YEARS = 10

KINDS: tuple[str, ...] = ("success", "failure")
METHODS: tuple[str, ...] = ("rule", "manual")
_ID = re.compile(r"^[a-z][a-z0-9_]*\Z")


# ----- the vocabulary -----

@dataclass(frozen=True)
class Factor:
    """One factor of the controlled vocabulary, with the rules that recognise it in a phrase."""

    id: str
    label: str
    definition: str
    theme: str
    patterns: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    _compiled: tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        compiled = (tuple(re.compile(p, re.IGNORECASE) for p in self.patterns),
                    tuple(re.compile(p, re.IGNORECASE) for p in self.exclude))
        object.__setattr__(self, "_compiled", compiled)

    def matches(self, text: str) -> bool:
        """Does any pattern match ``text`` with no exclude pattern matching it?"""
        include, exclude = self._compiled
        return (any(p.search(text) for p in include)
                and not any(p.search(text) for p in exclude))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "definition": self.definition,
                "theme": self.theme}


@dataclass(frozen=True)
class Vocabulary:
    """The controlled vocabulary: themes (id -> label) and factors, in file order."""

    themes: Mapping[str, str]
    factors: tuple[Factor, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "themes", dict(self.themes))

    @classmethod
    def from_records(cls, themes: Mapping[str, str], records: Sequence[Mapping[str, Any]],
                     *, file: str = "vocabulary.yaml") -> Vocabulary:
        """Build a vocabulary from plain records; every problem is reported at once."""
        problems: list[Problem] = []
        factors: list[Factor] = []
        seen: set[str] = set()
        for i, rec in enumerate(records):
            where = f"factors.{i}"
            missing = [k for k in ("id", "label", "definition", "theme", "patterns")
                       if not rec.get(k)]
            if missing:
                problems.append(Problem(file, None, where, f"missing {', '.join(missing)}"))
                continue
            fid = str(rec["id"])
            if not _ID.match(fid):
                problems.append(Problem(file, None, f"{where}.id",
                                        f"'{fid}' is not lower_snake_case"))
            if fid in seen:
                problems.append(Problem(file, None, f"{where}.id", f"'{fid}' is listed twice"))
            seen.add(fid)
            if rec["theme"] not in themes:
                problems.append(Problem(file, None, f"{where}.theme",
                                        f"'{rec['theme']}' is not one of the themes: "
                                        f"{', '.join(themes)}"))
            for key in ("patterns", "exclude"):
                for j, pat in enumerate(rec.get(key) or ()):
                    try:
                        re.compile(str(pat))
                    except re.error as exc:
                        problems.append(Problem(file, None, f"{where}.{key}.{j}",
                                                f"not a valid regular expression: {exc}"))
            if not problems:
                factors.append(Factor(fid, str(rec["label"]), str(rec["definition"]),
                                      str(rec["theme"]),
                                      tuple(str(p) for p in rec["patterns"]),
                                      tuple(str(p) for p in rec.get("exclude") or ())))
        if problems:
            raise InvalidInput(problems)
        return cls(themes, tuple(factors))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.factors)

    def get(self, factor_id: str) -> Factor:
        for f in self.factors:
            if f.id == factor_id:
                return f
        raise KeyError(f"'{factor_id}' is not a factor of the vocabulary")

    def match(self, text: str) -> tuple[str, ...]:
        """Ids of every factor whose rules match ``text``, in vocabulary order."""
        return tuple(f.id for f in self.factors if f.matches(text))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{**f.to_dict(), "theme_label": self.themes[f.theme]}
                             for f in self.factors])


# ----- the mapping from phrases to factors -----

PhraseKey = tuple[str, str, str]


@dataclass(frozen=True)
class MappingRow:
    """One phrase of one case and the factors it maps to."""

    case_id: str
    kind: str
    text: str
    factor_ids: tuple[str, ...]
    method: str

    @property
    def key(self) -> PhraseKey:
        return (self.case_id, self.kind, self.text)

    def to_dict(self) -> dict[str, str]:
        return {"case_id": self.case_id, "kind": self.kind, "text": self.text,
                "factor_ids": ";".join(self.factor_ids), "method": self.method}


@dataclass(frozen=True)
class FactorMapping:
    """The reviewable mapping: one row per phrase."""

    rows: tuple[MappingRow, ...]
    _index: dict[PhraseKey, MappingRow] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {r.key: r for r in self.rows})

    def get(self, key: PhraseKey) -> MappingRow | None:
        return self._index.get(key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and key in self._index

    def missing(self, cases: Iterable[Case]) -> tuple[PhraseKey, ...]:
        """Phrases of ``cases`` that have no row in the mapping."""
        return tuple(k for k in phrase_keys(cases) if k not in self)

    def check(self, vocabulary: Vocabulary, *, file: str = "mapping.csv") -> list[Problem]:
        """Rows that name unknown factors or methods, or repeat a phrase."""
        known = set(vocabulary.ids)
        problems: list[Problem] = []
        seen: set[PhraseKey] = set()
        for i, row in enumerate(self.rows, start=2):  # line 1 is the header
            if row.kind not in KINDS:
                problems.append(Problem(file, i, "kind", f"'{row.kind}' is not success or "
                                                         "failure"))
            if row.method not in METHODS:
                problems.append(Problem(file, i, "method", f"'{row.method}' is not rule or "
                                                           "manual"))
            for fid in row.factor_ids:
                if fid not in known:
                    problems.append(Problem(file, i, "factor_ids",
                                            f"'{fid}' is not a factor of the vocabulary"))
            if row.key in seen:
                problems.append(Problem(file, i, "text", "this phrase of this case is listed "
                                                         "twice"))
            seen.add(row.key)
        return problems


def phrase_keys(cases: Iterable[Case]) -> tuple[PhraseKey, ...]:
    """Every factor phrase of ``cases``, in case order, success before failure."""
    out: dict[PhraseKey, None] = {}
    for case in cases:
        for kind, phrases in (("success", case.success_factors),
                              ("failure", case.failure_factors)):
            for text in phrases:
                out.setdefault((case.id, kind, text), None)
    return tuple(out)


@dataclass(frozen=True)
class MappingUpdate:
    """A regenerated mapping and what changed: added, re-matched, kept (manual), stale rows."""

    mapping: FactorMapping
    added: tuple[PhraseKey, ...]
    rematched: tuple[PhraseKey, ...]
    kept_manual: tuple[PhraseKey, ...]
    stale: tuple[MappingRow, ...]

    def summary(self) -> str:
        rows = self.mapping.rows
        unmapped = sum(1 for r in rows if not r.factor_ids)
        return (f"{len(rows)} phrases: {len(self.added)} new, {len(self.rematched)} re-matched "
                f"by rule, {len(self.kept_manual)} manual rows kept, {unmapped} without a "
                f"factor; {len(self.stale)} rows dropped (phrase no longer in any case, "
                f"{sum(1 for r in self.stale if r.method == 'manual')} of them manual)")


def build_mapping(cases: Iterable[Case], vocabulary: Vocabulary,
                  existing: FactorMapping | None = None) -> MappingUpdate:
    """Map every phrase of ``cases`` by rule, keeping rows a reviewer marked ``manual``."""
    old = existing or FactorMapping(())
    rows: list[MappingRow] = []
    added: list[PhraseKey] = []
    rematched: list[PhraseKey] = []
    kept: list[PhraseKey] = []
    keys = phrase_keys(cases)
    for key in keys:
        prior = old.get(key)
        if prior is not None and prior.method == "manual":
            rows.append(prior)
            kept.append(key)
            continue
        rows.append(MappingRow(*key, factor_ids=vocabulary.match(key[2]), method="rule"))
        (added if prior is None else rematched).append(key)
    current = set(keys)
    stale = tuple(r for r in old.rows if r.key not in current)
    return MappingUpdate(FactorMapping(tuple(rows)), tuple(added), tuple(rematched),
                         tuple(kept), stale)


def carry_reworded(update: MappingUpdate) -> tuple[MappingUpdate, tuple[tuple[MappingRow,
                                                                                MappingRow], ...]]:
    """Carry a reviewer's codes over to a reworded phrase: where a case's factors of one kind
    lost exactly one row, a ``manual`` one, and gained exactly one new phrase, the new phrase takes
    the dropped row's factors, still ``manual``. Returns the update and the (old, new) pairs.

    An editor who rewords a factor (softening it to what its page shows) rarely changes what
    it is about, and re-matching it by rule would silently lose the reviewed codes; anything
    less clear-cut (two phrases reworded at once, a phrase removed and another added) is left
    to the reviewer, as before.
    """
    dropped: dict[tuple[str, str], list[MappingRow]] = {}     # (case id, kind) -> rows
    for row in update.stale:
        dropped.setdefault(row.key[:2], []).append(row)
    new: dict[tuple[str, str], list[PhraseKey]] = {}
    for key in update.added:
        new.setdefault(key[:2], []).append(key)
    pairs: list[tuple[MappingRow, MappingRow]] = []
    for where, rows in dropped.items():
        # One row dropped (any method: a dropped rule row makes the pairing ambiguous), and
        # that row reviewed; one phrase gained.
        if len(rows) == 1 and rows[0].method == "manual" and len(new.get(where, ())) == 1:
            old_row, key = rows[0], new[where][0]
            pairs.append((old_row, MappingRow(*key, factor_ids=old_row.factor_ids,
                                              method="manual")))
    if not pairs:
        return update, ()
    carried = {n.key: n for _, n in pairs}
    gone = {o.key for o, _ in pairs}
    return MappingUpdate(
        FactorMapping(tuple(carried.get(r.key, r) for r in update.mapping.rows)),
        tuple(k for k in update.added if k not in carried), update.rematched,
        (*update.kept_manual, *carried), tuple(r for r in update.stale if r.key not in gone),
    ), tuple(pairs)


# ----- outcome groups -----

class OutcomeGroup(StrEnum):
    """Where a case ended up (rules in the module docstring)."""

    SURVIVED = "survived"
    DIED = "died"
    OTHER = "other"


DIED_STATUSES = frozenset({Status.ENDED, Status.NOT_IMPLEMENTED})
DIED_TRAJECTORIES = frozenset({Trajectory.REPLACED, Trajectory.CONTRACTED})


def years_running(case: Case, as_of: int | None = None) -> int | None:
    """Years from start to the status year (or ``as_of``); None when either is unknown."""
    seen = case.status_year if case.status_year is not None else as_of
    if case.start_year is None or seen is None:
        return None
    return seen - case.start_year


def outcome_group(case: Case, *, as_of: int | None = None,
                  survival_years: int = SURVIVAL_YEARS) -> OutcomeGroup:
    """The outcome group of one case: died, survived or other."""
    if case.status in DIED_STATUSES or case.trajectory in DIED_TRAJECTORIES:
        return OutcomeGroup.DIED
    if case.status is Status.ACTIVE:
        if case.trajectory is Trajectory.EXPANDED:
            return OutcomeGroup.SURVIVED
        years = years_running(case, as_of)
        if years is not None and years >= survival_years:
            return OutcomeGroup.SURVIVED
    return OutcomeGroup.OTHER


# ----- links from cases to factors -----

@dataclass(frozen=True)
class FactorLink:
    """One phrase of one case linked to one factor, and how the link was made."""

    case_id: str
    kind: str
    factor_id: str
    text: str
    method: str


def link_factors(cases: Iterable[Case], vocabulary: Vocabulary,
                 mapping: FactorMapping | None = None
                 ) -> tuple[tuple[FactorLink, ...], tuple[PhraseKey, ...]]:
    """Links of every phrase to its factors, and the phrases the mapping did not hold.

    Phrases missing from ``mapping`` are matched by the vocabulary's rules (method ``rule``).
    """
    links: list[FactorLink] = []
    missing: list[PhraseKey] = []
    for key in phrase_keys(cases):
        row = mapping.get(key) if mapping is not None else None
        if row is None:
            if mapping is not None:
                missing.append(key)
            ids, method = vocabulary.match(key[2]), "rule"
        else:
            ids, method = row.factor_ids, row.method
        links.extend(FactorLink(key[0], key[1], fid, key[2], method) for fid in ids)
    return tuple(links), tuple(missing)


# ----- results -----

@dataclass(frozen=True)
class FactorCount:
    """How many cases of one domain and outcome group show one factor as one kind."""

    factor_id: str
    kind: str
    domain: str
    group: str
    case_ids: tuple[str, ...]

    @property
    def n_cases(self) -> int:
        return len(self.case_ids)

    def to_dict(self) -> dict[str, Any]:
        return {"factor_id": self.factor_id, "kind": self.kind, "domain": self.domain,
                "group": self.group, "n_cases": self.n_cases, "case_ids": list(self.case_ids)}


@dataclass(frozen=True)
class FactorFinding:
    """A ranked factor: the cases of the focal group that show it, against a contrast group."""

    factor_id: str
    label: str
    theme: str
    kind: str
    group: str
    case_ids: tuple[str, ...]
    group_size: int
    contrast_group: str
    contrast_case_ids: tuple[str, ...]
    contrast_size: int
    phrases: tuple[tuple[str, str], ...]
    confidence: Confidence

    @property
    def n_cases(self) -> int:
        return len(self.case_ids)

    @property
    def share(self) -> float:
        return self.n_cases / self.group_size if self.group_size else 0.0

    @property
    def contrast_share(self) -> float:
        return len(self.contrast_case_ids) / self.contrast_size if self.contrast_size else 0.0

    @property
    def difference(self) -> float:
        """Share in the focal group minus share in the contrast group."""
        return self.share - self.contrast_share

    def to_dict(self) -> dict[str, Any]:
        return {
            "factor_id": self.factor_id, "label": self.label, "theme": self.theme,
            "kind": self.kind, "group": self.group, "n_cases": self.n_cases,
            "group_size": self.group_size, "share": round(self.share, 4),
            "case_ids": list(self.case_ids), "contrast_group": self.contrast_group,
            "contrast_n_cases": len(self.contrast_case_ids),
            "contrast_size": self.contrast_size,
            "contrast_share": round(self.contrast_share, 4),
            "contrast_case_ids": list(self.contrast_case_ids),
            "difference": round(self.difference, 4),
            "phrases": [{"case_id": c, "text": t} for c, t in self.phrases],
            "confidence": self.confidence.to_dict(),
        }

    def row(self) -> dict[str, Any]:
        return {"factor_id": self.factor_id, "label": self.label, "theme": self.theme,
                "kind": self.kind, "group": self.group, "n_cases": self.n_cases,
                "share": self.share, "contrast_n_cases": len(self.contrast_case_ids),
                "contrast_share": self.contrast_share, "difference": self.difference,
                "case_ids": ",".join(self.case_ids),
                **confidence_columns(self.confidence)}


@dataclass(frozen=True)
class FactorOptions:
    """Parameters of :func:`synthesize_factors`.

    ``domain`` restricts the analysis to one domain's cases. ``relevant_domain`` is the domain
    the findings are meant for, used only for the relevance rating (default: ``domain``).
    """

    domain: Domain | None = None
    relevant_domain: Domain | None = None
    as_of: int | None = None
    survival_years: int = SURVIVAL_YEARS
    min_cases: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain.value if self.domain else None,
                "relevant_domain": self.relevant_domain.value if self.relevant_domain else None,
                "as_of": self.as_of, "survival_years": self.survival_years,
                "min_cases": self.min_cases}


@dataclass(frozen=True)
class FactorSynthesis:
    """Factors counted by domain and outcome group, and the two ranked lists."""

    options: FactorOptions
    groups: Mapping[str, tuple[str, ...]]
    counts: tuple[FactorCount, ...]
    why_die_out: tuple[FactorFinding, ...]
    survivors_share: tuple[FactorFinding, ...]
    links: tuple[FactorLink, ...]
    not_in_mapping: tuple[PhraseKey, ...]

    @property
    def case_ids(self) -> tuple[str, ...]:
        return tuple(sorted(i for ids in self.groups.values() for i in ids))

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameters": self.options.to_dict(),
            "groups": {g: list(ids) for g, ids in self.groups.items()},
            "why_die_out": [f.to_dict() for f in self.why_die_out],
            "survivors_share": [f.to_dict() for f in self.survivors_share],
            "counts": [c.to_dict() for c in self.counts],
            "not_in_mapping": [{"case_id": c, "kind": k, "text": t}
                               for c, k, t in self.not_in_mapping],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per ranked finding (both lists), with confidence and case ids."""
        rows = [{"list": "why_die_out", "rank": i, **f.row()}
                for i, f in enumerate(self.why_die_out, start=1)]
        rows += [{"list": "survivors_share", "rank": i, **f.row()}
                 for i, f in enumerate(self.survivors_share, start=1)]
        return pd.DataFrame(rows)

    def counts_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{**c.to_dict(), "case_ids": ",".join(c.case_ids)}
                             for c in self.counts],
                            columns=["factor_id", "kind", "domain", "group", "n_cases",
                                     "case_ids"])

    def summary(self, top: int = 5) -> str:
        n = {g: len(ids) for g, ids in self.groups.items()}
        lines = [f"{sum(n.values())} cases: {n.get('survived', 0)} survived, "
                 f"{n.get('died', 0)} died out, {n.get('other', 0)} other"]
        for title, findings in (("Why innovations die out", self.why_die_out),
                                ("What the survivors share", self.survivors_share)):
            lines.append(f"{title}:")
            for i, f in enumerate(findings[:top], start=1):
                lines.append(f"  {i}. {f.label}: {f.n_cases} of {f.group_size} "
                             f"({100 * f.share:.0f}%) vs {100 * f.contrast_share:.0f}% of "
                             f"{f.contrast_group}; {f.confidence.rating.value} confidence")
        if self.not_in_mapping:
            lines.append(f"{len(self.not_in_mapping)} phrase(s) not in the reviewed mapping "
                         "were matched by rule")
        return "\n".join(lines)


# ----- the synthesis -----

def _profile(case_ids: Sequence[str], judge: tuple[int, int], links: Sequence[FactorLink],
             cases: Mapping[str, Case], relevant: Domain | None) -> EvidenceProfile:
    evidence = tuple(best_evidence(o.evidence for o in cases[c].outcomes) for c in case_ids)
    in_domain = (len(case_ids) if relevant is None
                 else sum(1 for c in case_ids if cases[c].domain is relevant))
    return EvidenceProfile(
        case_ids=tuple(case_ids), evidence=evidence, agreeing=judge[0], judgeable=judge[1],
        direct_links=sum(1 for link in links if link.method == "manual"), links=len(links),
        in_domain=in_domain)


def _findings(kind: str, focal: OutcomeGroup, contrast: OutcomeGroup,
              holders: Mapping[tuple[str, str], tuple[FactorLink, ...]],
              group_of: Mapping[str, OutcomeGroup], group_ids: Mapping[str, tuple[str, ...]],
              vocabulary: Vocabulary, cases: Mapping[str, Case],
              options: FactorOptions) -> tuple[FactorFinding, ...]:
    relevant = options.relevant_domain or options.domain
    out: list[FactorFinding] = []
    for factor in vocabulary.factors:
        links = holders.get((factor.id, kind), ())
        ids = sorted({link.case_id for link in links})
        mine = [c for c in ids if group_of[c] is focal]
        if len(mine) < max(options.min_cases, 1):
            continue
        theirs = tuple(c for c in ids if group_of[c] is contrast)
        focal_links = [link for link in links if link.case_id in set(mine)]
        confidence = assess(_profile(mine, (len(mine), len(mine) + len(theirs)), focal_links,
                                     cases, relevant))
        out.append(FactorFinding(
            factor_id=factor.id, label=factor.label, theme=factor.theme, kind=kind,
            group=focal.value, case_ids=tuple(mine), group_size=len(group_ids[focal.value]),
            contrast_group=contrast.value, contrast_case_ids=theirs,
            contrast_size=len(group_ids[contrast.value]),
            phrases=tuple((link.case_id, link.text) for link in focal_links),
            confidence=confidence))
    out.sort(key=lambda f: (-f.n_cases, -f.difference, f.factor_id))
    return tuple(out)


def synthesize_factors(cases: Iterable[Case], vocabulary: Vocabulary,
                       mapping: FactorMapping | None = None,
                       options: FactorOptions | None = None) -> FactorSynthesis:
    """Map, count and rank the success and failure factors of ``cases``."""
    opts = options or FactorOptions()
    chosen = [c for c in cases if opts.domain is None or c.domain is opts.domain]
    by_id = {c.id: c for c in chosen}
    group_of = {c.id: outcome_group(c, as_of=opts.as_of, survival_years=opts.survival_years)
                for c in chosen}
    group_ids = {g.value: tuple(sorted(i for i, cg in group_of.items() if cg is g))
                 for g in OutcomeGroup}
    links, missing = link_factors(chosen, vocabulary, mapping)

    holders: dict[tuple[str, str], list[FactorLink]] = {}
    for link in links:
        holders.setdefault((link.factor_id, link.kind), []).append(link)
    frozen = {k: tuple(v) for k, v in holders.items()}

    cells: dict[tuple[str, str, str, str], set[str]] = {}
    for link in links:
        case = by_id[link.case_id]
        key = (link.factor_id, link.kind, case.domain.value, group_of[case.id].value)
        cells.setdefault(key, set()).add(case.id)
    order = {fid: i for i, fid in enumerate(vocabulary.ids)}
    counts = tuple(FactorCount(f, k, d, g, tuple(sorted(ids)))
                   for (f, k, d, g), ids in sorted(
                       cells.items(), key=lambda kv: (order.get(kv[0][0], len(order)),
                                                      *kv[0][1:])))

    common = (frozen, group_of, group_ids, vocabulary, by_id, opts)
    return FactorSynthesis(
        options=opts, groups=group_ids, counts=counts,
        why_die_out=_findings("failure", OutcomeGroup.DIED, OutcomeGroup.SURVIVED, *common),
        survivors_share=_findings("success", OutcomeGroup.SURVIVED, OutcomeGroup.DIED,
                                  *common),
        links=links, not_in_mapping=missing)
