"""Signed lifecycle statements, offline: each type's fields exactly, checked against the trust
list as a record is (a handover as the example)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from verifier import (
    IssuerMismatchError,
    KeyNotValidError,
    MalformedError,
    SignatureError,
    TrustedIssuer,
    TrustedKey,
    TrustList,
    UnknownKeyError,
    kid_for,
)
from verifier.cose import parse_sign1, sign1
from verifier.events import EVENT_FIELDS, EVENT_VERSION, decode_event, encode_event, verify_event
from verifier.keys import raw_public
from verifier.trust_list import encode_trust_list, sign_trust_list

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def handover(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "v": EVENT_VERSION,
        "type": "handover",
        "issuer": "SGDDT-HN",
        "serial": "HN25-012301",
        "record_digest": bytes(range(16)),
        "recipient_name": "Nguyễn Thị Ngọc Ánh",
        "relation": "holder",
        "handed_over_on": "2025-08-20",
        "handed_over_by": "Lê Thị Hoa",
        "issued_at": int((T0 + timedelta(days=10)).timestamp()),
    }
    fields.update(changes)
    return fields


class World:
    """A root and two issuers, each with a key valid from T0, and their trust list."""

    def __init__(self, not_after: datetime | None = None) -> None:
        root = Ed25519PrivateKey.generate()
        self.key = Ed25519PrivateKey.generate()
        self.other = Ed25519PrivateKey.generate()
        self.kid = kid_for(self.key.public_key())
        keys = [
            TrustedKey(
                kid=kid_for(key.public_key()),
                issuer=issuer,
                public_key=key.public_key(),
                public_raw=raw_public(key.public_key()),
                not_before=T0,
                not_after=not_after,
                compromised_since=None,
            )
            for key, issuer in ((self.key, "SGDDT-HN"), (self.other, "DHSPHN"))
        ]
        issuers = [
            TrustedIssuer("SGDDT-HN", "Sở GDĐT Hà Nội", "provincial_department", None),
            TrustedIssuer("DHSPHN", "Trường Đại học Sư phạm Hà Nội", "university", None),
        ]
        signed = sign_trust_list(encode_trust_list(issuers, keys, updated_at=T0), root)
        self.trust = TrustList.from_bytes(signed, root_key=root.public_key())

    def sign(self, key: Ed25519PrivateKey | None = None, **changes: Any) -> bytes:
        key = key or self.key
        return sign1(encode_event(handover(**changes)), key, kid_for(key.public_key()))


def test_a_handover_statement_verifies_against_the_trust_list() -> None:
    world = World()
    verified = verify_event(world.sign(), world.trust)
    assert verified.issuer == "SGDDT-HN"
    assert verified.kid == world.kid
    assert verified.issued_at == T0 + timedelta(days=10)
    assert verified.fields["recipient_name"] == "Nguyễn Thị Ngọc Ánh"
    assert verified.fields["handed_over_on"] == "2025-08-20"
    assert set(verified.fields) == EVENT_FIELDS["handover"]


def test_a_handover_carries_exactly_its_fields() -> None:
    # Never the recipient's identity document or what authorised them.
    assert not EVENT_FIELDS["handover"] & {"id_document_number", "id_document_type"}
    with pytest.raises(ValueError, match="id_document_number"):
        encode_event(handover(id_document_number="001085012345"))
    fields = handover()
    del fields["handed_over_by"]
    with pytest.raises(ValueError, match="handed_over_by"):
        encode_event(fields)
    # A statement signed with a field too many is not a handover statement.
    extra = cbor2.dumps({**handover(), "id_document_number": "001085012345"}, canonical=True)
    with pytest.raises(MalformedError):
        decode_event(extra)


def test_a_handover_statement_is_refused_when_anything_is_off() -> None:
    world = World()
    signed = world.sign()
    message = parse_sign1(signed)
    forged = cbor2.dumps(
        cbor2.CBORTag(
            18,
            [
                message.protected,
                {},
                encode_event(handover(recipient_name="Nguyễn Văn Giả")),
                message.signature,
            ],
        )
    )
    with pytest.raises(SignatureError):
        verify_event(forged, world.trust)
    # Signed by another issuer's key, or by a key the list does not hold.
    with pytest.raises(IssuerMismatchError):
        verify_event(world.sign(world.other), world.trust)
    with pytest.raises(UnknownKeyError):
        verify_event(world.sign(Ed25519PrivateKey.generate()), world.trust)
    # Recorded after the key's validity ended.
    expired = World(not_after=T0 + timedelta(days=5))
    with pytest.raises(KeyNotValidError):
        verify_event(expired.sign(), expired.trust)
