"""The readiness questionnaire, as data, and a country's answers to it.

Vocabulary
----------
question
    A yes / partly / no / unknown question about the target country (``data/adapt/
    questionnaire.yaml``). Questions are in sections: ``core`` (every innovation),
    ``retention`` (WHO 2010 rural-retention recommendations; retention and education
    innovations) and ``chw`` (WHO 2018 CHW guideline programme areas; CHW innovations). A
    question may name the crisp *condition* of the case records it speaks to; "yes" means the
    condition is true in the country.
component
    A component of an existing CHW programme (recruitment, training, supervision ...), scored
    1-4 in the spirit of CHW AIM: 1 nonfunctional, 2 partially functional, 3 functional, 4 highly
    functional. A score of 1 or 2 is a readiness gap (:data:`WEAK_SCORE`).
state
    An answer as a number: yes 1, partly 0.5, no 0; a component score *s* as ``(s - 1) / 3``;
    unknown is ``None``.
answers file
    YAML or JSON with the keys ``country`` (ISO3, optional), ``answers`` (question id -> yes,
    partly, no or unknown), ``chw_functionality`` (component id -> 1-4 or null), ``projection``
    (optional; cadre -> intake, duration, completion, attrition, intake_growth, target_density
    for the pilot plan's workforce projection) and ``notes`` (free text). Unknown keys and values
    outside the allowed set are refused, each named with its file, line and field.

The parsers are pure: text or data in, immutable objects out. :func:`bundled_questionnaire`
reads the questionnaire shipped inside the package (a data file of the package, like a
constant; never a user's file).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from hrhlessons.adapt.projection import CADRES
from hrhlessons.cases.vocab import Condition, Domain
from hrhlessons.errors import InvalidInput, Problem

ANSWER_STATES: dict[str, float | None] = {"yes": 1.0, "partly": 0.5, "no": 0.0, "unknown": None}
COMPONENT_SCORES: tuple[int, ...] = (1, 2, 3, 4)
WEAK_SCORE = 2
ANSWER_KEYS: tuple[str, ...] = ("country", "answers", "chw_functionality", "projection", "notes")
PROJECTION_KEYS: tuple[str, ...] = ("intake", "duration", "completion", "attrition",
                                    "intake_growth", "target_density")


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    text: str
    follows: str
    condition: Condition | None = None
    group: str | None = None


@dataclass(frozen=True)
class Component:
    id: str
    text: str
    condition: Condition | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    domains: tuple[Domain, ...]

    def applies_to(self, domain: Domain) -> bool:
        return not self.domains or domain in self.domains


@dataclass(frozen=True)
class Questionnaire:
    """Questions, CHW functionality components, sections and the documents they follow."""

    questions: tuple[Question, ...]
    components: tuple[Component, ...]
    sections: Mapping[str, Section]
    documents: Mapping[str, str]
    component_scale: Mapping[int, str]
    component_domains: tuple[Domain, ...] = (Domain.COMMUNITY_HEALTH_WORKERS,)

    @functools.cached_property
    def question_ids(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @functools.cached_property
    def component_ids(self) -> dict[str, Component]:
        return {c.id: c for c in self.components}

    def questions_for(self, domain: Domain) -> tuple[Question, ...]:
        """The questions that apply to an innovation of ``domain``."""
        return tuple(q for q in self.questions if self.sections[q.section].applies_to(domain))

    def components_for(self, domain: Domain) -> tuple[Component, ...]:
        return self.components if domain in self.component_domains else ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": dict(self.documents),
            "answer_values": list(ANSWER_STATES),
            "sections": {k: {"title": s.title, "domains": [d.value for d in s.domains]}
                         for k, s in self.sections.items()},
            "questions": [{"id": q.id, "section": q.section, "group": q.group, "text": q.text,
                           "condition": q.condition.value if q.condition else None,
                           "follows": q.follows} for q in self.questions],
            "component_scale": {str(k): v for k, v in self.component_scale.items()},
            "components": [{"id": c.id, "text": c.text,
                            "condition": c.condition.value if c.condition else None}
                           for c in self.components],
        }


def parse_questionnaire(text: str, *, file: str = "questionnaire.yaml") -> Questionnaire:
    """Read a questionnaire file's text. Raises InvalidInput with every problem."""
    data = yaml.safe_load(text) or {}
    problems: list[Problem] = []

    def bad(where: str, message: str) -> None:
        problems.append(Problem(file, None, where, message))

    documents = {str(k): str(v).strip() for k, v in (data.get("documents") or {}).items()}
    sections: dict[str, Section] = {}
    for key, s in (data.get("sections") or {}).items():
        try:
            domains = tuple(Domain(d) for d in s.get("domains") or ())
        except ValueError as exc:
            bad(f"sections.{key}.domains", str(exc))
            domains = ()
        sections[str(key)] = Section(str(key), str(s.get("title", key)), domains)

    def condition(where: str, value: Any) -> Condition | None:
        if value is None:
            return None
        try:
            return Condition(value)
        except ValueError:
            bad(where, f"'{value}' is not a condition of the case records")
            return None

    questions: list[Question] = []
    for i, q in enumerate(data.get("questions") or []):
        if q.get("section") not in sections:
            bad(f"questions.{i}.section", f"'{q.get('section')}' is not a section")
        if q.get("follows") not in documents:
            bad(f"questions.{i}.follows", f"'{q.get('follows')}' is not a listed document")
        questions.append(Question(str(q["id"]), str(q.get("section")), str(q["text"]),
                                  str(q.get("follows")),
                                  condition(f"questions.{i}.condition", q.get("condition")),
                                  q.get("group")))
    components = [Component(str(c["id"]), str(c["text"]),
                            condition(f"components.{i}.condition", c.get("condition")))
                  for i, c in enumerate(data.get("components") or [])]
    ids = [q.id for q in questions] + [c.id for c in components]
    for dup in sorted({x for x in ids if ids.count(x) > 1}):
        bad("questions", f"the id '{dup}' is used twice")
    if problems:
        raise InvalidInput(problems)
    scale = {int(k): str(v) for k, v in (data.get("component_scale") or {}).items()}
    return Questionnaire(tuple(questions), tuple(components), sections, documents, scale)


@functools.lru_cache(maxsize=1)
def bundled_questionnaire() -> Questionnaire:
    """The questionnaire shipped with HRH Lessons (``data/adapt/questionnaire.yaml``)."""
    path = resources.files("hrhlessons") / "data" / "adapt" / "questionnaire.yaml"
    return parse_questionnaire(path.read_text(encoding="utf-8"), file=str(path))


# --------------------------------------------------------------------------------------------
# Answers


@dataclass(frozen=True)
class Answers:
    """A country's answers: question id -> yes/partly/no/unknown, component id -> 1-4 or None.

    Questions left out are unknown. ``projection`` holds per-cadre projection parameters for the
    pilot plan (numbers as given)."""

    country: str | None = None
    questions: Mapping[str, str] = field(default_factory=dict)
    components: Mapping[str, int | None] = field(default_factory=dict)
    projection: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    notes: str | None = None
    source: str = "no answers"

    def answer(self, question_id: str) -> str:
        return self.questions.get(question_id, "unknown")

    def question_state(self, question_id: str) -> float | None:
        return ANSWER_STATES[self.answer(question_id)]

    def component_state(self, component_id: str) -> float | None:
        score = self.components.get(component_id)
        return None if score is None else (score - 1) / 3

    @property
    def answered(self) -> int:
        return sum(1 for v in self.questions.values() if v != "unknown") + sum(
            1 for v in self.components.values() if v is not None)

    def to_dict(self) -> dict[str, Any]:
        return {"country": self.country, "answers": dict(self.questions),
                "chw_functionality": dict(self.components),
                "projection": {k: dict(v) for k, v in self.projection.items()},
                "notes": self.notes, "source": self.source}


def _lines(text: str) -> dict[tuple[str, ...], int]:
    """1-based line of every mapping key, by its path (best effort; empty if not YAML)."""
    out: dict[tuple[str, ...], int] = {}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return out

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                p = (*path, str(key.value))
                out[p] = key.start_mark.line + 1
                walk(value, p)

    walk(root, ())
    return out


def _answer_value(value: Any) -> str | None:
    # YAML 1.1 reads a bare yes/no as a boolean; accept it as the word it was.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "unknown"
    if isinstance(value, str) and value.strip().lower() in ANSWER_STATES:
        return value.strip().lower()
    return None


def parse_answers(text: str, questionnaire: Questionnaire, *, file: str = "answers",
                  expected_country: str | None = None) -> Answers:
    """Read an answers file (YAML or JSON text). Raises InvalidInput naming every problem:
    unknown keys, unknown question or component ids, answers outside yes/partly/no/unknown,
    scores outside 1-4, a ``country`` other than ``expected_country``."""
    problems: list[Problem] = []
    lines = _lines(text)

    def bad(path: tuple[str, ...], message: str) -> None:
        problems.append(Problem(file, lines.get(path), ".".join(path), message))

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InvalidInput([Problem(file, None if mark is None else mark.line + 1, "",
                                    f"not valid YAML or JSON: {getattr(exc, 'problem', exc)}")]
                           ) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidInput([Problem(file, 1, "", "an answers file is a mapping with the keys "
                                                 + ", ".join(ANSWER_KEYS))])
    for key in data:
        if key not in ANSWER_KEYS:
            bad((str(key),), f"'{key}' is not a key of an answers file; use "
                             + ", ".join(ANSWER_KEYS))
    country = data.get("country")
    if country is not None:
        country = str(country).strip().upper()
        if expected_country is not None and country != expected_country.strip().upper():
            bad(("country",), f"the answers are for '{country}', not for "
                              f"'{expected_country.upper()}'; use the answers of that country "
                              "or remove the 'country' key")

    questions: dict[str, str] = {}
    raw = data.get("answers") or {}
    if not isinstance(raw, dict):
        bad(("answers",), "'answers' is a mapping of question id to yes, partly, no or unknown")
        raw = {}
    for key, value in raw.items():
        qid = str(key)
        if qid not in questionnaire.question_ids:
            bad(("answers", qid), f"'{qid}' is not a question id; 'hrh-lessons adapt "
                                  "--questions' lists them")
            continue
        word = _answer_value(value)
        if word is None:
            bad(("answers", qid), f"'{value}' is not an answer; use yes, partly, no or unknown")
            continue
        questions[qid] = word

    components: dict[str, int | None] = {}
    raw = data.get("chw_functionality") or {}
    if not isinstance(raw, dict):
        bad(("chw_functionality",), "'chw_functionality' is a mapping of component id to a "
                                    "score 1-4")
        raw = {}
    for key, value in raw.items():
        cid = str(key)
        if cid not in questionnaire.component_ids:
            bad(("chw_functionality", cid), f"'{cid}' is not a CHW programme component; use "
                + ", ".join(questionnaire.component_ids))
            continue
        if value is None or (isinstance(value, str) and value.strip().lower() == "unknown"):
            components[cid] = None
        elif isinstance(value, int) and not isinstance(value, bool) and value in COMPONENT_SCORES:
            components[cid] = value
        else:
            bad(("chw_functionality", cid), f"'{value}' is not a score; use 1 (nonfunctional), "
                                            "2, 3 or 4 (highly functional), or null")

    projection: dict[str, dict[str, float]] = {}
    raw = data.get("projection") or {}
    if not isinstance(raw, dict):
        bad(("projection",), "'projection' is a mapping of cadre to its parameters")
        raw = {}
    for cadre, params in raw.items():
        if cadre not in CADRES:
            bad(("projection", str(cadre)), f"'{cadre}' is not a cadre; use "
                                            + ", ".join(CADRES))
            continue
        if not isinstance(params, dict):
            bad(("projection", cadre), "give the parameters as a mapping, e.g. "
                                       "{intake: 500, duration: 3}")
            continue
        values: dict[str, float] = {}
        for name, value in params.items():
            if name not in PROJECTION_KEYS:
                bad(("projection", cadre, str(name)), f"'{name}' is not a projection parameter; "
                    "use " + ", ".join(PROJECTION_KEYS))
            elif isinstance(value, bool) or not isinstance(value, int | float):
                bad(("projection", cadre, str(name)), f"'{value}' is not a number")
            elif name == "duration" and (not float(value).is_integer() or value < 0):
                bad(("projection", cadre, name), f"duration is whole years, 0 or more; "
                                                 f"got {value}")
            else:
                values[str(name)] = float(value)
        projection[cadre] = values
    notes = data.get("notes")
    if problems:
        raise InvalidInput(problems)
    return Answers(country, questions, components, projection,
                   None if notes is None else str(notes), file)
