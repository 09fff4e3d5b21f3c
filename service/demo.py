"""Loads the demo issuers, their public keys and document-signing certificates, the demo
tokens and the demo accounts (one per role, their passwords in keys-example/README.md) from
keys-example/ (development only; production refuses them, see `refuse_demo_accounts`);
and, for the server and `vanbang demo`, the demo district office's diplomas and the transfer
of its register to the demo department (`load_demo_custody`, docs/custody.md)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from service.db import custody as custody_db
from service.db.accounts import (
    account_by_username,
    add_account,
    add_issuer,
    add_token,
    demo_accounts,
)
from service.db.keys import insert_key
from service.db.pool import Connection, Pool
from service.docsign.signers import load_certificates
from service.domain.accounts import Principal, Role
from service.domain.kinds import IssuerKind
from service.domain.numbering import DEFAULT_PATTERN
from service.resources import demo_dir
from service.signing import Signing
from service.usecases.credentials import hash_password, verify_password
from service.usecases.doc_certificates import publish_certificate
from verifier.keys import load_private_pem, raw_public


def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((demo_dir() / "demo.json").read_text(encoding="utf-8"))
    return data


async def load_demo(conn: Connection) -> list[dict[str, Any]]:
    """Adds what is missing of the demo data; returns the demo tokens."""
    data = demo_data()
    async with conn.transaction():
        for issuer in data["issuers"]:
            await add_issuer(
                conn,
                issuer["code"],
                issuer["name"],
                IssuerKind(issuer["kind"]),
                issuer.get("parent"),
                issuer.get("register_number_pattern", DEFAULT_PATTERN),
            )
        for key in data["keys"]:
            private = load_private_pem((demo_dir() / "keys" / f"{key['kid']}.pem").read_bytes())
            await insert_key(
                conn,
                bytes.fromhex(key["kid"]),
                key["issuer"],
                raw_public(private.public_key()),
                datetime.fromisoformat(key["not_before"]),
            )
        for issuer in data["issuers"]:
            # The demo CA chain's certificate of each issuer (keys-example/doc-signing).
            chain = demo_dir() / "doc-signing" / f"{issuer['code']}.chain.pem"
            if chain.is_file():
                leaf = load_certificates(chain.read_bytes())[0]
                await publish_certificate(conn, issuer["code"], leaf)
        for token in data["tokens"]:
            await add_token(
                conn, token["token"], Role(token["role"]), token.get("issuer"), token["label"]
            )
        for account in data["accounts"]:
            if await account_by_username(conn, account["username"]) is not None:
                continue
            await add_account(
                conn,
                username=account["username"],
                display_name=account["display_name"],
                role=Role(account["role"]),
                issuer_code=account.get("issuer"),
                password_hash=await hash_password(account["password"]),
                temporary=False,
                created_by=None,
                demo=True,
            )
    tokens: list[dict[str, Any]] = data["tokens"]
    return tokens


class DemoAccountsError(RuntimeError):
    """Production found a demo account it could be signed in to."""


async def refuse_demo_accounts(conn: Connection) -> None:
    """Raises when an active account was loaded by the demo, or has a demo account's name and
    its published password (someone made it again by hand)."""
    passwords = {a["username"]: a["password"] for a in demo_data()["accounts"]}
    for row in await demo_accounts(conn, list(passwords)):
        if row["state"] != "active":
            continue
        account = await account_by_username(conn, row["username"])
        assert account is not None
        published = passwords.get(account.username)
        if account.demo or (
            published is not None and await verify_password(account.password_hash, published)
        ):
            raise DemoAccountsError(
                f"the demo account {account.username} is active; disable it "
                f"(`vanbang account disable {account.username}`) before running in production"
            )


_OPERATOR = Principal(role=Role.ADMIN, issuer_code=None)


async def load_demo_custody(pool: Pool[Any], signing: Signing) -> None:
    """Registers each demo register's decision and records its transfer, once: a district
    office's THCS diplomas issued before 01/07/2025, whose register then passed to the
    department (Circular 13/2025). Deterministic: the same decision, serials and transfer on
    every database (only the signing moments and salts differ)."""
    from service.domain.custody import TransferIn
    from service.domain.graduates import parse_request, validate
    from service.usecases import custody, writes
    from service.usecases.registration import register_decision

    for item in demo_data().get("custody", []):
        async with pool.acquire() as conn:
            if await custody_db.chain(conn, item["issuer"]):
                continue
        await register_decision(
            pool,
            _OPERATOR,
            parse_request(item["decision"]),
            signing=signing,
            idempotency_key=f"demo-custody-register-{item['issuer']}",
        )
        request = validate(
            TransferIn,
            {
                "to": item["to"],
                "effective_on": item["effective_on"],
                "legal_basis": item["legal_basis"],
                "reason": item["reason"],
            },
        )
        code: str = item["issuer"]

        async def act(w: writes.Write, code: str = code, request: TransferIn = request) -> Any:
            return await custody.transfer(w, code, request)

        await writes.run(
            pool,
            _OPERATOR,
            act,
            signing=signing,
            idempotency_key=f"demo-custody-transfer-{code}",
            request_hash=writes.fingerprint(f"custody transfer {code}", request),
        )
