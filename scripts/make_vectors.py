"""Writes tests/vectors/qr-tokens.json: QR texts with the fields they must decode to, signed
by fixed test keys (their seeds are in the file: public, for tests only). Ed25519 is
deterministic, so the texts are reproducible; tests/verifier/test_vectors.py checks both ways.

Run: .venv/bin/python scripts/make_vectors.py
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from verifier import TrustedIssuer, TrustedKey
from verifier._cbor import canonical
from verifier.cose import parse_sign1, sig_structure, sign1
from verifier.keys import kid_for, raw_public
from verifier.token import decode_token, encode_token, token_from_text, token_url
from verifier.trust_list import encode_trust_list, sign_trust_list

OUT = Path(__file__).resolve().parent.parent / "tests" / "vectors" / "qr-tokens.json"
ROOT_SEED = hashlib.sha256(b"vanbang test vector root").digest()
ISSUER_SEED = hashlib.sha256(b"vanbang test vector issuer SGDDT-HN").digest()
PUBLIC_URL = "https://vanbang.example.vn"

CASES: list[dict[str, Any]] = [
    {
        "name": "thpt",
        "fields": {
            "v": 1,
            "issuer": "SGDDT-HN",
            "kind": "thpt",
            "serial": "HN25-012301",
            "register_number": "1/THPT-2025",
            "holder_name": "Nguyễn Thị Ngọc Ánh",
            "date_of_birth": "2007-03-12",
            "graduation_year": 2025,
            "issued_at": 1755216000,
            "place_of_birth": "Hà Nội",
            "issued_on": "2025-08-15",
            "record_digest": "00112233445566778899aabbccddeeff",
        },
    },
    {
        "name": "master with major and classification",
        "fields": {
            "v": 1,
            "issuer": "SGDDT-HN",
            "kind": "master",
            "serial": "THS-000123",
            "register_number": "123/THS-2026",
            "holder_name": "Lê Văn Đạt",
            "date_of_birth": "1995-01-01",
            "graduation_year": 2026,
            "issued_at": 1780000000,
            "major": "Quản lý giáo dục",
            "classification": "Xuất sắc",
            "issued_on": "2026-05-28",
            "record_digest": "ffeeddccbbaa99887766554433221100",
        },
    },
]


def build() -> dict[str, Any]:
    issuer = Ed25519PrivateKey.from_private_bytes(ISSUER_SEED)
    root = Ed25519PrivateKey.from_private_bytes(ROOT_SEED)
    kid = kid_for(issuer.public_key())
    vectors = []
    for case in CASES:
        fields = dict(case["fields"])
        fields["record_digest"] = bytes.fromhex(fields["record_digest"])
        token = sign1(encode_token(fields), issuer, kid)
        vectors.append(
            {"name": case["name"], "text": token_url(token, PUBLIC_URL), "fields": case["fields"]}
        )
    return {
        "about": "QR token vectors (docs/qr-format.md). The key seeds are public test keys.",
        "public_url": PUBLIC_URL,
        "root_seed": ROOT_SEED.hex(),
        "root_kid": kid_for(root.public_key()).hex(),
        "issuer": {
            "code": "SGDDT-HN",
            "seed": ISSUER_SEED.hex(),
            "kid": kid.hex(),
            "not_before": 1735689600,
        },
        "vectors": vectors,
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


CASES_OUT = OUT.with_name("verify-cases.json")


def _at(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def build_cases() -> dict[str, Any]:
    """Every way a QR code can fail, each with the step and reason it must fail with."""
    root = Ed25519PrivateKey.from_private_bytes(ROOT_SEED)
    other_root = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"another root").digest())
    keys = {
        name: Ed25519PrivateKey.from_private_bytes(hashlib.sha256(name.encode()).digest())
        for name in ("retired", "active", "compromised", "stranger")
    }
    kid = {name: kid_for(key.public_key()) for name, key in keys.items()}
    windows = {
        "retired": ("SGDDT-HN", "2025-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", None),
        "active": ("SGDDT-HN", "2026-01-01T00:00:00+00:00", None, None),
        "compromised": (
            "DHSPHN",
            "2025-01-01T00:00:00+00:00",
            "2025-09-01T00:00:00+00:00",
            "2025-06-01T00:00:00+00:00",
        ),
    }
    trusted = [
        TrustedKey(
            kid=kid[n],
            issuer=w[0],
            public_key=keys[n].public_key(),
            public_raw=raw_public(keys[n].public_key()),
            not_before=datetime.fromisoformat(w[1]),
            not_after=datetime.fromisoformat(w[2]) if w[2] else None,
            compromised_since=datetime.fromisoformat(w[3]) if w[3] else None,
        )
        for n, w in windows.items()
    ]
    issuers = [
        TrustedIssuer("SGDDT-HN", "Sở GDĐT Hà Nội", "provincial_department", None),
        TrustedIssuer("DHSPHN", "Trường Đại học Sư phạm Hà Nội", "university", None),
    ]
    payload = encode_trust_list(
        issuers, trusted, updated_at=datetime.fromisoformat("2026-01-01T00:00:00+00:00")
    )
    base = dict(CASES[0]["fields"], record_digest=bytes(16))

    def text(key: str, protected: bytes | None = None, **changes: Any) -> str:
        fields = {**base, **changes}
        if protected is None:
            token = sign1(encode_token(fields), keys[key], kid[key])
        else:
            body = encode_token(fields)
            signature = keys[key].sign(sig_structure(protected, body))
            token = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, body, signature]))
        return token_url(token, PUBLIC_URL)

    def tampered(field: str) -> str:
        token = token_from_text(text("retired"))
        message = parse_sign1(token)
        fields = decode_token(message.payload)
        value = fields[field]
        fields[field] = (
            value + 1
            if isinstance(value, int)
            else bytes([value[0] ^ 1]) + value[1:]
            if isinstance(value, bytes)
            else value[:-1] + ("X" if value[-1] != "X" else "Y")
        )
        forged = cbor2.dumps(
            cbor2.CBORTag(18, [message.protected, {}, encode_token(fields), message.signature])
        )
        return token_url(forged, PUBLIC_URL)

    valid = text("retired", issued_at=_at("2025-08-15T00:00:00+00:00"))
    cases = [
        ("valid, signed by a key since retired", valid, "genuine", None, None),
        (
            "valid, signed by the active key",
            text("active", issued_at=_at("2026-05-28T00:00:00+00:00")),
            "genuine",
            None,
            None,
        ),
        (
            "retired key used after its window",
            text("retired", issued_at=_at("2026-03-01T00:00:00+00:00")),
            "not_genuine",
            "key_trusted_at_issuance",
            "key_not_valid_at_issuance",
        ),
        (
            "key used before its window",
            text("active", issued_at=_at("2025-06-01T00:00:00+00:00")),
            "not_genuine",
            "key_trusted_at_issuance",
            "key_not_valid_at_issuance",
        ),
        (
            "compromised key, before the compromise",
            text("compromised", issuer="DHSPHN", issued_at=_at("2025-05-01T00:00:00+00:00")),
            "genuine",
            None,
            None,
        ),
        (
            "compromised key, after the compromise",
            text("compromised", issuer="DHSPHN", issued_at=_at("2025-07-01T00:00:00+00:00")),
            "not_genuine",
            "key_trusted_at_issuance",
            "key_compromised",
        ),
        ("unknown kid", text("stranger"), "not_genuine", "signature_valid", "unknown_key"),
        (
            "key of another issuer",
            text("retired", issuer="DHSPHN"),
            "not_genuine",
            "key_trusted_at_issuance",
            "issuer_mismatch",
        ),
        (
            "wrong algorithm (ES256 in the header)",
            text("retired", protected=canonical({1: -7, 4: kid["retired"]})),
            "not_genuine",
            "signature_valid",
            "unsupported_algorithm",
        ),
        ("malformed base32", valid[:-4] + "1890", "not_genuine", "token_decoded", "malformed"),
        ("truncated", valid[:-12], "not_genuine", "token_decoded", "malformed"),
        (
            "oversized",
            PUBLIC_URL.upper() + "/V/" + "A" * 5000,
            "not_genuine",
            "token_decoded",
            "malformed",
        ),
        (
            "not a token at all",
            PUBLIC_URL.upper() + "/V/MFRGG",
            "not_genuine",
            "token_decoded",
            "malformed",
        ),
    ]
    # Every field but the version: a token of an unknown version cannot be read at all.
    cases += [
        (
            f"{field} tampered",
            tampered(field),
            "not_genuine",
            "signature_valid",
            "signature_invalid",
        )
        for field in sorted(base)
        if field != "v"
    ]
    cases.append(
        ("unknown token version", tampered("v"), "not_genuine", "token_decoded", "malformed")
    )
    return {
        "about": "verify cases for vanbang-verify (docs/qr-format.md); public test keys only",
        "root_seed": ROOT_SEED.hex(),
        "trust_list": base64.b64encode(sign_trust_list(payload, root)).decode(),
        "trust_list_by_another_root": base64.b64encode(
            sign_trust_list(payload, other_root)
        ).decode(),
        "cases": [
            {"name": n, "text": t, "verdict": v, "step": s, "reason": r} for n, t, v, s, r in cases
        ],
    }


if __name__ == "__main__":
    CASES_OUT.write_text(
        json.dumps(build_cases(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {CASES_OUT}")
