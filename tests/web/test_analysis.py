"""The synthesis page, the full report, the adaptation wizard, the pilot plan and the briefs:
numbers agree with the library and with the case search they link to, and every claim links to
its cases and their sources."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import Engine

from hrhlessons.adapt.questions import Answers, bundled_questionnaire
from hrhlessons.adapt.transfer import rank_innovations
from hrhlessons.cases.vocab import Domain
from hrhlessons.factor_data import load_mapping, load_vocabulary
from hrhlessons.reference import load_reference
from hrhlessons.store import repo
from hrhlessons.synthesis.factors import FactorOptions, synthesize_factors
from hrhlessons.web import briefs

CHW = "/synthesis?domain=community_health_workers"
PILOT_CASE = "mwi-health-surveillance-assistants"


def section(html: str, key: str) -> str:
    start = html.index(f'id="{key}"')
    end = html.find("<section", start)
    return html[start:end if end > 0 else None]


def api_total(client: TestClient, href: str) -> int:
    query = html_lib.unescape(href).split("?", 1)[1]
    return int(client.get(f"/api/v1/cases?{query}").json()["total"])


def test_home_asks_why_chw_programmes_died_out(client: TestClient) -> None:
    html = client.get("/").text
    assert f'href="{CHW}#s-die"' in html
    assert "Why did community health worker programmes die out?" in html


def test_chw_die_out_factors_match_the_library(client: TestClient, web_engine: Engine) -> None:
    html = client.get(CHW).text
    assert "<h1>Synthesis: Community health workers</h1>" in html
    die = section(html, "s-die")
    assert "Why did community health workers innovations die out?" in die
    chw = [c for c in repo.all_cases(web_engine) if c.domain is Domain.COMMUNITY_HEALTH_WORKERS]
    vocabulary = load_vocabulary()
    expected = synthesize_factors(chw, vocabulary, load_mapping(vocabulary=vocabulary),
                                  FactorOptions(relevant_domain=Domain.COMMUNITY_HEALTH_WORKERS))
    first = expected.why_die_out[0]
    row = die.split("<th scope=\"row\">")[1].split("</tr>")[0]
    assert row.startswith(str(escape(first.label)))  # the page shows text as Jinja escapes it
    assert f"{first.n_cases} of {first.group_size} (" in row
    for case_id in first.case_ids:
        assert f'href="/cases/{case_id}"' in row
    assert re.search(r'href="/cases/[a-z0-9-]+#source-\d+"', row)  # sources beside the cases
    assert first.confidence.rating.value.capitalize() in row  # the rating, with its reasons
    assert str(escape(first.confidence.components[0].reason)) in row


def test_source_links_of_claims_point_at_existing_sources(client: TestClient) -> None:
    html = client.get(CHW).text
    links = sorted(set(re.findall(r'href="/cases/([a-z0-9-]+)#source-(\d+)"', html)))
    assert len(links) > 10
    for case_id, n in links[:: max(len(links) // 8, 1)]:
        page = client.get(f"/cases/{case_id}").text
        assert f'id="source-{n}"' in page, (case_id, n)


def test_gap_map_cells_count_the_cases_they_link_to(client: TestClient) -> None:
    gaps = section(client.get(CHW).text, "s-gaps")
    cells = re.findall(r'<td class="num" style="background: #[0-9a-f]{6}"><a style="color: '
                       r'#[0-9a-f]{6}" href="([^"]+)"[^>]*>(\d+)</a>', gaps)
    assert len(cells) >= 5
    assert 'class="num gap">0<' in gaps  # an empty cell is shown as a gap
    for href, n in cells[:6]:
        assert "domain=community_health_workers" in href and "building_block=" in href
        assert api_total(client, href) == int(n), href


def test_outcomes_by_block_count_the_cases_they_link_to(client: TestClient) -> None:
    outcomes = section(client.get("/synthesis").text, "s-outcomes")
    rows = re.findall(r'<td class="num"><a href="(/cases\?building_block=[a-z_]+)">(\d+)</a>',
                      outcomes)
    assert rows and rows[0][0].endswith("service_delivery")  # service delivery first
    for href, n in rows:
        assert api_total(client, href) == int(n), href


def test_synthesis_filters_and_their_errors(client: TestClient) -> None:
    empty = client.get("/synthesis?q=zzzzqqqq")
    assert empty.status_code == 200 and "No case matches these filters." in empty.text
    bad = client.get("/synthesis?domain=astrology")
    assert bad.status_code == 422 and "<code>domain</code>" in bad.text
    html = client.get(CHW).text
    assert 'name="domain" value="community_health_workers" checked' in html
    assert re.search(r"Analyses across the \d+ cases these filters select", html)


def test_full_report_is_the_share_fragment_with_site_links(client: TestClient) -> None:
    r = client.get("/synthesis/report?domain=task_sharing")
    assert r.status_code == 200
    assert 'class="hrh-report"' in r.text
    assert re.search(r'<a class="case" href="/cases/[a-z0-9-]+">', r.text)
    assert 'href="#case-' not in r.text  # cases link to their pages, not to anchors


ANSWERS = "political_champion=yes&domestic_financing=no&supervision=2"


def test_adapt_ranks_like_the_library(client: TestClient, web_engine: Engine) -> None:
    html = client.get(f"/adapt?country=MWI&{ANSWERS}&limit=5").text
    assert "<h1>What could Malawi pilot?</h1>" in html
    ranking = rank_innovations(
        repo.all_cases(web_engine), load_reference(), "MWI",
        Answers("MWI", {"political_champion": "yes", "domestic_financing": "no"},
                {"supervision": 2}), bundled_questionnaire(), detail=5)
    table = html.split('class="ranking"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row"><a href="#i-([a-z0-9-]+)">', table)
    assert rows == [s.case_id for s in ranking.top(5)]
    best = ranking.top(1)[0]
    assert f"<strong>{best.score:.0f}</strong>" in table
    pilot = f'href="/adapt/MWI/pilot/{best.case_id}?political_champion=yes&amp;' \
            'domestic_financing=no&amp;supervision=2"'
    assert pilot in html
    assert 'value="yes" checked' in html and '<option value="2" selected>' in html


def test_adapt_form_works_for_one_domain_and_names_bad_answers(client: TestClient) -> None:
    html = client.get("/adapt?country=KEN&domain=community_health_workers&limit=3").text
    assert html.count('<article class="ranked"') == 3
    assert "Readiness gap" in html or "readiness gap" in html
    bad = client.get("/adapt?country=MWI&political_champion=maybe&nonsense=1")
    assert bad.status_code == 422
    assert "political_champion" in bad.text and "nonsense" in bad.text
    assert client.get("/adapt?country=QQQ").status_code == 422
    # The form offers the known domains only, and a domain of unknown is refused by name.
    assert 'name="domain" value="unknown"' not in html
    assert 'name="domain" value="task_sharing"' in html
    unknown = client.get("/adapt?country=MWI&domain=unknown")
    assert unknown.status_code == 422 and "domain" in unknown.text


def test_pilot_plan_page(client: TestClient) -> None:
    r = client.get(f"/adapt/MWI/pilot/{PILOT_CASE}?{ANSWERS}")
    assert r.status_code == 200
    html = r.text
    assert "Pilot and scale-up plan:" in html and "in Malawi</h1>" in html
    for title in ("Who owns it", "Financing after the pilot", "What to measure",
                  "How to scale", "Workforce projection", "Sources of the case"):
        assert title in html
    assert re.search(rf'href="/cases/{PILOT_CASE}#source-\d+"', html)
    assert f'href="/adapt?country=MWI&amp;{ANSWERS.replace("&", "&amp;")}"' in html
    assert client.get("/adapt/MWI/pilot/no-such-case").status_code == 404


needs_briefs = pytest.mark.skipif(not briefs.available(),
                                  reason="hrhlessons.share.briefs is not importable")


@needs_briefs
@pytest.mark.slow
def test_briefs_from_the_pages(client: TestClient) -> None:
    case = "eth-health-extension-programme"
    page = client.get(f"/cases/{case}").text
    assert f'href="/cases/{case}/brief.pdf">Policy brief (PDF)</a>' in page
    pdf = client.get(f"/cases/{case}/brief.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    html = client.get(f"/cases/{case}/brief.html")
    assert html.headers["content-type"].startswith("text/html") and "<html" in html.text
    assert 'href="/countries/MWI/brief.pdf"' in client.get("/countries/MWI").text
    assert client.get("/countries/MWI/brief.html").status_code == 200
    synthesis = client.get(CHW).text
    assert 'href="/synthesis/brief.pdf?domain=community_health_workers"' in synthesis
    assert client.get("/synthesis/brief.html?domain=task_sharing").status_code == 200
    assert client.get("/cases/no-such-case/brief.pdf").status_code == 404
    assert client.get(f"/cases/{case}/brief.docx").status_code == 422
