"""The site in Debian's chromium: search, a case, a country, the projection; accessibility
checked with axe-core (vendored in tests/web/vendor); screenshots must not be blank."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_PAGES = ["/", "/cases?q=community", "/cases/eth-health-extension-programme",
             "/countries/MWI", "/countries",
             "/project?country=MWI&cadre=nurses_midwives&intake=4000&duration=3"
             "&completion=0.85&attrition=0.05&target_density=10&draws=300",
             "/synthesis", "/synthesis?domain=community_health_workers&status=ended",
             "/adapt?country=MWI", "/adapt?country=KEN&political_champion=yes&supervision=2"
             "&domain=community_health_workers&limit=3",
             "/adapt/MWI/pilot/mwi-health-surveillance-assistants?political_champion=no",
             "/synthesis/report?domain=task_sharing", "/data", "/docs", "/cases/nope",
             "/?lang=fr", "/synthesis?domain=retention_deployment&lang=fr"]


def distinct_colours(png: bytes) -> int:
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(png), format="png")
    flat = (pixels[..., :3] * 255).astype("uint8").reshape(-1, 3)
    return len({tuple(p) for p in flat[:: max(len(flat) // 200_000, 1)]})


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_search_open_case_country_and_projection(live_server: str, page: Any,
                                                 tmp_path: Path) -> None:
    page.set_default_timeout(15_000)
    page.goto(live_server + "/")
    page.fill("#home-q", "midwifery")
    page.click("form.search button")
    page.wait_for_url("**/cases?q=midwifery*")
    assert "midwifery" in page.url
    heading = page.inner_text("#results-h")
    assert "cases" in heading and "No case" not in heading
    shot = page.screenshot(full_page=False)
    (tmp_path / "search.png").write_bytes(shot)
    assert distinct_colours(shot) > 20

    page.click("ol.hits li.hit h3 a >> nth=0")
    page.wait_for_selector("#facts-h")
    assert page.locator("ol.sources li").count() >= 1
    assert page.locator("a.ref").count() >= 1
    shot = page.screenshot(full_page=True)
    (tmp_path / "case.png").write_bytes(shot)
    assert distinct_colours(shot) > 20

    page.goto(live_server + "/countries/MWI")
    assert page.inner_text("h1").startswith("Malawi")
    assert page.locator("svg.chart polyline").count() >= 2
    shot = page.screenshot(full_page=True)
    (tmp_path / "country.png").write_bytes(shot)
    assert distinct_colours(shot) > 50  # chart lines, thresholds, text

    page.goto(live_server + "/project")
    page.select_option("#f-country", "MWI")
    page.select_option("#f-cadre", "nurses_midwives")
    for name, value in (("intake", "4000"), ("duration", "3"), ("completion", "0.85"),
                        ("attrition", "0.05"), ("target_density", "10")):
        page.fill(f"#f-{name}", value)
    page.click("details summary")
    page.fill("#f-draws", "500")
    page.click("form.project button[type=submit]")
    page.wait_for_selector("#res-h")
    assert page.locator("svg.chart polygon").count() == 2  # the 80% and 95% bands
    assert page.locator("table.projection tbody tr").count() >= 10
    shot = page.screenshot(full_page=True)
    (tmp_path / "projection.png").write_bytes(shot)
    assert distinct_colours(shot) > 50
    keep = Path("/tmp/hrh-web-screenshots")
    keep.mkdir(exist_ok=True)
    for png in tmp_path.glob("*.png"):
        (keep / png.name).write_bytes(png.read_bytes())


def test_pages_work_without_javascript(live_server: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server + "/cases")
    page.click("form.facets summary:text-is('Status')")
    page.check("input[name=status][value=ended]")
    page.click("form.facets button[type=submit]")
    page.wait_for_url("**status=ended*")
    assert page.locator("li.hit").count() >= 1
    context.close()


def test_adapt_wizard_without_javascript(live_server: str, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server + "/adapt")
    page.select_option("#a-country", "MWI")
    page.click("form.adapt details summary >> nth=0")
    page.check("input[name=political_champion][value=yes]")
    page.check("input[name=domestic_financing][value=no]")
    page.click("form.adapt button[type=submit] >> nth=0")
    page.wait_for_selector("#rank-h")
    assert "political_champion=yes" in page.url and "country=MWI" in page.url
    assert page.locator("table.ranking tbody tr").count() == 10
    shot = page.screenshot(full_page=False)
    keep = Path("/tmp/hrh-web-screenshots")
    keep.mkdir(exist_ok=True)
    (keep / "adapt.png").write_bytes(shot)
    assert distinct_colours(shot) > 20
    page.click("article.ranked a.button >> nth=0")
    page.wait_for_selector("#ps-ownership")
    assert "/pilot/" in page.url and "political_champion=yes" in page.url
    (keep / "pilot.png").write_bytes(page.screenshot(full_page=False))
    context.close()


def test_phone_width_has_no_horizontal_scroll(live_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in ("/", "/cases/eth-health-extension-programme", "/countries/MWI",
                 "/synthesis?domain=community_health_workers", "/adapt?country=MWI"):
        page.goto(live_server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
    context.close()


@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_serious_accessibility_violations(live_server: str, page: Any, path: str) -> None:
    page.goto(live_server + path)
    violations = axe_violations(page)
    assert violations == [], violations
