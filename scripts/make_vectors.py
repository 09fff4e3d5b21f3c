"""Writes tests/vectors/qr-tokens.json: QR texts with the fields they must decode to, signed
by fixed test keys (their seeds are in the file: public, for tests only). Ed25519 is
deterministic, so the texts are reproducible; tests/verifier/test_vectors.py checks both ways.

Run: .venv/bin/python scripts/make_vectors.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from verifier.cose import sign1
from verifier.keys import kid_for
from verifier.token import encode_token, token_url

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
