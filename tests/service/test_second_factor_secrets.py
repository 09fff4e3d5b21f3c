"""The staff's TOTP secrets at rest (0033_sealed_totp, service/sealing.py): sealed when
enrolled, each bound to its account and to the key file; those kept in the clear before,
sealed when the service starts with the key; without the key nothing is enrolled; a secret
the server cannot open refuses codes but not recovery codes."""

from __future__ import annotations

import os
import re
import uuid
from typing import Any

import asyncpg
import pyotp
import pytest

from service.app import create_app
from service.db import accounts as accounts_db
from service.http.state import POOL, SIGNING
from service.problems import NO_PERSONAL_ID_KEY, Problem
from service.sealing import SealError, SecondFactorSeal
from service.settings import Settings
from service.usecases import enrolment
from service.usecases.second_factor_secrets import seal_clear_secrets
from tests.staff import (
    CLERK_LOGIN,
    code_for,
    code_step,
    enrol_second_factor,
    sign_in,
    stored_second_factor,
)

CLERK = CLERK_LOGIN[0]


def test_a_sealed_secret_opens_only_for_its_account_and_under_its_key() -> None:
    secret = pyotp.random_base32()
    seal = SecondFactorSeal(os.urandom(32))
    mine, other = uuid.uuid4(), uuid.uuid4()
    stored = seal.seal(mine, secret)
    assert re.fullmatch(r"sealed1:[A-Za-z0-9_-]{91}", stored)  # what the column accepts
    assert secret not in stored
    assert seal.open(mine, stored) == secret
    assert seal.seal(mine, secret) != stored  # a fresh nonce each time
    with pytest.raises(SealError):
        seal.open(other, stored)  # copied onto another account's row
    with pytest.raises(SealError, match="another key file"):
        SecondFactorSeal(os.urandom(32)).open(mine, stored)
    flipped = "B" if stored[-2] == "A" else "A"  # the tag's bytes (the last character
    altered = stored[:-2] + flipped + stored[-1]  # also carries two unused bits)
    with pytest.raises(SealError):
        seal.open(mine, altered)
    with pytest.raises(SealError):
        seal.open(mine, "sealed1:!!")
    assert seal.open(mine, secret) == secret  # one enrolled before 0033 reads as it is
    assert seal.sealed_here(stored)
    assert not SecondFactorSeal(os.urandom(32)).sealed_here(stored)


async def test_the_column_holds_a_secret_only_in_the_clear_form_or_sealed(
    client: Any, db: asyncpg.Connection
) -> None:
    for value in ("not a secret", "sealed1:" + "A" * 90, "sealed1:" + "A" * 92):
        with pytest.raises(asyncpg.CheckViolationError):
            await db.execute(
                "UPDATE accounts SET totp_secret = $2 WHERE username = $1", CLERK, value
            )


async def test_enrolment_keeps_the_secret_sealed_and_a_sign_in_opens_it(
    client: Any, db: asyncpg.Connection
) -> None:
    form = await sign_in(client, CLERK_LOGIN)
    secret, _, _ = await enrol_second_factor(client)
    raw = await db.fetchval("SELECT totp_secret FROM accounts WHERE username = $1", CLERK)
    assert raw.startswith("sealed1:")
    assert secret not in raw
    assert await stored_second_factor(db, CLERK) == secret
    await client.post("/dang-xuat", data={"form_token": form})
    pending = await code_step(client, *CLERK_LOGIN)
    ok = await client.post(
        "/dang-nhap/ma-xac-thuc",
        data={"form_token": pending, "code": code_for(secret, ahead=1)},
        allow_redirects=False,
    )
    assert ok.headers["Location"] == "/quan-ly"


async def test_secrets_kept_in_the_clear_are_sealed_when_the_service_starts(
    client: Any, settings: Settings, aiohttp_client: Any, db: asyncpg.Connection
) -> None:
    secret = pyotp.random_base32()
    await db.execute("UPDATE accounts SET totp_secret = $2 WHERE username = $1", CLERK, secret)
    restarted = await aiohttp_client(create_app(settings))  # as after the upgrade
    raw = await db.fetchval("SELECT totp_secret FROM accounts WHERE username = $1", CLERK)
    assert raw.startswith("sealed1:")
    assert await stored_second_factor(db, CLERK) == secret
    # Once is enough: another process starting finds nothing left to seal.
    seal = restarted.app[SIGNING].keystore.second_factor_seal()
    assert await seal_clear_secrets(restarted.app[POOL], seal) == 0
    assert await db.fetchval("SELECT totp_secret FROM accounts WHERE username = $1", CLERK) == raw
    # Beside a secret sealed under another key file (the database restored beside the wrong
    # keys), nothing is sealed: once the right file is back, it would not open.
    other = await db.fetchval("SELECT id FROM accounts WHERE username <> $1 LIMIT 1", CLERK)
    elsewhere = SecondFactorSeal(os.urandom(32)).seal(other, pyotp.random_base32())
    await db.execute("UPDATE accounts SET totp_secret = $2 WHERE id = $1", other, elsewhere)
    await db.execute("UPDATE accounts SET totp_secret = $2 WHERE username = $1", CLERK, secret)
    assert await seal_clear_secrets(restarted.app[POOL], seal) == 0
    assert (
        await db.fetchval("SELECT totp_secret FROM accounts WHERE username = $1", CLERK) == secret
    )
    await db.execute("UPDATE accounts SET totp_secret = $2 WHERE username = $1", CLERK, raw)
    # And the person signs in with the codes their phone makes, as before.
    pending = await code_step(restarted, *CLERK_LOGIN)
    ok = await restarted.post(
        "/dang-nhap/ma-xac-thuc",
        data={"form_token": pending, "code": code_for(secret)},
        allow_redirects=False,
    )
    assert ok.headers["Location"] == "/quan-ly"


async def test_without_the_key_nothing_is_enrolled(client: Any, db: asyncpg.Connection) -> None:
    await sign_in(client, CLERK_LOGIN)  # the demo accounts exist once the app has started
    async with client.app[POOL].acquire() as conn:
        account_id = await conn.fetchval("SELECT id FROM accounts WHERE username = $1", CLERK)
        account = await accounts_db.get_account(conn, account_id)
    assert account is not None
    journal = await db.fetchval("SELECT count(*) FROM staff_journal")
    secret = pyotp.random_base32()
    with pytest.raises(Problem) as refused:
        await enrolment.enrol(
            client.app[POOL], account.principal(), None, secret=secret, code=code_for(secret)
        )
    assert refused.value.type == NO_PERSONAL_ID_KEY
    [error] = refused.value.errors
    assert error.loc == ("code",)  # beside the code the person typed, in Vietnamese
    assert "personal-id.key" in error.message_vi
    assert await db.fetchval("SELECT totp_secret FROM accounts WHERE username = $1", CLERK) is None
    assert await db.fetchval("SELECT count(*) FROM recovery_codes") == 0
    assert await db.fetchval("SELECT count(*) FROM staff_journal") == journal


async def test_a_secret_the_server_cannot_open_refuses_codes_but_not_recovery_codes(
    client: Any, db: asyncpg.Connection
) -> None:
    form = await sign_in(client, CLERK_LOGIN)
    secret, codes, _ = await enrol_second_factor(client)
    await client.post("/dang-xuat", data={"form_token": form})
    account_id = await db.fetchval("SELECT id FROM accounts WHERE username = $1", CLERK)
    elsewhere = SecondFactorSeal(os.urandom(32)).seal(account_id, secret)  # another key file
    await db.execute("UPDATE accounts SET totp_secret = $2 WHERE id = $1", account_id, elsewhere)
    pending = await code_step(client, *CLERK_LOGIN)
    refused = await client.post(
        "/dang-nhap/ma-xac-thuc", data={"form_token": pending, "code": code_for(secret, ahead=1)}
    )
    assert refused.status == 401
    assert "không đọc được bí mật xác thực hai bước" in await refused.text()
    recovered = await client.post(
        "/dang-nhap/ma-xac-thuc",
        data={"form_token": pending, "code": codes[0]},
        allow_redirects=False,
    )
    assert recovered.headers["Location"] == "/quan-ly"
