"""GET /mau/danh-sach-tot-nghiep.xlsx: the template workbook of a graduate list
(service/formats/template.py), for signed-in staff; the same bytes for every download."""

from __future__ import annotations

import asyncio

from aiohttp import web

from service.formats.template import build_template
from service.formats.uploads import XLSX
from service.http import session as gate
from service.http.state import SETTINGS

PATH = "/mau/danh-sach-tot-nghiep.xlsx"
_BUILT: dict[int, bytes] = {}  # by the list's row limit, built once per process


async def download(request: web.Request) -> web.Response:
    await gate.require(request)
    max_rows = request.app[SETTINGS].max_batch_rows
    body = _BUILT.get(max_rows)
    if body is None:  # a quarter of a second of CPU: off the event loop
        loop = asyncio.get_running_loop()
        body = await loop.run_in_executor(None, lambda: build_template(max_rows=max_rows))
        _BUILT[max_rows] = body
    return web.Response(
        body=body,
        content_type=XLSX,
        headers={
            "Content-Disposition": 'attachment; filename="danh-sach-tot-nghiep.xlsx"',
            "Cache-Control": "private, max-age=3600",
        },
    )
