"""Query parameters: one declaration parses pages and API alike."""

from __future__ import annotations

import pytest
from starlette.datastructures import QueryParams

from hrhlessons.web.params import search_params, search_query
from hrhlessons.web.problems import BadParams


def test_empty_form_fields_count_as_absent() -> None:
    q = search_query(QueryParams("q=&from_year=&to_year=&sort=name&domain=task_sharing"))
    assert q.text == "" and q.from_year is None and q.sort == "name"
    assert q.domain == ("task_sharing",)


def test_every_bad_parameter_is_named() -> None:
    with pytest.raises(BadParams) as info:
        search_query(QueryParams("limit=500&offset=-1&sort=best&region=MARS"))
    assert [p.name for p in info.value.params] == ["region", "sort", "limit", "offset"]


def test_round_trip_to_query_string() -> None:
    q = search_query(QueryParams("q=rural&status=ended&status=active&country=mwi&limit=5"))
    pairs = search_params(q, offset=10)
    assert pairs == [("q", "rural"), ("country", "MWI"), ("status", "ended"),
                     ("status", "active"), ("limit", "5"), ("offset", "10")]
