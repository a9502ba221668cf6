"""Policy briefs: two to four pages a minister reads, for a country, a case or a synthesis.

A brief is built once as a :class:`Brief` (key messages first, then the evidence, the figures and
the numbered sources) and rendered as standalone HTML (inline CSS and SVG, no external request)
or as PDF through WeasyPrint from that same HTML.

Citations: every source a brief cites gets one number in the brief's own list, whatever case
it belongs to; a message ends with the numbers of the sources behind it and names its cases.
Reference data (WHO Global Health Observatory, World Bank) and the threshold documents are
numbered in the same list.

Builders: :func:`country_brief` (a country profile from :mod:`hrhlessons.countries.lessons` and
the innovations recorded there), :func:`case_brief` (one case, with its domain's other cases in
the same countries for context) and :func:`synthesis_brief` (a
:class:`~hrhlessons.synthesis.report.SynthesisReport`, with a few example cases per message).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from hrhlessons.cases.coverage import is_failure, outcome_group
from hrhlessons.cases.model import Case
from hrhlessons.cases.vocab import BuildingBlock
from hrhlessons.share.figures import case_timeline, inline_svg, svg_text
from hrhlessons.synthesis.report import Claim, SynthesisReport

KINDS: tuple[str, ...] = ("country", "case", "synthesis")
BRIEF_FORMATS: tuple[str, ...] = ("html", "pdf")
#: Example cases named under each message of a synthesis brief.
EXAMPLES = 3
#: Most cases a country brief lists in its table (the rest are counted).
MAX_TABLE_CASES = 14

#: Reference documents the country brief may cite (title, publisher, year, url).
GHO_SOURCE = ("Global Health Observatory: health workforce data (HWF_0001-0009, HWF_0024)",
              "World Health Organization", 2022, "https://www.who.int/data/gho")
POPULATION_SOURCE = ("Population, total (datasets/population data package)", "World Bank",
                     None, "https://github.com/datasets/population")
SDG_SOURCE = ("Global strategy on human resources for health: Workforce 2030",
              "World Health Organization", 2016, None)
WHR_SOURCE = ("The world health report 2006: working together for health",
              "World Health Organization", 2006, None)


# ----------------------------------------------------------------------------- the brief


@dataclass(frozen=True)
class BriefSource:
    n: int
    title: str
    publisher: str | None
    year: int | None
    url: str | None
    case_id: str | None = None


@dataclass(frozen=True)
class Message:
    """A sentence with the brief's numbers of its sources and the cases it names."""

    text: str
    refs: tuple[int, ...] = ()
    case_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class BriefTable:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class BriefSection:
    heading: str
    messages: tuple[Message, ...] = ()
    table: BriefTable | None = None


@dataclass(frozen=True)
class BriefFigure:
    """A figure as SVG text (drawn when the brief is built), with its caption."""

    name: str
    caption: str
    svg: str = field(repr=False)


@dataclass(frozen=True)
class Brief:
    kind: str
    title: str
    subtitle: str
    key_messages: tuple[Message, ...]
    sections: tuple[BriefSection, ...]
    figures: tuple[BriefFigure, ...]
    sources: tuple[BriefSource, ...]
    notes: tuple[str, ...] = ()

    @property
    def case_ids(self) -> tuple[str, ...]:
        ids = [i for m in self.all_messages() for i in m.case_ids]
        return tuple(dict.fromkeys(ids))

    def all_messages(self) -> tuple[Message, ...]:
        return self.key_messages + tuple(m for s in self.sections for m in s.messages)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "title": self.title, "subtitle": self.subtitle,
            "key_messages": [_message_dict(m) for m in self.key_messages],
            "sections": [{"heading": s.heading,
                          "messages": [_message_dict(m) for m in s.messages],
                          "table": None if s.table is None else asdict(s.table)}
                         for s in self.sections],
            "figures": [{"name": f.name, "caption": f.caption} for f in self.figures],
            "sources": [asdict(s) for s in self.sources],
            "notes": list(self.notes),
        }


def _message_dict(m: Message) -> dict[str, Any]:
    return {"text": m.text, "refs": list(m.refs), "case_ids": list(m.case_ids)}


class _Sources:
    """Numbers sources in the order they are first cited."""

    def __init__(self) -> None:
        self.items: list[BriefSource] = []
        self._index: dict[tuple[str | None, str, str | None], int] = {}

    def case(self, case: Case, numbers: Iterable[int]) -> tuple[int, ...]:
        """Cite the 1-based sources ``numbers`` of ``case``."""
        out = []
        for n in numbers:
            if not 0 < n <= len(case.sources):
                continue
            s = case.sources[n - 1]
            out.append(self._add(s.title, s.publisher, s.year, s.url, case.id))
        return tuple(dict.fromkeys(out))

    def ref(self, doc: tuple[str, str | None, int | None, str | None]) -> int:
        return self._add(*doc, None)

    def _add(self, title: str, publisher: str | None, year: int | None, url: str | None,
             case_id: str | None) -> int:
        key = (url, title, case_id if url is None else None)
        if key not in self._index:
            self._index[key] = len(self.items) + 1
            self.items.append(BriefSource(len(self.items) + 1, title, publisher, year, url,
                                          case_id))
        return self._index[key]


def _status_numbers(case: Case) -> tuple[int, ...]:
    """The first source behind the case's status (and end year, when it ended): enough to
    check what became of it; the case record lists the rest. Source 1 when none is named."""
    nums = [*case.source_numbers("status")[:1], *case.source_numbers("end_year")[:1]]
    return tuple(dict.fromkeys(nums)) or (1,)


def _outcome_numbers(case: Case, block: BuildingBlock | None = None) -> tuple[int, ...]:
    return tuple(sorted({o.source + 1 for o in case.outcomes
                         if block is None or o.building_block is block}))


def _about(text: str, cases: Sequence[Case], src: _Sources,
           numbers: Callable[[Case], Iterable[int]] = _status_numbers) -> Message:
    """A message naming ``cases`` and citing, for each, its sources ``numbers(case)``."""
    return Message(text, tuple(n for c in cases for n in src.case(c, numbers(c))),
                   tuple(c.id for c in cases))


def _name_with(case: Case, phrases: Sequence[str]) -> str:
    """The case's name with the first of its ``phrases`` (success or failure factors)."""
    return f"{case.name} ({phrases[0]})" if phrases else case.name


def _years(case: Case) -> str:
    start = "?" if case.start_year is None else str(case.start_year)
    if case.end_year is not None:
        return f"{start}-{case.end_year}"
    if case.status.value == "ended":
        return f"{start}-?"
    return f"{start}-" + (f" (seen {case.status_year})" if case.status_year else "")


def _fate(case: Case) -> str:
    group = outcome_group(case)
    if case.status.value == "ended":
        return f"ended in {case.end_year}" if case.end_year else "ended (year unknown)"
    if case.status.value == "active":
        year = f" in {case.status_year}" if case.status_year else ""
        return f"still running{year}" + ("" if group == "running" else f" ({group})")
    return group


def _figure(name: str, caption: str, fig: Any) -> BriefFigure:
    svg = inline_svg(svg_text(fig, name=name, text_as_paths=False), f"brief-{name}",
                     title=caption)
    fig.clear()
    return BriefFigure(name, caption, svg)


def _names(cases: Sequence[Case], limit: int = 4) -> str:
    names = [c.name for c in cases[:limit]]
    more = len(cases) - limit
    return "; ".join(names) + (f"; and {more} more" if more > 0 else "")


# ----------------------------------------------------------------------------- country


def _fmt_int(x: float | None) -> str:
    return "unknown" if x is None else f"{round(x):,}"


def country_brief(reference: Any, iso3: str, cases: Iterable[Case]) -> Brief:
    """The brief of one country: its workforce against the thresholds and what its recorded
    innovations teach. Raises :class:`~hrhlessons.errors.UnknownCountry` for an unknown code."""
    from hrhlessons.countries.countryplots import density_trend
    from hrhlessons.countries.lessons import country_profile

    all_cases = list(cases)
    profile = country_profile(reference, iso3, all_cases)
    here_ids = set(profile.case_ids)
    here = sorted((c for c in all_cases if c.id in here_ids),
                  key=lambda c: (c.start_year is None, c.start_year or 0, c.id))
    src = _Sources()
    key: list[Message] = []

    latest = profile.latest
    total = latest.doctors_nurses_midwives
    sdg = next((g for g in profile.gaps if g.name.startswith("SDG")), None)
    if total is not None and sdg is not None:
        refs: list[int] = [src.ref(GHO_SOURCE), src.ref(SDG_SOURCE)]
        years = ", ".join(map(str, sdg.density_years))
        text = (f"{profile.name} had {total:.1f} doctors, nurses and midwives per 10,000 people "
                f"({years}), {'above' if sdg.meets else 'below'} the SDG index threshold of "
                f"{sdg.threshold:g}")
        if sdg.gap is not None and sdg.gap > 0 and sdg.population is not None:
            refs.append(src.ref(POPULATION_SOURCE))
            text += (f"; reaching it would take about {_fmt_int(sdg.gap)} more at the "
                     f"{sdg.population[0]} population")
        key.append(Message(text + ".", tuple(refs)))
    else:
        key.append(Message(f"WHO reports no recent density of both doctors and nurses and "
                           f"midwives for {profile.name}, so it cannot be set against the "
                           "thresholds.", (src.ref(GHO_SOURCE),)))

    died = [c for c in here if is_failure(c)]
    running = [c for c in here if c.status.value == "active" and not is_failure(c)]
    if here:
        unknown = len(here) - len(died) - len(running)
        key.append(_about(
            f"The registry holds {len(here)} innovations in {profile.name}: {len(running)} "
            f"still running and {len(died)} that ended, never started, shrank or were "
            f"replaced" + (f"; for {unknown} no source says" if unknown else "") + ".",
            here, src))
    if running:
        best = sorted(running, key=lambda c: (-(len(c.outcomes)), c.id))[:3]
        key.append(_about("What lasted: " + "; ".join(_name_with(c, c.success_factors)
                                                      for c in best) + ".", best, src))
    if died:
        worst = died[:3]
        key.append(_about("What did not last, and why: "
                          + "; ".join(_name_with(c, c.failure_factors) for c in worst) + ".",
                          worst, src))
    sd = BuildingBlock.SERVICE_DELIVERY
    with_sd = [c for c in here if any(o.building_block is sd for o in c.outcomes)]
    if with_sd:
        improved = [c for c in with_sd if any(o.building_block is sd
                                              and o.direction.value == "improved"
                                              for o in c.outcomes)]
        key.append(_about(
            f"Service delivery: {len(improved)} of the {len(with_sd)} innovations with a "
            f"recorded service-delivery outcome improved it ({_names(improved, 3)}).",
            with_sd, src, lambda c: _outcome_numbers(c, sd)))

    sections: list[BriefSection] = []
    gap_rows = []
    for g in profile.gaps:
        gap_rows.append((g.name, f"{g.threshold:g}",
                         "unknown" if g.density is None else f"{g.density:.1f}",
                         "unknown" if g.meets is None else ("yes" if g.meets else "no"),
                         _fmt_int(g.gap) if g.gap is None or g.gap > 0 else "none"))
    workforce_msgs = [Message(m, (src.ref(GHO_SOURCE),)) for m in profile.missing[:3]]
    sections.append(BriefSection(
        "The health workforce", tuple(workforce_msgs),
        BriefTable("Doctors, nurses and midwives per 10,000 against the thresholds",
                   ("threshold", "per 10,000", "now", "met", "shortfall (people)"),
                   tuple(gap_rows))))
    if here:
        rows = []
        for c in here[:MAX_TABLE_CASES]:
            nums = src.case(c, _status_numbers(c))
            rows.append((c.name, c.domain.label, _years(c), _fate(c),
                         ", ".join(map(str, nums))))
        more = (f" ({len(here) - MAX_TABLE_CASES} more in the registry)"
                if len(here) > MAX_TABLE_CASES else "")
        lessons: list[Message] = []
        for c in here:
            if c.lessons and len(lessons) < 4:
                lessons.append(Message(c.lessons[0], src.case(c, _status_numbers(c)), (c.id,)))
        sections.append(BriefSection(
            "What the recorded innovations teach", tuple(lessons),
            BriefTable(f"Innovations recorded in {profile.name}{more}",
                       ("innovation", "domain", "years", "what became of it", "sources"),
                       tuple(rows))))
    figures = [_figure("density", f"{profile.name}: health workforce density per 10,000 "
                       "against the SDG (44.5) and WHR 2006 (22.8) thresholds.",
                       density_trend(profile))]
    if here:
        figures.append(_figure("timeline", f"Innovations recorded in {profile.name}: start to "
                               "end or last recorded year.",
                               case_timeline(here, title=f"Innovations in {profile.name}")))
    region = profile.who_region_name or profile.who_region or "WHO region unknown"
    return Brief(
        kind="country", title=f"{profile.name}: lessons from health-workforce innovations",
        subtitle=f"Country brief ({profile.iso3}, {region}); HRH Lessons registry",
        key_messages=tuple(key[:5]), sections=tuple(sections), figures=tuple(figures),
        sources=tuple(src.items), notes=tuple(profile.missing[3:]))


# ----------------------------------------------------------------------------- case


def case_brief(case: Case, cases: Iterable[Case] = ()) -> Brief:
    """The brief of one case; ``cases`` (the registry) gives the context of similar cases."""
    src = _Sources()
    status = src.case(case, _status_numbers(case))
    key = [Message(
        f"{case.name} ({', '.join(case.countries)}; {case.level.label.lower()}, "
        f"{case.domain.label.lower()}) started in "
        f"{case.start_year if case.start_year is not None else 'an unknown year'} and is "
        f"{_fate(case)}; its scale {case.trajectory.value.replace('_', ' ')}"
        + ("" if case.trajectory.value != "unknown" else " (trajectory unknown)") + ".",
        status, (case.id,))]
    blocks = sorted({o.building_block for o in case.outcomes}, key=list(BuildingBlock).index)
    for block in blocks[:2]:
        outs = [o for o in case.outcomes if o.building_block is block]
        parts = [f"{o.indicator} {o.direction.value.replace('_', ' ')} ({o.evidence.value})"
                 for o in outs[:2]]
        key.append(Message(f"{block.label}: " + "; ".join(parts) + ".",
                           src.case(case, _outcome_numbers(case, block)), (case.id,)))
    if case.success_factors:
        key.append(Message("What helped: " + "; ".join(case.success_factors[:3]) + ".",
                           status, (case.id,)))
    if case.failure_factors:
        key.append(Message("What hurt: " + "; ".join(case.failure_factors[:3]) + ".",
                           status, (case.id,)))
    if case.lessons and len(key) < 5:
        key.append(Message(f"Lesson: {case.lessons[0]}", status, (case.id,)))

    sections = [BriefSection("The innovation", (Message(case.description, status,
                                                        (case.id,)),))]
    if case.outcomes:
        rows = []
        for o in sorted(case.outcomes, key=lambda o: list(BuildingBlock).index(o.building_block)):
            values = ""
            if o.baseline and o.followup:
                values = (f"{o.baseline.value} ({o.baseline.year or '?'}) to "
                          f"{o.followup.value} ({o.followup.year or '?'}) "
                          f"{o.followup.unit or ''}").strip()
            elif o.followup:
                values = f"{o.followup.value} {o.followup.unit or ''}".strip()
            rows.append((o.building_block.label, o.indicator, values,
                         o.direction.value.replace("_", " "), o.evidence.value.replace("_", "-"),
                         ", ".join(map(str, src.case(case, (o.source + 1,))))))
        sections.append(BriefSection("Outcomes", (), BriefTable(
            "Outcomes by WHO building block (service delivery first)",
            ("building block", "indicator", "values", "direction", "evidence", "source"),
            tuple(rows))))
    lessons = tuple(Message(text, status, (case.id,)) for text in case.lessons)
    if lessons:
        sections.append(BriefSection("Lessons", lessons))
    peers = [c for c in cases if c.id != case.id and c.domain is case.domain]
    near = [c for c in peers if set(c.countries) & set(case.countries)]
    if peers:
        ended = [c for c in peers if c.status.value in ("ended", "not_implemented")]
        sections.append(BriefSection("Similar innovations", (_about(
            f"The registry holds {len(peers)} other {case.domain.label.lower()} innovations; "
            f"{len(ended)} of them ended or never started"
            + (f", and {len(near)} are in the same countries ({_names(near, 3)})" if near
               else "") + ".",
            near[:3], src),)))
    figures = [_figure("timeline", "This innovation (and others of its domain in the same "
                       "countries): start to end or last recorded year.",
                       case_timeline([case, *near[:9]], title=case.name[:70]))]
    return Brief(
        kind="case", title=case.name,
        subtitle=f"Case brief ({case.id}); HRH Lessons registry",
        key_messages=tuple(key[:5]), sections=tuple(sections), figures=tuple(figures),
        sources=tuple(src.items), notes=tuple(case.flags))


# ----------------------------------------------------------------------------- synthesis


def _claim_message(claim: Claim, cases: dict[str, Case], src: _Sources) -> Message:
    examples = list(claim.named or claim.case_ids)[:EXAMPLES]
    # one source per example keeps the list short; the report cites every source
    refs = tuple(n for i in examples if i in cases
                 for n in src.case(cases[i], claim.sources_of(i)[:1] or (1,)))
    text = claim.text
    if examples:
        names = "; ".join(cases[i].name for i in examples if i in cases)
        text += f" Examples: {names} ({len(claim.case_ids)} cases in all)."
    return Message(text, refs, tuple(examples))


def synthesis_brief(report: SynthesisReport, cases: Iterable[Case]) -> Brief:
    """The brief of a synthesis report: its key messages, then the evidence by section."""
    by_id = {c.id: c for c in cases if c.id in report.cases}
    src = _Sources()
    key = tuple(_claim_message(c, by_id, src) for c in report.key_claims())
    sections: list[BriefSection] = []
    picks = {
        "How long innovations last": [c for c in report.claims_in("survival")
                                      if c.key in ("survival.overall", "survival.excluded")
                                      or (c.key.startswith("survival.logrank.")
                                          and c.stats.get("p_value", 1) < 0.05)][:4],
        "Why innovations die out, and what survivors share":
            [c for c in report.claims_in("factors")
             if c.key.endswith((".1", ".2", ".3"))],
        "Configurations that went with lasting": list(report.claims_in("configurations"))[1:3],
        "Outcomes, service delivery first": [c for c in report.claims_in("outcomes")
                                             if c.key in ("outcomes.service_delivery",
                                                          "outcomes.survivors.service_delivery",
                                                          "outcomes.health_workforce")],
    }
    for heading, claims in picks.items():
        if claims:
            sections.append(BriefSection(heading, tuple(
                Message(c.text, (), c.named[:EXAMPLES] or c.case_ids[:EXAMPLES])
                for c in claims if c.key not in report.key_messages)))
    figures = []
    surv = report.survival
    if surv is not None:
        from hrhlessons.synthesis.survplots import plot_curves

        g = report.informative
        curves = surv.comparison(g).curves if g else (surv.overall,)
        figures.append(_figure("survival", "Share of programmes still running by years since "
                               f"start{' by ' + g.replace('_', ' ') if g else ''}; numbers "
                               "below: programmes known to be still running.",
                               plot_curves(curves, width=7.0)))
    if report.factors.why_die_out:
        from hrhlessons.synthesis.factorplots import factor_bars

        figures.append(_figure("factors", "Failure factors of programmes that died out and "
                               "success factors of survivors, against the other group (grey).",
                               factor_bars(report.factors, top=6)))
    sel = report.options.selection
    scope = ("all cases in the registry" if not sel else
             "; ".join(f"{k.replace('_', ' ')}: {', '.join(v)}" for k, v in sel))
    return Brief(
        kind="synthesis", title=report.options.title,
        subtitle=f"Synthesis brief: {scope} ({report.n_cases} cases); HRH Lessons registry",
        key_messages=key, sections=tuple(s for s in sections if s.messages),
        figures=tuple(figures), sources=tuple(src.items),
        notes=("Each message names a few example cases; the full synthesis report "
               "(hrh-lessons synthesize) lists every case behind every number.",
               *(n for n in report.notes.get("survival", ())[:1])))


# ----------------------------------------------------------------------------- rendering


def render_brief_html(brief: Brief) -> str:
    """The brief as one standalone HTML page: CSS and figures inline, no external request."""
    from hrhlessons.share.report import css, env

    return env().get_template("brief.html.j2").render(
        b=brief, css=Markup(css("brief.css")),
        svgs={f.name: Markup(f.svg) for f in brief.figures})


@dataclass(frozen=True)
class RenderedPDF:
    data: bytes
    pages: int


def render_brief_pdf(brief: Brief, *, html: str | None = None) -> RenderedPDF:
    """The brief as PDF bytes (WeasyPrint), with its page count."""
    from weasyprint import HTML

    document = HTML(string=html or render_brief_html(brief)).render()
    out = io.BytesIO()
    document.write_pdf(out)
    return RenderedPDF(out.getvalue(), len(document.pages))


def write_brief(brief: Brief, out: Path, fmt: str) -> int | None:
    """Write the brief to ``out`` as ``html`` or ``pdf``; return the PDF's page count."""
    if fmt not in BRIEF_FORMATS:
        raise ValueError(f"unknown brief format '{fmt}'; choose html or pdf")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        out.write_text(render_brief_html(brief), encoding="utf-8")
        return None
    pdf = render_brief_pdf(brief)
    out.write_bytes(pdf.data)
    return pdf.pages
