"""Security headers on every answer: a strict Content-Security-Policy (no script at all, style
from our own files only, no framing) and its companions on the HTML pages, nosniff on all,
and a Server header that names neither Python's nor aiohttp's version. The request
middleware (middleware.py) sets them on every answer, those of raised HTTP exceptions too."""

from __future__ import annotations

from typing import Final

from aiohttp import web

# The pages have no script, load only /static/ stylesheets, post forms to themselves; `data:`
# images for a QR code drawn inline; nothing may frame them (clickjacking a verdict).
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SERVER: Final = "vanbang"
_HTML: Final = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # frame-ancestors, for browsers that predate it
}
_EVERY: Final = {"X-Content-Type-Options": "nosniff", "Server": SERVER}


def secure(response: web.StreamResponse) -> None:
    """Sets the headers on `response` (before it is prepared: aiohttp fills in its own Server
    header only when none is set)."""
    headers = response.headers
    headers.update(_EVERY)
    if headers.get("Content-Type", "").startswith("text/html"):
        headers.update(_HTML)
