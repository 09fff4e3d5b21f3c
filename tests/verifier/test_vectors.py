"""The QR token vectors of tests/vectors/: each text decodes and verifies to its fields, and
encoding the fields again gives the same text, byte for byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from verifier import TrustedIssuer, TrustedKey, TrustList, kid_for
from verifier.cose import sign1
from verifier.keys import raw_public
from verifier.token import encode_token, token_from_text, token_url, verify_token
from verifier.trust_list import encode_trust_list, sign_trust_list

VECTORS = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "qr-tokens.json").read_text("utf-8")
)


def _trust() -> TrustList:
    issuer = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTORS["issuer"]["seed"]))
    root = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTORS["root_seed"]))
    key = TrustedKey(
        kid=kid_for(issuer.public_key()),
        issuer=VECTORS["issuer"]["code"],
        public_key=issuer.public_key(),
        public_raw=raw_public(issuer.public_key()),
        not_before=datetime.fromtimestamp(VECTORS["issuer"]["not_before"], UTC),
    )
    payload = encode_trust_list(
        [TrustedIssuer("SGDDT-HN", "Sở GDĐT Hà Nội", "provincial_department", None)],
        [key],
        updated_at=key.not_before,
    )
    return TrustList.from_bytes(sign_trust_list(payload, root), root_key=root.public_key())


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_vector_decodes_and_verifies(vector: dict[str, Any]) -> None:
    token = verify_token(token_from_text(vector["text"]), _trust())
    expected = dict(vector["fields"])
    expected["record_digest"] = bytes.fromhex(expected["record_digest"])
    assert dict(token.fields) == expected
    assert token.kid.hex() == VECTORS["issuer"]["kid"]


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_vector_text_is_reproduced_exactly(vector: dict[str, Any]) -> None:
    issuer = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTORS["issuer"]["seed"]))
    fields = dict(vector["fields"])
    fields["record_digest"] = bytes.fromhex(fields["record_digest"])
    token = sign1(encode_token(fields), issuer, kid_for(issuer.public_key()))
    assert token_url(token, VECTORS["public_url"]) == vector["text"]
    assert set(vector["text"]) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def test_token_text_forms() -> None:
    text = VECTORS["vectors"][0]["text"]
    token = token_from_text(text)
    encoded = text.split("/V/")[1]
    assert token_from_text(encoded) == token
    assert token_from_text(encoded.lower()) == token
    assert token_from_text("https://vanbang.example.vn/v/" + encoded.lower() + "?x=1") == token
