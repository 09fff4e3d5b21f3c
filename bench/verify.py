"""Offline verification throughput: QR tokens checked per second on one core (base32, strict
CBOR, COSE_Sign1, trust list, key window), next to cryptography's raw Ed25519 verify loop
over the same signed bytes as the limit.

    .venv/bin/python bench/verify.py [--count 5000]
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import TrustList, verify_token  # noqa: E402
from verifier.check import check_token  # noqa: E402
from verifier.cose import parse_sign1, sig_structure  # noqa: E402
from verifier.token import token_from_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    args = parser.parse_args()
    data = json.loads((ROOT / "tests" / "vectors" / "verify-cases.json").read_text("utf-8"))
    root = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(data["root_seed"])).public_key()
    trust = TrustList.from_bytes(base64.b64decode(data["trust_list"]), root_key=root)
    text = data["cases"][0]["text"]
    token = token_from_text(text)
    message = parse_sign1(token)
    key = trust.key(message.kid)
    assert key is not None
    signed = sig_structure(message.protected, message.payload)

    started = time.perf_counter()
    for _ in range(args.count):
        key.public_key.verify(message.signature, signed)
    raw = args.count / (time.perf_counter() - started)

    started = time.perf_counter()
    for _ in range(args.count):
        verify_token(token_from_text(text), trust)
    library = args.count / (time.perf_counter() - started)

    started = time.perf_counter()
    for _ in range(args.count):
        check_token(text, trust)
    full = args.count / (time.perf_counter() - started)

    print(f"{args.count} verifications of a {len(text)}-character QR text, one core")
    print(f"raw Ed25519 verify (limit)        : {raw:8,.0f} /s")
    print(f"verify_token (text to fields)     : {library:8,.0f} /s  ({library / raw:.0%} of limit)")
    print(f"check_token (with the step result): {full:8,.0f} /s  ({full / raw:.0%} of limit)")
    print("goal: at least 50% of the limit")


if __name__ == "__main__":
    main()
