"""Import in one transaction, history of re-imports, and reading back: SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine, func, select

from hrhlessons.cases.model import Case
from hrhlessons.cases.records import Batch
from hrhlessons.cases.yamlio import dump_case, parse_yaml
from hrhlessons.errors import DatabaseNotReady, InvalidInput, NotFound, Problem
from hrhlessons.store import repo
from hrhlessons.store import tables as t
from hrhlessons.store.db import make_engine
from tests.cases.test_model import GOOD
from tests.cases.test_yamlio import cases


def _batch(*texts: str) -> Batch:
    batch = Batch()
    for i, text in enumerate(texts):
        batch.extend(parse_yaml(text, file=f"f{i}.yaml"))
    return batch


def _snapshot(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(select(t.cases.c.id, t.cases.c.record, t.cases.c.version)
                            .order_by(t.cases.c.id)).all()
        hist = conn.execute(select(func.count()).select_from(t.case_history)).scalar_one()
    return [tuple(r) for r in rows] + [("history", hist)]


def test_import_then_read_back(engine: Engine, bundled_batch: Batch) -> None:
    report = repo.import_batch(engine, bundled_batch)
    assert len(report.added) == len(bundled_batch.cases)
    assert repo.count_cases(engine) == len(bundled_batch.cases)
    case = bundled_batch.cases[0]
    assert repo.get_case(engine, case.id) == case
    assert repo.all_cases(engine) == sorted(bundled_batch.cases, key=lambda c: c.id)


def test_reimport_keeps_history_and_skips_unchanged(engine: Engine) -> None:
    repo.import_batch(engine, _batch(GOOD))
    again = repo.import_batch(engine, _batch(GOOD))
    assert again.unchanged == ["mwi-test-programme"] and not again.updated
    changed = GOOD.replace("status_year: 2019", "status_year: 2021")
    report = repo.import_batch(engine, _batch(changed))
    assert report.updated == ["mwi-test-programme"]
    assert repo.get_case(engine, "mwi-test-programme").status_year == 2021
    [(version, _, old)] = repo.history(engine, "mwi-test-programme")
    assert version == 1 and old.status_year == 2019


def test_a_bad_record_writes_nothing(engine: Engine) -> None:
    repo.import_batch(engine, _batch(GOOD))
    before = _snapshot(engine)
    good_change = GOOD.replace("status_year: 2019", "status_year: 2022")
    new_good = GOOD.replace("mwi-test-programme", "mwi-new-one")
    bad = GOOD.replace("mwi-test-programme", "mwi-bad").replace("level: national", "level: x")
    batch = _batch(good_change, new_good, bad)
    assert len(batch.cases) == 2 and batch.problems
    with pytest.raises(InvalidInput) as err:
        repo.import_batch(engine, batch)
    assert err.value.problems[0].file == "f2.yaml"
    assert _snapshot(engine) == before


def test_failure_inside_the_transaction_rolls_back(engine: Engine) -> None:
    repo.import_batch(engine, _batch(GOOD))
    before = _snapshot(engine)
    batch = _batch(GOOD.replace("status_year: 2019", "status_year: 2020"),
                   GOOD.replace("mwi-test-programme", "mwi-second"))
    calls = []

    def boom(n: int) -> None:
        calls.append(n)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        repo.import_batch(engine, batch, progress=boom, chunk=1)
    assert calls == [1]
    assert _snapshot(engine) == before


def test_unknown_case_and_unmigrated_database(engine: Engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound, match="no case with id"):
        repo.get_case(engine, "nope")
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with pytest.raises(DatabaseNotReady, match="db upgrade"):
        repo.import_batch(empty, _batch(GOOD))


def test_problems_are_refused_before_the_database_is_touched(tmp_path) -> None:  # type: ignore[no-untyped-def]
    batch = Batch(problems=[Problem("x.yaml", 3, "level", "bad")])
    empty = make_engine(f"sqlite:///{tmp_path / 'never.sqlite'}")
    with pytest.raises(InvalidInput):
        repo.import_batch(empty, batch)


def test_summary_and_country_facts(engine: Engine, bundled_batch: Batch) -> None:
    repo.sync_countries(engine, {"MWI": ("Malawi", "AFR", "L"), "KEN": ("Kenya", "AFR", "LM")})
    repo.import_batch(engine, bundled_batch)
    s = repo.summary(engine)
    assert s.cases == len(bundled_batch.cases)
    assert sum(s.by_domain.values()) == s.cases
    n_mwi_ken = sum(1 for c in bundled_batch.cases if {"MWI", "KEN"} & set(c.countries))
    assert s.by_region == {"AFR": n_mwi_ken}
    ended = sum(1 for c in bundled_batch.cases
                if c.status.value in {"ended", "not_implemented"}
                or c.trajectory.value in {"contracted", "replaced"})
    assert s.ended_share == round(ended / s.cases, 4)
    counts = repo.facet_counts(engine)
    tags = Counter(i.value for c in bundled_batch.cases for i in c.interventions)
    assert counts["intervention"] == dict(sorted(tags.items()))
    assert counts["income"] == {k: v for k, v in {
        "L": sum(1 for c in bundled_batch.cases if "MWI" in c.countries),
        "LM": sum(1 for c in bundled_batch.cases if "KEN" in c.countries)}.items() if v}
    before = repo.data_stamp(engine)
    repo.import_batch(engine, _batch(GOOD))
    assert repo.data_stamp(engine) != before


# ----- property: YAML -> record -> database -> YAML is the identity -----



@pytest.fixture(scope="module")
def roundtrip_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from hrhlessons.store.db import upgrade

    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('rt') / 'rt.sqlite'}")
    upgrade(eng)
    return eng


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_yaml_database_yaml_round_trip(roundtrip_engine: Engine, case: Case) -> None:
    text = dump_case(case)
    [parsed] = parse_yaml(text, file="p.yaml").cases
    repo.import_batch(roundtrip_engine, Batch(cases=[parsed]))
    assert dump_case(repo.get_case(roundtrip_engine, case.id)) == text


def test_migration_0002_adds_facet_pair_tokens(engine: Engine, bundled_batch: Batch) -> None:
    from sqlalchemy import text

    from hrhlessons.store import db, tables
    from hrhlessons.store.search import FACET_PREFIX, PAIRED, SearchQuery, search

    repo.import_batch(engine, bundled_batch)
    query = SearchQuery(text="health", status=("active",), level=("national",), limit=500)
    expected = {h.case.id for h in search(engine, query).hits}
    assert expected
    # Put the database back as revision 0001 left it: one token per facet value, no pairs.
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT pk, facets FROM cases")).all()
        for pk, facets in rows:
            singles = " ".join(tok for tok in facets.split()
                               if not any("x" + FACET_PREFIX[f] in tok for f in PAIRED))
            conn.execute(tables.cases.update().where(tables.cases.c.pk == pk)
                         .values(facets=singles))
        if db.has_fts5(engine):
            repo._index_fts(conn, [pk for pk, _ in rows])
        conn.execute(text("UPDATE alembic_version SET version_num = '0001_initial'"))
    db._READY.discard(engine)
    assert db.upgrade(engine) == ("0001_initial", "0002_facet_pairs")
    with engine.connect() as conn:
        facets = conn.execute(text("SELECT facets FROM cases")).scalars().all()
    assert all("xfstat" in f for f in facets)
    assert {h.case.id for h in search(engine, query).hits} == expected
