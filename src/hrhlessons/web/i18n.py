"""Interface languages: gettext catalogs, chosen per request.

Vocabulary:

catalog
    ``hrhlessons/locale/<lang>/LC_MESSAGES/hrhlessons.mo``, compiled from the ``.po`` beside it
    with Babel (``pybabel compile -d src/hrhlessons/locale -D hrhlessons``). The languages the
    site offers are exactly the catalogs on disk: adding Portuguese is adding ``pt/``.
language of a request
    ``?lang=xx`` if it names a catalog (and then remembered in the ``lang`` cookie), else the
    cookie, else the best match of ``Accept-Language``, else English.

Strings are marked ``_("...")`` in Python and ``{{ _("...") }}`` in templates; strings defined
at import time are marked with :func:`N_` and translated where they are shown.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from http.cookies import SimpleCookie
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from babel import Locale
from babel.support import NullTranslations, Translations

DOMAIN = "hrhlessons"
DEFAULT = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def locale_dir() -> Path:
    return Path(str(resources.files("hrhlessons") / "locale"))


@functools.cache
def available_languages(root: Path | None = None) -> tuple[str, ...]:
    """Languages with a compiled catalog under ``root``, English first, then by code."""
    base = root or locale_dir()
    found = {p.parent.parent.name for p in base.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    found.add(DEFAULT)
    return tuple(sorted(found, key=lambda code: (code != DEFAULT, code)))


@functools.cache
def translations(lang: str, root: Path | None = None) -> NullTranslations:
    if lang == DEFAULT and not (root or locale_dir()).joinpath(lang).exists():
        return NullTranslations()
    return Translations.load(str(root or locale_dir()), [lang], DOMAIN)


def language_name(lang: str) -> str:
    """The language's own name for itself (``français``), from Babel's CLDR data."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


_current: ContextVar[str] = ContextVar("hrh_lang", default=DEFAULT)


def current() -> str:
    return _current.get()


def activate(lang: str) -> None:
    _current.set(lang)


def gettext(message: str) -> str:
    return translations(_current.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ungettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def _accept(header: str, available: tuple[str, ...]) -> str | None:
    """Best language of an Accept-Language header among ``available``."""
    choices: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _sep, params = piece.partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.strip().lower().replace("_", "-").split("-")[0]
        if primary in available and q > 0:
            choices.append((-q, i, primary))
    return min(choices)[2] if choices else None


def negotiate(query: str | None, cookie: str | None, accept: str | None,
              available: tuple[str, ...]) -> str:
    for candidate in (query, cookie):
        if candidate and candidate.lower() in available:
            return candidate.lower()
    if accept:
        found = _accept(accept, available)
        if found:
            return found
    return DEFAULT


class LanguageMiddleware:
    """Choose the language of each request; remember an explicit ``?lang=`` in a cookie."""

    def __init__(self, app: Any, root: Path | None = None) -> None:
        self.app = app
        self.root = root

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        available = available_languages(self.root)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header: ignore it, do not fail the request
            cookies = SimpleCookie()
        cookie = cookies[COOKIE].value if COOKIE in cookies else None
        lang = negotiate(query, cookie, headers.get("accept-language"), available)
        scope.setdefault("state", {})["lang"] = lang
        token = _current.set(lang)
        remember = query is not None and query.lower() == lang and cookie != lang

        async def send_with_cookie(message: dict[str, Any]) -> None:
            if remember and message["type"] == "http.response.start":
                value = (f"{COOKIE}={lang}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax")
                message["headers"] = [*message.get("headers", []),
                                      (b"set-cookie", value.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_cookie)
        finally:
            _current.reset(token)
