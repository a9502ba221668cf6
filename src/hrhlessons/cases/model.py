"""The case record: one documented health-workforce innovation.

A :class:`Case` is immutable and carries every fact with the sources it cites. Type checks (enums,
numbers, unknown fields) are pydantic's; the rules that relate fields to each other live in
:func:`check_case`, which returns located problems instead of stopping at the first one.

Vocabulary: *sources* are numbered from 0 in the file and shown numbered from 1 to readers;
*provenance* says which sources support ``start_year``, ``end_year`` and ``status``.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Annotated, Any
from urllib.parse import unquote, urlsplit

import pycountry
from pydantic import BaseModel, ConfigDict, Field, field_validator

from hrhlessons.cases.vocab import (
    BuildingBlock,
    Condition,
    Direction,
    Domain,
    Evidence,
    Funding,
    Intervention,
    Level,
    Status,
    Trajectory,
)

#: Earliest year a case may carry. The registry is about the modern HRH era (from 1945, see
#: :data:`MODERN_ERA`), but a few sourced cadres are older (Kenya's clinical officers, 1928;
#: Mexico's medical social service, 1936): a year before 1945 is accepted and flagged, a year
#: before 1900 is refused as a typing error.
MIN_YEAR = 1900
MODERN_ERA = 1945

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")

Year = Annotated[int, Field(strict=True)]
Number = Annotated[int | float, Field(union_mode="smart")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class ScaleEntry(_Frozen):
    """A size of the innovation at a year (workers, schools, graduates ...)."""

    metric: str = Field(min_length=1)
    value: Number
    year: Year | None = None


class Measure(_Frozen):
    """One value of an outcome indicator."""

    value: Number | None
    year: Year | None = None
    unit: str | None = None


class Outcome(_Frozen):
    """A change in the health system attributed to the innovation by a source."""

    building_block: BuildingBlock
    indicator: str = Field(min_length=1)
    baseline: Measure | None = None
    followup: Measure | None = None
    direction: Direction
    evidence: Evidence
    source: int = Field(ge=0)


#: How a title the page does not show is written (SCHEMA.md, "Sources"): our description, after
#: one of these prefixes, so a reader never takes it for the page's own headline.
DESCRIPTIVE_TITLE_PREFIXES = ("[descriptive title; headline not shown] ",
                              "[descriptive title from the page address; headline not shown] ")
_DESCRIPTIVE_WORDS = re.compile(r"descriptive title|headline not shown|title not shown|untitled",
                                re.IGNORECASE)
#: A remark on what our reading did not find ("no source read gives the year...") is not a fact a
#: page can show (SCHEMA.md, opening paragraph): the gap goes in a null field.
_EVIDENCE_GAP = re.compile(
    r"\b(?:no (?:other |further )?(?:source|page)s?(?: (?:read|found|seen|in this record))?"
    r"|(?:the )?(?:other )?sources? (?:read|found|seen|in this record))"
    r"\s+(?:gives?|says?|shows?|reports?|states?|dates?|confirms?|do(?:es)? not)\b",
    re.IGNORECASE)


#: Our own words about what kind of page a source is ("(abstract)", "(table 3)", "(press
#: release)") at the end of a title that is not marked as ours: the words are not the page's
#: headline (SCHEMA.md, "Sources"). Flagged, not refused: the same words occur in names
#: (a newspaper called the Mirror, a numbered brief series).
_PAGE_KIND_NOTE = re.compile(
    r"\((?:[^()]*[\s,;])?(?:abstract|record|table|full text|summary|presentation|slides|"
    r"press release|media release|case study|excerpt|copy|mirror|reprint|thesis|preprint|"
    r"introduction|section|page|blog(?: post)?|column|editorial|letter|interview|op-ed|"
    r"commentary|overview|profile|brief|opinion|news item|statement|written (?:answer|question)|"
    r"debate|lecture|chapter|newsletter|booklet|fact sheet|nomination|speech|m[eé]moire|"
    r"republished|translation|final report|explanatory note|text|category|portfolio|entry)"
    r"(?:[\s,;][^()]*)?\)\s*$", re.IGNORECASE)


#: Authors named in brackets after a publisher ("Journal (Smith et al.)", "CHW Central (Oendari
#: and Rohde)", "Journal (Tam, Edge, Hoffman)"): a publisher is the journal, body or site that
#: issued the page, and checkers kept finding author lists the stored page does not show in
#: full (SCHEMA.md, "Sources"). "et al." is read anywhere ("Journal (Smith et al.), PMC"); a
#: bracket naming two bodies with "&" is left alone, and one person's name cannot be told from
#: a body's by its form, so it is not read. Two more forms do tell a person: a piece of writing
#: "by" someone ("(column by Alvin Dakis)"; a statement or a written answer by a minister is
#: the body speaking, so it is left alone) and names with initials ("(presentation, A. K.
#: Nazzar)", "(E. Graue, A. Ruiz)"). A list of names is read wherever its bracket sits
#: ("Medicine (Na, Lee, Kim), PMC"), two names joined by "and" only in a closing bracket, since
#: a country's name has that form too ("(Trinidad and Tobago), reposted on ...").
_NAME = r"[A-Z][\w'’-]+"
_INITIALLED = r"(?:[A-Z]\.\s?)+" + _NAME
_WRITING = (r"(?:article|chapter|column|commentary|editorial|essay|feature|letter|paper|post|"
            r"presentation|report|review|thesis)")
# A bracket whose names may follow our own note ("(article copy; ...") and precede more of it.
_OPEN, _CLOSE = r"\((?:[^()]*[;,]\s*)?", r"(?:\s*[;,][^()]*)?\)"
_AUTHORS_NOTE = re.compile("|".join((
    r"\bet al\b",
    _OPEN + r"(?:" + _NAME + r", )+" + _NAME + _CLOSE,                    # (Tam, Edge, Hoffman)
    _OPEN + _NAME + r"(?:, " + _NAME + r")*,? and " + _NAME + _CLOSE + r"\s*$",  # (Smith and Ruiz)
    r"\([^()]*\b" + _WRITING + r" by [A-Z][^()]*\)",                      # (column by A. Dakis)
    _OPEN + _INITIALLED + r"(?:, " + _INITIALLED + r")*" + _CLOSE,         # (E. Graue, A. Ruiz)
)))


# A date in an address path. htmldate reads dates out of addresses only through internal
# functions (htmldate.extractors), brings lxml and dateparser with it and knows nothing of an
# upload folder's date (which is not the page's), so this small pattern is ours; it is held to
# dated paths, DOIs, upload folders and impossible months in tests/cases/test_model.py.
_MONTH_NUMBER = r"(?:0[1-9]|1[0-2])"
_MONTH = (r"(?:" + _MONTH_NUMBER + r"|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|"
          r"june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DAY = r"(?:0[1-9]|[12]\d|3[01])"
_MONTH_DAY = _MONTH_NUMBER + _DAY
_DATED_PATH = re.compile(r"""
    /(?P<year>(?:19|20)\d\d)
    (?: /""" + _MONTH + r"""(?=/|$)                     # /2011/02/, /2010/mar/17/
      | /""" + _MONTH_DAY + r"""(?=/|$)                 # /2012/1211/ (month and day)
      | -""" + _MONTH_NUMBER + "-" + _DAY + r"""(?=\D|$)  # /2019-11-18-...
      | """ + _MONTH_DAY + r"""(?=[/-]|$)                # /20180329/, /19780315-slug
      | """ + _MONTH_DAY + r"""\d{4}\.html?$              # AllAfrica's /202501230402.html
    )""", re.IGNORECASE | re.VERBOSE)
# A story number in the query that opens with its date (University World News'
# ?story=20151022165628475, The Korea Herald's ?ud=20240320050696).
_DATED_QUERY = re.compile(r"(?:^|&)[\w.-]+=(?P<year>(?:19|20)\d\d)" + _MONTH_DAY
                          + r"\d{0,12}(?=&|$)")
_UPLOAD_FOLDER = re.compile(r"/(?:wp-content/)?(?:uploads|files|sites/default/files)/",
                            re.IGNORECASE)


def _words(text: str) -> list[str]:
    # Accents and case dropped, so "Misión" in a title matches "mision" in an address.
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", plain)


class Source(_Frozen):
    """A public document the record's facts come from."""

    title: str = Field(min_length=1)
    publisher: str | None = None
    year: Year | None = None
    url: str | None = None

    @property
    def titled_by_us(self) -> bool:
        """The page shows no headline, so the title is our description, marked as such."""
        return self.title.startswith(DESCRIPTIVE_TITLE_PREFIXES)

    @property
    def address_words_marked_as_ours(self) -> bool:
        """Marked as our description, yet its words (three or more) are a run of the page
        address's: the address marker says where they come from (SCHEMA.md, Sources)."""
        if not self.title.startswith(DESCRIPTIVE_TITLE_PREFIXES[0]) or self.url is None:
            return False
        words = _words(self.title[len(DESCRIPTIVE_TITLE_PREFIXES[0]):])
        address = _words(unquote(urlsplit(self.url).path))
        return len(words) >= 3 and any(address[i:i + len(words)] == words
                                       for i in range(len(address) - len(words) + 1))

    @property
    def address_year(self) -> int | None:
        """The year of a dated path in the page address (``/2011/02/07/``, ``/2010/mar/17/``,
        ``/2012/1211/``, ``/2019-11-18-``, ``/20180329/``, ``/19780315-slug``, a story number
        opening with its date, ``/202501230402.html`` or ``?story=20151022165628475``), which
        dates a news or blog page (SCHEMA.md, Sources); None when it has none.

        An upload folder (``/uploads/2019/05/``) dates when a file was put on the site, not the
        document, so it is not read as one.
        """
        if self.url is None:
            return None
        address = urlsplit(self.url)
        path = unquote(address.path)
        found = _DATED_PATH.search(path)
        if found is None:
            found = _DATED_QUERY.search(address.query)
        elif _UPLOAD_FOLDER.search(path[:found.start() + 1]):
            return None
        return None if found is None else int(found["year"])

    @property
    def publisher_names_authors(self) -> bool:
        """The publisher names the page's authors ("et al.", or a bracket listing names), not
        only who issued it."""
        return self.publisher is not None and _AUTHORS_NOTE.search(self.publisher) is not None

    @property
    def describes_itself(self) -> bool:
        """The title is not marked as ours yet ends in our note on the kind of page it is."""
        return not self.titled_by_us and _PAGE_KIND_NOTE.search(self.title) is not None

    @field_validator("title")
    @classmethod
    def _descriptive_title_convention(cls, value: str) -> str:
        prefix = next((p for p in DESCRIPTIVE_TITLE_PREFIXES if value.startswith(p)), None)
        if prefix is not None:
            if not value[len(prefix):].strip():
                raise ValueError("a descriptive title needs words after its prefix")
            return value
        if _DESCRIPTIVE_WORDS.search(value) or (value.startswith("[") and value.endswith("]")):
            raise ValueError("a title the page does not show starts with "
                             f"'{DESCRIPTIVE_TITLE_PREFIXES[0].strip()}' (or "
                             f"'{DESCRIPTIVE_TITLE_PREFIXES[1].strip()}' when its words come "
                             "from the page address); see SCHEMA.md")
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+\S*\Z", value):
            raise ValueError("a source url must start with http:// or https:// and hold no spaces")
        return value


class Provenance(_Frozen):
    """Which sources (0-based indices) support the start year, end year and status."""

    start_year: list[int] = Field(default_factory=list)
    end_year: list[int] = Field(default_factory=list)
    status: list[int] = Field(default_factory=list)


def _empty_conditions() -> dict[Condition, bool | None]:
    return {c: None for c in Condition}


class Case(_Frozen):
    """A health-workforce innovation and what became of it."""

    id: str
    name: str = Field(min_length=1)
    countries: list[str] = Field(min_length=1)
    level: Level
    domain: Domain
    interventions: list[Intervention] = Field(default_factory=list)
    cadres: list[str] = Field(default_factory=list)
    description: str = Field(min_length=1)
    start_year: Year | None = None
    end_year: Year | None = None
    status: Status
    status_year: Year | None = None
    trajectory: Trajectory = Trajectory.UNKNOWN
    funding: Funding = Funding.UNKNOWN
    scale: list[ScaleEntry] = Field(default_factory=list)
    conditions: dict[Condition, bool | None] = Field(default_factory=_empty_conditions)
    outcomes: list[Outcome] = Field(default_factory=list)
    success_factors: list[str] = Field(default_factory=list)
    failure_factors: list[str] = Field(default_factory=list)
    lessons: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    provenance: Provenance = Field(default_factory=Provenance)

    @field_validator("conditions", mode="before")
    @classmethod
    def _all_conditions(cls, value: Any) -> Any:
        # Conditions left out of a file are unknown, exactly as if written `null`.
        if isinstance(value, dict):
            return {**{c.value: None for c in Condition}, **value}
        if value is None:
            return {c.value: None for c in Condition}
        return value

    @field_validator("countries", mode="before")
    @classmethod
    def _upper_countries(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [v.upper() if isinstance(v, str) else v for v in value]
        return value

    # ----- derived facts, used by the store and the analyses -----

    @property
    def end_year_unknown(self) -> bool:
        """Ended, but no source gives the year it ended."""
        return self.status is Status.ENDED and self.end_year is None

    @property
    def flags(self) -> list[str]:
        """Valid but notable facts about the record, in plain words."""
        out: list[str] = []
        if self.end_year_unknown:
            out.append("ended, but no source gives the year it ended")
        if self.start_year is not None and self.start_year < MODERN_ERA:
            out.append(f"started in {self.start_year}, before {MODERN_ERA}")
        if self.status is Status.UNKNOWN:
            out.append("no source says whether it is still running")
        return out

    @property
    def review_flags(self) -> list[str]:
        """Valid but untidy things in the record file, for whoever edits it (``validate``).

        Kept apart from :attr:`flags`, which readers see on case pages and in briefs: these
        are about how the file is written, not about the programme.
        """
        out: list[str] = []
        noted = [str(i + 1) for i, s in enumerate(self.sources) if s.describes_itself]
        if noted:
            out.append(f"the title of source {', '.join(noted)} ends in what reads as a note on "
                       "the kind of page it is, not part of a headline: move the note to the "
                       "publisher, or mark the title as descriptive (SCHEMA.md, Sources)")
        from_address = [str(i + 1) for i, s in enumerate(self.sources)
                        if s.address_words_marked_as_ours]
        if from_address:
            out.append(f"the title of source {', '.join(from_address)} is marked as our "
                       "description, but its words are the page address's: mark it "
                       f"'{DESCRIPTIVE_TITLE_PREFIXES[1].strip()}' (SCHEMA.md, Sources)")
        authors = [str(i + 1) for i, s in enumerate(self.sources) if s.publisher_names_authors]
        if authors:
            out.append(f"the publisher of source {', '.join(authors)} names authors: a publisher "
                       "is the journal, body or site that issued the page; the text may name the "
                       "authors (SCHEMA.md, Sources)")
        undated = [f"{i + 1} (its address is dated {year})" for i, s in enumerate(self.sources)
                   if s.year is None and (year := s.address_year) is not None]
        if undated:
            out.append(f"no year on source {', '.join(undated)}: the year a page's address "
                       "shows is the page's year (SCHEMA.md, Sources)")
        out.extend(self._same_page_twice())
        out.extend(self._provenance_written_too_early())
        return out

    def _same_page_twice(self) -> list[str]:
        # `check_case` refuses an address listed twice; two addresses that differ only by the
        # scheme, a leading www. or a trailing slash are the same page too (page_key, as the
        # checkers match a page they reached), but sources are never removed, since provenance,
        # outcomes and the fact-check log refer to them by number, so this is a flag.
        return [f"source {i + 1} is the page source {at + 1} cites (the addresses differ only "
                "by the scheme, a leading www. or a trailing slash): a page is cited once "
                "(SCHEMA.md, Sources)"
                for i, at in cited_again(self.sources, page_key)
                if self.sources[at].url != self.sources[i].url]

    def _provenance_written_too_early(self) -> list[str]:
        # A page dated before the programme began or stopped can announce the start or the end,
        # not show it (SCHEMA.md, "Dates in the text"); spot-checks kept finding such pages
        # listed in provenance.
        checks = [("start_year", self.start_year, "began"), ("end_year", self.end_year, "stopped")]
        if self.status is Status.ENDED:
            checks.append(("status", self.end_year, "stopped"))
        out: list[str] = []
        for name, year, event in checks:
            if year is None:
                continue
            early = [str(i + 1) for i in getattr(self.provenance, name)
                     if (dated := self.sources[i].year) is not None and dated < year]
            if early:
                out.append(f"provenance.{name} lists source {', '.join(early)}, dated before the "
                           f"programme {event} ({year}): a page written before then can only "
                           "announce it (SCHEMA.md, Dates in the text)")
        return out

    @property
    def building_blocks(self) -> list[BuildingBlock]:
        seen: dict[BuildingBlock, None] = {}
        for o in self.outcomes:
            seen.setdefault(o.building_block, None)
        return list(seen)

    def condition(self, name: Condition | str) -> bool | None:
        return self.conditions.get(Condition(name))

    def source_numbers(self, field: str) -> list[int]:
        """1-based numbers of the sources that support ``field`` (as shown to readers)."""
        return [i + 1 for i in getattr(self.provenance, field)]


def current_year() -> int:
    return _dt.date.today().year


def check_case(case: Case, *, today_year: int | None = None) -> list[tuple[str, str]]:
    """Rules across fields: ``(field path, message)`` pairs, empty when the case is sound."""
    year_max = today_year if today_year is not None else current_year()
    out: list[tuple[str, str]] = []

    if not ID_PATTERN.match(case.id):
        out.append(("id", "an id is lower-case words joined by hyphens, such as "
                          "'eth-health-extension-programme'"))
    else:
        prefix = case.id.split("-", 1)[0]
        codes = {c.lower() for c in case.countries}
        if prefix != "multi" and prefix not in codes:
            out.append(("id", f"an id starts with the lower-case ISO3 code of one of its countries "
                              f"({', '.join(sorted(codes))}) or with 'multi-'; it starts with "
                              f"'{prefix}'"))

    seen: set[str] = set()
    for i, code in enumerate(case.countries):
        if pycountry.countries.get(alpha_3=code) is None:
            out.append((f"countries.{i}", f"'{code}' is not an ISO 3166-1 alpha-3 country code"))
        if code in seen:
            out.append((f"countries.{i}", f"'{code}' is listed twice"))
        seen.add(code)
    if len(set(case.interventions)) != len(case.interventions):
        out.append(("interventions", "an intervention tag is listed twice"))

    for name in ("start_year", "end_year", "status_year"):
        y = getattr(case, name)
        if y is not None and not MIN_YEAR <= y <= year_max:
            out.append((name, f"{y} is outside {MIN_YEAR}-{year_max}"))
    for i, entry in enumerate(case.scale):
        if entry.year is not None and not MIN_YEAR <= entry.year <= year_max:
            out.append((f"scale.{i}.year", f"{entry.year} is outside {MIN_YEAR}-{year_max}"))

    start, end = case.start_year, case.end_year
    if start is not None and end is not None and end < start:
        out.append(("end_year", f"the end year {case.end_year} is before the start year "
                                f"{case.start_year}"))
    if case.end_year is not None and case.status is not Status.ENDED:
        out.append(("end_year", f"an end year goes only with status 'ended'; the status is "
                                f"'{case.status.value}' (set end_year to null, or the status "
                                f"to ended)"))
    if case.status is Status.NOT_IMPLEMENTED and case.start_year is not None:
        out.append(("start_year", "a case that was never implemented has no start year "
                                  "(set it to null and say in the description when it was "
                                  "dropped)"))
    if case.status is Status.UNKNOWN and case.status_year is not None:
        out.append(("status_year", "no page can show an unknown status holding in a year: with "
                                   "status 'unknown' the status year is null (say in the "
                                   "description what the latest page reports)"))
    if case.status_year is not None:
        for name in ("start_year", "end_year"):
            y = getattr(case, name)
            if y is not None and case.status_year < y:
                out.append(("status_year", f"the status year {case.status_year} is before the "
                                           f"{name.replace('_', ' ')} {y}"))

    texts = [("description", case.description)] + [
        (f"{name}.{i}", text) for name in ("success_factors", "failure_factors", "lessons")
        for i, text in enumerate(getattr(case, name))]
    for field, text in texts:
        if (gap := _EVIDENCE_GAP.search(" ".join(text.split()))) is not None:
            out.append((field, f"'{gap.group(0)}...' remarks on what the sources do not say, "
                               "which no page can show: leave the field null and state only "
                               "what a source says (see SCHEMA.md)"))

    n = len(case.sources)
    if not any(s.url for s in case.sources):
        out.append(("sources", "at least one source needs a url a reader can follow"))
    for i, first in cited_again(case.sources, lambda url: url):
        out.append((f"sources.{i}.url", f"the same address as source {first}: cite that "
                                        f"source instead of listing it twice"))
    for i, o in enumerate(case.outcomes):
        if o.source >= n:
            out.append((f"outcomes.{i}.source", f"source {o.source} does not exist: the record "
                                                 f"has sources 0-{n - 1}"))
    for name in ("start_year", "end_year", "status"):
        for j, idx in enumerate(getattr(case.provenance, name)):
            if not 0 <= idx < n:
                out.append((f"provenance.{name}.{j}", f"source {idx} does not exist: the record "
                                                       f"has sources 0-{n - 1}"))
    # A checker who finds a year unsupported sets it to null; the sources once listed for it
    # support nothing then (a spot-check after GA left one such list behind).
    for name in ("start_year", "end_year"):
        if getattr(case, name) is None and getattr(case.provenance, name):
            out.append((f"provenance.{name}", f"lists sources for {name}, which is null: a "
                                              f"source can support only a year the record "
                                              f"states, so empty the list or state the year"))
    return out


def cited_again(sources: Iterable[Source], key: Callable[[str], str],
                ) -> Iterator[tuple[int, int]]:
    """``(i, first)`` for each source whose address, read through ``key``, an earlier source
    ``first`` already has (sources without an address are skipped)."""
    first_at: dict[str, int] = {}
    for i, source in enumerate(sources):
        if source.url is not None and (first := first_at.setdefault(key(source.url), i)) != i:
            yield i, first


def page_key(url: str) -> str:
    """One page's address as records are matched with each other: without its scheme, a
    leading ``www.`` or a trailing slash (``http://www.x.org/a/`` is ``https://x.org/a``), as
    the checkers match a page they reached to the address a record cites."""
    return url.split("://", 1)[-1].removeprefix("www.").rstrip("/")


def _year_text(year: int | None) -> str:
    return "undated" if year is None else str(year)


def cross_record_flags(cases: Iterable[Case]) -> dict[str, list[str]]:
    """Review flags, by case id, for sources whose page another record cites with another year.

    A page shows one year or none (SCHEMA.md, Sources), so the records citing it must agree;
    where they differ, at least one is wrong, though each record on its own looks right.
    Titles and publishers are not compared: our descriptive titles and notes on the kind of
    page may be worded differently and still both be right.
    """
    cited: dict[str, list[tuple[str, int, int | None]]] = {}
    for case in cases:
        for i, source in enumerate(case.sources):
            if source.url:
                cited.setdefault(page_key(source.url), []).append((case.id, i, source.year))
    out: dict[str, list[str]] = {}
    for entries in cited.values():
        for case_id, i, year in entries:
            others = [f"{other} source {j + 1}, {_year_text(y)}" for other, j, y in entries
                      if other != case_id and y != year]
            if others:
                out.setdefault(case_id, []).append(
                    f"source {i + 1} ({_year_text(year)}) is a page other records date "
                    f"otherwise ({'; '.join(others)}): give the year the page shows in each "
                    "(SCHEMA.md, Sources)")
    return out
