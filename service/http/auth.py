"""Bearer-token authentication: the token's hash is looked up on every request, so a revoked
token stops working at once."""

from __future__ import annotations

from aiohttp import web

from service import texts
from service.db.accounts import find_principal
from service.domain.accounts import Principal, looks_like_token
from service.http.state import POOL
from service.problems import UNAUTHENTICATED, Problem

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="vanbang"'}


async def authenticate(request: web.Request) -> Principal:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not looks_like_token(token):
        raise Problem(
            UNAUTHENTICATED,
            *texts.BEARER_MISSING,
            headers=_CHALLENGE,
        )
    async with request.app[POOL].acquire() as conn:
        principal = await find_principal(conn, token)
    if principal is None:
        raise Problem(
            UNAUTHENTICATED,
            *texts.BEARER_UNKNOWN,
            headers=_CHALLENGE,
        )
    return principal
