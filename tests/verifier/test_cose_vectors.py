"""The cose-wg/Examples messages of ../shared/vectors against verifier.cose: the Ed25519
COSE_Sign1 verifies and its Sig_structure is the one the example signs; everything else (an
Ed448 signature, COSE_Sign messages, every ES256 one, the broken ones) is refused, as an
EdDSA-over-Ed25519-only verifier must."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.external_vectors import files
from verifier.cose import parse_sign1, sig_structure
from verifier.errors import MalformedError, UnsupportedAlgorithmError, VerificationError

ACCEPTED = {"eddsa-sig-01.json"}  # the one Ed25519 COSE_Sign1


@pytest.mark.parametrize("path", files("cose-wg-examples"))
def test_cose_example(path: Path) -> None:
    example = json.loads(path.read_text("utf-8"))
    message = bytes.fromhex(example["output"]["cbor"])
    if path.name not in ACCEPTED:
        # Refused as it is read, before any key is looked for.
        with pytest.raises((MalformedError, UnsupportedAlgorithmError)):
            parse_sign1(message)
        return
    assert not example.get("fail")
    sign0 = example["input"]["sign0"]
    assert (sign0["key"]["crv"], sign0["alg"]) == ("Ed25519", "EdDSA")
    parsed = parse_sign1(message)
    assert parsed.kid == sign0["unprotected"]["kid"].encode()
    assert parsed.payload == example["input"]["plaintext"].encode()
    to_be_signed = bytes.fromhex(example["intermediates"]["ToBeSign_hex"])
    assert sig_structure(parsed.protected, parsed.payload) == to_be_signed
    parsed.verify(Ed25519PublicKey.from_public_bytes(bytes.fromhex(sign0["key"]["x_hex"])))
    # The same message under another key, or with a changed payload, is refused.
    with pytest.raises(VerificationError):
        parsed.verify(Ed25519PublicKey.from_public_bytes(bytes.fromhex("00" * 31 + "01")))
    bent = message.replace(b"content", b"CONTENT")
    with pytest.raises(VerificationError):
        parse_sign1(bent).verify(
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(sign0["key"]["x_hex"]))
        )
