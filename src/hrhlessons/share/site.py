"""The static site: the whole observatory as files, for offline sharing and any static host.

The pages are rendered by the web app itself (:func:`hrhlessons.web.app.create_app`, called
in-process through Starlette's test client), so the static copy and the live site cannot drift.
The app runs in *static mode* (``app.state.static``): forms that need a server (search, facet
filters, projection, adaptation wizard) say so instead, and a case list shows every matching case
on one page.

Vocabulary:

crawl
    Starting from the seed pages (home, case browser, every case, every country with cases or
    data, synthesis, data, API docs, projection and adaptation pages), every internal link a page
    holds is fetched once, breadth first. A link with a query string (``/cases?domain=...``,
    ``/synthesis?domain=...``) is its own page. Pages that need a server are fetched without
    their query (:data:`SERVER_ONLY`), and ``?lang=`` links point at the same page in that
    language's tree.
file name
    ``/`` is ``index.html``; ``/cases/x`` is ``cases/x/index.html``; a page with a query is
    ``<path>/filter-<words>-<hash>.html``; a download keeps its path (``data/cases.csv``), and a
    JSON answer without an extension gets ``.json``.
relative links
    Every internal ``href``, ``src`` and ``action`` is rewritten to the relative path of its
    file, so the site works opened from disk (``file://``) and under any folder of a host.
languages
    The first language is written at the top of the output folder, each other one under
    ``<lang>/``.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import posixpath
import re
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from sqlalchemy import Engine

#: Paths whose pages need a server to answer a query; the static copy holds them bare.
SERVER_ONLY = ("/project", "/adapt")
#: Paths never fetched: the query twins of lists (the static pages hold every row instead).
SKIPPED = ("/cases.csv", "/project.csv")
#: Most files one language may hold (a guard against a link pattern that never ends).
MAX_FILES = 5000
#: Extensions given to answers whose path has none, by media type.
EXTENSIONS = {"application/json": ".json", "application/problem+json": ".json",
              "text/csv": ".csv", "application/pdf": ".pdf", "application/zip": ".zip",
              "text/plain": ".txt"}

_LINK = re.compile(r'(?P<pre>\s(?:href|src|action)=")(?P<url>[^"]*)(?P<post>")')

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    media_type: str
    body: bytes

    @property
    def is_html(self) -> bool:
        return self.media_type == "text/html"


@dataclass
class SiteResult:
    """What :func:`build_site` wrote."""

    out: Path
    languages: tuple[str, ...]
    pages: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    broken: list[tuple[str, str, int]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.pages} pages and {self.files - self.pages} other files "
                f"({self.bytes / 1e6:.1f} MB) in {self.out}, languages "
                f"{', '.join(self.languages)}, in {self.seconds:.1f} s"
                + (f"; {len(self.broken)} broken link(s)" if self.broken else ""))


# ----- addresses and file names -------------------------------------------------------------

def normalise(url: str) -> tuple[str, str | None] | None:
    """The page a link points at, as ``path?query`` without ``lang``, and the language the link
    asks for; None for a link that is not a page of the site (external, anchor, static file)."""
    if not url.startswith("/") or url.startswith("//"):
        return None
    parts = urlsplit(url)
    path = parts.path or "/"
    if path.startswith("/static/"):
        return None
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    lang = next((v for k, v in pairs if k == "lang"), None)
    pairs = [(k, v) for k, v in pairs if k != "lang"]
    if path in SERVER_ONLY or path.startswith("/adapt/"):
        return ("/adapt" if path.startswith("/adapt/") else path), lang
    query = urlencode(pairs)
    return (path + (f"?{query}" if query else "")), lang


def file_name(url: str, media_type: str) -> str:
    """The file (relative to a language's root) that holds the answer to ``url``."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    if media_type == "text/html" and not path.endswith((".html", ".htm")):
        if parts.query:
            words = re.sub(r"[^A-Za-z0-9_]+", "-", parts.query).strip("-")[:60]
            digest = hashlib.sha1(parts.query.encode()).hexdigest()[:8]
            return posixpath.join(path, f"filter-{words}-{digest}.html")
        return posixpath.join(path, "index.html") if path else "index.html"
    stem, ext = posixpath.splitext(path)
    if not ext:
        ext = EXTENSIONS.get(media_type, ".bin")
    if parts.query:
        stem += "-" + hashlib.sha1(parts.query.encode()).hexdigest()[:8]
    return stem + ext


def relative(target: str, page: str) -> str:
    """The link from the file ``page`` to the file ``target`` (both relative to the output)."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


# ----- crawling ------------------------------------------------------------------------------

def seeds(engine: Engine) -> list[str]:
    """The pages every static site holds, whether or not a link reaches them."""
    from hrhlessons.reference import load_reference
    from hrhlessons.store import repo
    from hrhlessons.web import views

    pages = ["/", "/cases", "/countries", "/synthesis", "/data", "/docs", "/project", "/adapt"]
    pages += [f"/cases/{c.id}" for c in repo.all_cases(engine)]
    pages += [f"/countries/{row['iso3']}" for row in views.country_rows(engine, load_reference())]
    return pages


def links(body: str) -> list[str]:
    return [html_lib.unescape(m.group("url")) for m in _LINK.finditer(body)]


def crawl(client: Any, start: Iterable[str], lang: str, *, shared: Iterable[str] = (),
          progress: Progress | None = None) -> tuple[dict[str, Fetched], list[tuple[str, str,
                                                                                    int]]]:
    """Fetch ``start`` and every page they link to, in ``lang``, except the ``shared`` files (the
    downloads another language already wrote); the answers by address and the broken links
    (page, link, status)."""
    got: dict[str, Fetched] = {}
    broken: list[tuple[str, str, int]] = []
    queue: deque[tuple[str, str]] = deque()
    seen: set[str] = set(shared)
    for url in start:
        found = normalise(url)
        if found and found[0] not in seen:
            seen.add(found[0])
            queue.append((found[0], "(seed)"))
    while queue:
        url, referrer = queue.popleft()
        if len(got) >= MAX_FILES:
            raise RuntimeError(f"the static site passed {MAX_FILES} files in {lang}; a link "
                               "pattern is probably generating pages without end")
        r = client.get(url, headers={"accept-language": lang, "accept": "text/html,*/*"})
        media = r.headers.get("content-type", "").split(";")[0].strip()
        if r.status_code != 200:
            broken.append((referrer, url, r.status_code))
            continue
        got[url] = Fetched(url, r.status_code, media, r.content)
        if progress:
            progress(len(got), len(got) + len(queue), url)
        if media != "text/html":
            continue
        for link in links(r.text):
            found = normalise(link)
            if found is None or found[0] in seen or urlsplit(found[0]).path in SKIPPED:
                continue
            seen.add(found[0])
            queue.append((found[0], url))
    return got, broken


# ----- writing -------------------------------------------------------------------------------

def rewrite(body: str, page: str, names: dict[str, str], prefix: dict[str, str],
            lang: str, shared: dict[str, str] | None = None) -> str:
    """``body`` with every internal link made relative to the file ``page``; ``shared`` holds
    the downloads of the first language (one copy at the root serves every language)."""
    shared = shared or {}

    def sub(m: re.Match[str]) -> str:
        raw = html_lib.unescape(m.group("url"))
        if raw.startswith("/static/"):
            target = raw.lstrip("/").split("?")[0].split("#")[0]  # one copy, at the root
            return m.group("pre") + html_lib.escape(relative(target, page)) + m.group("post")
        found = normalise(raw)
        if found is None:
            return m.group(0)
        url, wanted = found
        to_lang = wanted if wanted in prefix else lang
        fragment = "#" + urlsplit(raw).fragment if urlsplit(raw).fragment else ""
        if url in shared:
            target = shared[url]
        else:
            name = names.get(url)
            if name is None:
                name = file_name(url, "text/html")  # not fetched: left broken, tests report it
            target = posixpath.join(prefix[to_lang], name)
        return (m.group("pre") + html_lib.escape(relative(target, page) + fragment)
                + m.group("post"))

    return _LINK.sub(sub, body)


def build_site(engine: Engine, out: Path, *, languages: Sequence[str] = ("en",),
               progress: Progress | None = None) -> SiteResult:
    """Write the static site of the registry in ``engine`` into ``out`` (see the module
    docstring); ``progress(done, known, url)`` is called after each fetch."""
    from fastapi.testclient import TestClient

    from hrhlessons.web import i18n
    from hrhlessons.web.app import create_app, static_dir

    started = time.perf_counter()
    langs = tuple(dict.fromkeys(languages)) or (i18n.DEFAULT,)
    unknown = [lang for lang in langs if lang not in i18n.available_languages()]
    if unknown:
        raise ValueError(f"no catalog for language(s) {', '.join(unknown)}; the site speaks "
                         f"{', '.join(i18n.available_languages())}")
    prefix = {lang: ("" if i == 0 else lang) for i, lang in enumerate(langs)}
    app = create_app(engine, cache=False)
    app.state.static = True
    app.state.site_languages = langs
    result = SiteResult(out, langs)
    out.mkdir(parents=True, exist_ok=True)
    start = seeds(engine)
    shared: dict[str, str] = {}
    with TestClient(app) as client:
        for lang in langs:
            got, broken = crawl(client, start, lang, shared=shared, progress=progress)
            result.broken += broken
            names = {url: file_name(url, f.media_type) for url, f in got.items()}
            if not shared:
                shared = {url: names[url] for url, f in got.items() if not f.is_html}
            for url, fetched in got.items():
                page = posixpath.join(prefix[lang], names[url])
                path = out / page
                path.parent.mkdir(parents=True, exist_ok=True)
                data = fetched.body
                if fetched.is_html:
                    data = rewrite(fetched.body.decode("utf-8"), page, names, prefix,
                                   lang, shared).encode("utf-8")
                    result.pages += 1
                path.write_bytes(data)
                result.files += 1
                result.bytes += len(data)
    assets = out / "static"
    shutil.copytree(static_dir(), assets, dirs_exist_ok=True)
    for f in assets.rglob("*"):
        if f.is_file():
            result.files += 1
            result.bytes += f.stat().st_size
    result.seconds = time.perf_counter() - started
    return result
