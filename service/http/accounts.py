"""The accounts API (admins, within their subtree) and who a token acts as."""

from __future__ import annotations

from aiohttp import web

from service.domain.account_views import AccountIn, Me, PasswordResetIn
from service.domain.accounts import AccountState
from service.domain.graduates import validate
from service.http.auth import authenticate
from service.http.body import read_small_json
from service.http.register import parse_id
from service.http.responses import json_response
from service.http.state import POOL
from service.usecases import accounts

_BODY = 4096


async def me(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    return json_response(
        Me(
            account_id=principal.account_id,
            username=principal.username,
            role=principal.role,
            issuer=principal.issuer_code,
            token_id=principal.token_id,
        )
    )


async def list_accounts(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    return json_response(await accounts.list_accounts(request.app[POOL], principal))


async def create_account(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    accounts.ensure_admin(principal)
    body = validate(AccountIn, await read_small_json(request, max_bytes=_BODY))
    created = await accounts.create_account(request.app[POOL], principal, body)
    return json_response(
        created,
        status=201,
        headers={"Location": f"/api/v1/accounts/{created.account.id}", "Cache-Control": "no-store"},
    )


async def get_account(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    account_id = parse_id(request.match_info["id"])
    return json_response(await accounts.get_account(request.app[POOL], principal, account_id))


async def disable(request: web.Request) -> web.Response:
    return await _set_state(request, AccountState.DISABLED)


async def enable(request: web.Request) -> web.Response:
    return await _set_state(request, AccountState.ACTIVE)


async def _set_state(request: web.Request, state: AccountState) -> web.Response:
    principal = await authenticate(request)
    account_id = parse_id(request.match_info["id"])
    return json_response(await accounts.set_state(request.app[POOL], principal, account_id, state))


async def reset_password(request: web.Request) -> web.Response:
    principal = await authenticate(request)
    accounts.ensure_admin(principal)
    account_id = parse_id(request.match_info["id"])
    raw = await read_small_json(request, max_bytes=_BODY) if request.can_read_body else {}
    body = validate(PasswordResetIn, raw)
    answer = await accounts.reset_password(request.app[POOL], principal, account_id, body)
    return json_response(answer, headers={"Cache-Control": "no-store"})
