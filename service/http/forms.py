"""Reading posted forms and multipart parts whatever a client sends: a body aiohttp cannot
parse (a part's header with control characters, no boundary, fields that are no UTF-8, an
unknown charset) is a 400 malformed-body problem, never a server error."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import BadHttpMessage

from service import texts
from service.problems import MALFORMED_BODY, Problem

# What aiohttp raises for a form it cannot read: UnicodeDecodeError is a ValueError, as are
# a missing boundary and a broken part; LookupError is an unknown charset.
_UNREADABLE = (ValueError, LookupError, BadHttpMessage)


@contextlib.contextmanager
def readable() -> Iterator[None]:
    """Turns aiohttp's errors for a form it cannot read into the malformed-body problem."""
    try:
        yield
    except _UNREADABLE:
        raise Problem(MALFORMED_BODY, *texts.FORM_UNREADABLE) from None


async def form_fields(request: web.Request) -> dict[str, str]:
    """The posted form's text fields (files left out). Bytes that are no UTF-8 read as
    U+FFFD, as aiohttp decodes a form; a NUL is refused (PostgreSQL's text cannot hold one)."""
    with readable():
        posted = await request.post()
    return {k: text_field(v) for k, v in posted.items() if isinstance(v, str)}


def text_field(value: str) -> str:
    """A form field's text, refused when it holds a NUL."""
    if "\x00" in value:
        raise Problem(MALFORMED_BODY, *texts.NUL_IN_FORM)
    return value


async def parts(request: web.Request) -> AsyncIterator[BodyPartReader]:
    """The multipart body's parts, one by one (nested multiparts left out)."""
    with readable():
        reader = await request.multipart()
    while True:
        with readable():
            part = await reader.next()
        if part is None:
            return
        if isinstance(part, BodyPartReader):
            text_field(part.filename or "")  # filename*=UTF-8''%00 decodes to a NUL
            yield part


async def read_part(part: BodyPartReader, max_bytes: int, too_large: Problem) -> bytes:
    """A part's bytes, `too_large` raised once they pass `max_bytes`."""
    chunks: list[bytes] = []
    size = 0
    while True:
        with readable():
            chunk = await part.read_chunk(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
