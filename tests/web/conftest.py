"""Fixtures of the web tests: the bundled registry in a SQLite file, a test client, and for
browser tests a real uvicorn server and Debian's chromium through Playwright.

The registry database is built once per session and only read by the tests (pages and API are
read-only), which keeps the whole web suite within a couple of minutes.

Browser tests skip when Playwright or chromium is missing, unless ``HRH_REQUIRE_SERVICES=1``
(as in CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from hrhlessons import registry
from hrhlessons.web.app import create_app

REQUIRE = os.environ.get("HRH_REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("HRH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@pytest.fixture(scope="session")
def web_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("web-db") / "registry.sqlite"
    engine = registry.open_database(f"sqlite:///{path}", migrate=True)
    registry.import_bundled(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _shared_clients(web_engine: Engine) -> Iterator[tuple[TestClient, TestClient]]:
    with TestClient(create_app(web_engine)) as cached, \
            TestClient(create_app(web_engine, cache=False)) as uncached:
        yield cached, uncached


@pytest.fixture
def client(_shared_clients: tuple[TestClient, TestClient]) -> TestClient:
    """A client over the session's app, with no cookie left by an earlier test."""
    c = _shared_clients[0]
    c.cookies.clear()
    return c


@pytest.fixture
def uncached_client(_shared_clients: tuple[TestClient, TestClient]) -> TestClient:
    c = _shared_clients[1]
    c.cookies.clear()
    return c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(web_engine: Engine) -> Iterator[str]:
    """The site served by uvicorn on a free loopback port, in a background thread."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(web_engine), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _missing(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"browser tests are required (HRH_REQUIRE_SERVICES=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed (pip install playwright)")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()
