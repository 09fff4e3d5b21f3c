"""The static files of the pages (service/web/static/), from memory. The pages link each by a
name with its content hash, which browsers may keep for a year; the plain name is answered
too, revalidated by its ETag."""

from __future__ import annotations

from aiohttp import web

from service.web.assets import BY_NAME

_FOR_GOOD = "public, max-age=31536000, immutable"
_REVALIDATE = "public, no-cache"


async def static_file(request: web.Request) -> web.Response:
    asset = BY_NAME.get(request.match_info["name"])
    if asset is None:
        raise web.HTTPNotFound()
    cache = _FOR_GOOD if request.match_info["name"] != asset.name else _REVALIDATE
    headers = {"Cache-Control": cache, "ETag": f'"{asset.etag}"'}
    if any(tag.value == asset.etag for tag in request.if_none_match or ()):
        return web.Response(status=304, headers=headers)
    charset = "utf-8" if asset.content_type.startswith("text/") else None
    return web.Response(
        body=asset.body, content_type=asset.content_type, charset=charset, headers=headers
    )
