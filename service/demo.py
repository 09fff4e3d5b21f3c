"""Loads the demo issuers, their public keys and the demo tokens from keys-example/demo.json
(development only)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from service.db.accounts import add_issuer, add_token
from service.db.keys import insert_key
from service.db.pool import Connection
from service.domain.accounts import Role
from service.domain.kinds import IssuerKind
from service.domain.numbering import DEFAULT_PATTERN
from service.resources import demo_dir
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
        for token in data["tokens"]:
            await add_token(
                conn, token["token"], Role(token["role"]), token.get("issuer"), token["label"]
            )
    tokens: list[dict[str, Any]] = data["tokens"]
    return tokens
