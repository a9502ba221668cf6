"""ETags, conditional GETs and a small cache of rendered responses.

Every successful GET answer gets a weak ETag (a hash of its body; weak because the gzip layer
may change the bytes, not the meaning). A request whose ``If-None-Match`` holds that tag gets
``304 Not Modified`` without a body: on a slow connection a page seen before costs a few
hundred bytes.

The same layer keeps the last :data:`CACHE_SIZE` rendered GET answers, keyed by path, query,
language and the registry's data stamp (:func:`hrhlessons.web.stats.data_stamp`), so a page is
rendered once per registry state, not once per visit. Country tables come from files read once
per process, so they do not need a key of their own.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

CACHE_SIZE = 512
#: Paths never stored (static files have their own ETags; docs are built at start).
UNCACHED_PREFIXES = ("/static/",)

Headers = list[tuple[bytes, bytes]]


def etag_of(body: bytes) -> str:
    return 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def _matches(header: str, tag: str) -> bool:
    wanted = tag.removeprefix("W/")
    for part in header.split(","):
        candidate = part.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


class ETagMiddleware:
    """Add ETags to GET answers, answer 304 when they match, cache rendered answers."""

    def __init__(self, app: Any, stamp: Callable[[], str] | None = None,
                 cache: bool = True, size: int = CACHE_SIZE) -> None:
        self.app = app
        self.stamp = stamp
        self.enabled = cache and stamp is not None
        self.size = size
        self._store: OrderedDict[tuple[str, ...], tuple[int, Headers, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._store.clear()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(
                UNCACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        request_headers = {k.lower(): v for k, v in scope.get("headers", [])}
        if_none_match = request_headers.get(b"if-none-match", b"").decode("latin-1")
        key: tuple[str, ...] | None = None
        if self.enabled and self.stamp is not None:
            lang = scope.get("state", {}).get("lang", "")
            key = (scope["path"], scope.get("query_string", b"").decode("latin-1"), lang,
                   self.stamp())
            with self._lock:
                hit = self._store.get(key)
                if hit is not None:
                    self._store.move_to_end(key)
            if hit is not None:
                await self._answer(send, *hit, if_none_match)
                return

        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._finish(send, start, b"".join(chunks), key, if_none_match)
            else:
                await send(message)

        await self.app(scope, receive, capture)

    async def _finish(self, send: Any, start: dict[str, Any], body: bytes,
                      key: tuple[str, ...] | None, if_none_match: str) -> None:
        status = int(start["status"])
        headers: Headers = list(start.get("headers", []))
        names = {k.lower() for k, _ in headers}
        if status == 200 and b"etag" not in names:
            headers.append((b"etag", etag_of(body).encode("latin-1")))
            if b"cache-control" not in names:
                headers.append((b"cache-control", b"public, max-age=60"))
            headers.append((b"vary", b"Accept-Language, Cookie"))
            if key is not None and b"set-cookie" not in names:
                with self._lock:
                    self._store[key] = (status, headers, body)
                    while len(self._store) > self.size:
                        self._store.popitem(last=False)
        await self._answer(send, status, headers, body, if_none_match)

    async def _answer(self, send: Any, status: int, headers: Headers, body: bytes,
                      if_none_match: str) -> None:
        tag = next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), None)
        if status == 200 and tag and if_none_match and _matches(if_none_match, tag):
            keep = [(k, v) for k, v in headers
                    if k.lower() in (b"etag", b"cache-control", b"vary", b"set-cookie")]
            await send({"type": "http.response.start", "status": 304, "headers": keep})
            await send({"type": "http.response.body", "body": b""})
            return
        fixed = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        fixed.append((b"content-length", str(len(body)).encode("latin-1")))
        await send({"type": "http.response.start", "status": status, "headers": fixed})
        await send({"type": "http.response.body", "body": body})
