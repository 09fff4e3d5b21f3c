"""The static files the pages link to, read once from the package and named by their content,
so that a page links a new name whenever a file changes and browsers may keep each for a year."""

from __future__ import annotations

from dataclasses import dataclass
from hashlib import sha256
from importlib.resources import files
from typing import Final

PREFIX: Final = "/static/"


@dataclass(frozen=True, slots=True)
class Asset:
    name: str  # as shipped, e.g. public.css
    body: bytes
    content_type: str
    etag: str  # the first 16 hex digits of the body's SHA-256

    @property
    def versioned_name(self) -> str:
        """public.css -> public.<etag>.css: the name the pages link, cacheable for good."""
        stem, dot, suffix = self.name.rpartition(".")
        return f"{stem}.{self.etag}{dot}{suffix}"

    @property
    def url(self) -> str:
        return PREFIX + self.versioned_name


def _load(name: str, content_type: str) -> Asset:
    body = (files("service.web") / "static" / name).read_bytes()
    return Asset(name, body, content_type, sha256(body).hexdigest()[:16])


STYLESHEET: Final = _load("public.css", "text/css")
STAFF_STYLESHEET: Final = _load("staff.css", "text/css")  # the staff pages, after public.css
# Served at both names: the versioned one for the pages, the plain one for people and proxies.
BY_NAME: Final = {n: a for a in (STYLESHEET, STAFF_STYLESHEET) for n in (a.name, a.versioned_name)}
