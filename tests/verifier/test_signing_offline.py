"""COSE_Sign1, deterministic CBOR, signed records and the trust list, all offline."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cwt import COSE, COSEKey, VerifyError
from cwt.cose_key_interface import COSEKeyInterface

from verifier import (
    IssuerMismatchError,
    KeyCompromisedError,
    KeyNotValidError,
    MalformedError,
    SignatureError,
    TrustedIssuer,
    TrustedKey,
    TrustList,
    TrustListError,
    UnknownKeyError,
    UnsupportedAlgorithmError,
    VerificationError,
    kid_for,
    verify_record,
)
from verifier._cbor import canonical
from verifier.cose import parse_sign1, sig_structure, sign1
from verifier.keys import public_pem, raw_public
from verifier.record import encode_record
from verifier.trust_list import encode_trust_list, sign_trust_list

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def record(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "v": 1,
        "issuer": "SGDDT-HN",
        "kind": "thpt",
        "regulation": "TT21/2019",
        "serial": "HN25-012301",
        "register_number": "1/THPT-2025",
        "holder_name": "Nguyễn Thị Ngọc Ánh",
        "date_of_birth": "2007-03-12",
        "place_of_birth": "Hà Nội",
        "gender": "female",
        "graduation_year": 2025,
        "place_of_issue": "Hà Nội",
        "issued_on": "2025-08-15",
        "signer_name": "Phạm Thị Thu Hằng",
        "signer_title": "Phó Giám đốc",
        "signer_on_behalf_of": "Giám đốc",
        "mode_of_study": "Giáo dục phổ thông",
        "salt": bytes(range(16)),
        "issued_at": int((T0 + timedelta(days=10)).timestamp()),
    }
    fields.update(changes)
    return fields


class World:
    """A root, one issuer with a key valid from T0, and its trust list."""

    def __init__(self, **window: datetime | None) -> None:
        self.root = Ed25519PrivateKey.generate()
        self.key = Ed25519PrivateKey.generate()
        self.kid = kid_for(self.key.public_key())
        self.trusted_key = TrustedKey(
            kid=self.kid,
            issuer="SGDDT-HN",
            public_key=self.key.public_key(),
            public_raw=raw_public(self.key.public_key()),
            not_before=T0,
            not_after=window.get("not_after"),
            compromised_since=window.get("compromised_since"),
        )
        issuers = [TrustedIssuer("SGDDT-HN", "Sở GDĐT Hà Nội", "provincial_department", None)]
        self.payload = encode_trust_list(issuers, [self.trusted_key], updated_at=T0)
        self.signed_list = sign_trust_list(self.payload, self.root)
        self.trust = TrustList.from_bytes(self.signed_list, root_key=self.root.public_key())

    def sign(self, **changes: Any) -> bytes:
        return sign1(encode_record(record(**changes)), self.key, self.kid)


def test_a_signed_record_verifies() -> None:
    world = World()
    verified = verify_record(world.sign(), world.trust)
    assert verified.fields["holder_name"] == "Nguyễn Thị Ngọc Ánh"
    assert verified.issuer == "SGDDT-HN"
    assert verified.issued_at == T0 + timedelta(days=10)


def _cwt_key(world: World) -> COSEKeyInterface:
    return COSEKey.from_pem(public_pem(world.key.public_key()), alg="EdDSA", kid=world.kid)


def test_an_independent_cose_library_verifies_our_signature() -> None:
    world = World()
    payload = COSE.new().decode(world.sign(), _cwt_key(world))
    assert cbor2.loads(payload)["serial"] == "HN25-012301"


def test_an_independent_cose_library_rejects_a_tampered_payload() -> None:
    world = World()
    parsed = parse_sign1(world.sign())
    forged = cbor2.dumps(
        cbor2.CBORTag(
            18,
            [
                parsed.protected,
                {},
                encode_record(record(holder_name="Nguyễn Văn Giả")),
                parsed.signature,
            ],
        )
    )
    with pytest.raises(VerifyError):
        COSE.new().decode(forged, _cwt_key(world))


def test_encoding_is_deterministic_whatever_the_field_order() -> None:
    fields = record()
    shuffled = list(fields.items())
    random.Random(7).shuffle(shuffled)
    assert encode_record(dict(shuffled)) == encode_record(fields)
    # RFC 8949 4.2.1: map keys in the bytewise order of their encodings.
    keys = list(cbor2.loads(encode_record(fields)))
    assert keys == sorted(keys, key=lambda k: cbor2.dumps(k))
    assert encode_record(record(major=None)) == encode_record(record())  # None is left out


def test_encoding_refuses_what_it_cannot_keep_deterministic() -> None:
    with pytest.raises(ValueError, match="floating-point"):
        canonical({"a": 1.5})
    with pytest.raises(ValueError, match="unknown"):
        encode_record(record(ethnicity="Kinh"))  # never signed: it is not printed


@pytest.mark.parametrize("field", sorted(record()))
def test_changing_any_signed_field_fails(field: str) -> None:
    world = World()
    parsed = parse_sign1(world.sign())
    value = record()[field]
    if isinstance(value, str):
        changed: Any = value[:-1] + ("X" if value[-1] != "X" else "Y")
    elif isinstance(value, bytes):
        changed = bytes([value[0] ^ 1]) + value[1:]
    else:
        changed = value + 1
    forged = cbor2.dumps(
        cbor2.CBORTag(
            18,
            [
                parsed.protected,
                {},
                encode_record(record(**{field: changed})),
                parsed.signature,
            ],
        )
    )
    with pytest.raises(SignatureError):
        verify_record(forged, world.trust)


def test_changing_any_single_byte_of_the_message_fails() -> None:
    world = World()
    signed = world.sign()
    for index in range(len(signed)):
        for flip in (0x01, 0x80):
            forged = bytearray(signed)
            forged[index] ^= flip
            with pytest.raises(VerificationError):
                verify_record(bytes(forged), world.trust)


def test_a_rotated_key_still_verifies_what_it_signed_while_active() -> None:
    world = World(not_after=T0 + timedelta(days=30))
    assert verify_record(world.sign(), world.trust).kid == world.kid
    edge = int((T0 + timedelta(days=30)).timestamp())
    assert verify_record(world.sign(issued_at=edge), world.trust)  # the window includes its end
    with pytest.raises(KeyNotValidError):
        verify_record(world.sign(issued_at=edge + 1), world.trust)
    with pytest.raises(KeyNotValidError):
        verify_record(world.sign(issued_at=int(T0.timestamp()) - 1), world.trust)


def test_a_compromised_key_fails_from_the_compromise_on() -> None:
    since = T0 + timedelta(days=20)
    world = World(compromised_since=since, not_after=since + timedelta(days=1))
    assert verify_record(world.sign(), world.trust)  # day 10: before the compromise
    with pytest.raises(KeyCompromisedError):
        verify_record(world.sign(issued_at=int(since.timestamp())), world.trust)


def test_unknown_key_wrong_issuer_and_wrong_algorithm() -> None:
    world = World()
    stranger = Ed25519PrivateKey.generate()
    with pytest.raises(UnknownKeyError):
        verify_record(
            sign1(encode_record(record()), stranger, kid_for(stranger.public_key())), world.trust
        )
    with pytest.raises(IssuerMismatchError):
        verify_record(world.sign(issuer="DHSPHN"), world.trust)
    parsed = parse_sign1(world.sign())
    es256 = canonical({1: -7, 4: world.kid})
    forged = cbor2.dumps(cbor2.CBORTag(18, [es256, {}, parsed.payload, parsed.signature]))
    with pytest.raises(UnsupportedAlgorithmError):
        verify_record(forged, world.trust)


def test_non_deterministic_encodings_are_refused() -> None:
    world = World()
    parsed = parse_sign1(world.sign())
    # The same message with its array written with an indefinite length.
    items = [
        cbor2.dumps(parsed.protected),
        b"\xa0",
        cbor2.dumps(parsed.payload),
        cbor2.dumps(parsed.signature),
    ]
    indefinite = b"\xd2\x9f" + b"".join(items) + b"\xff"
    with pytest.raises(MalformedError, match="deterministic"):
        verify_record(indefinite, world.trust)
    with pytest.raises(MalformedError):
        verify_record(b"\x00" * 70_000, world.trust)
    with pytest.raises(MalformedError):
        verify_record(b"not cbor at all", world.trust)


def test_the_trust_list_loads_only_under_its_root() -> None:
    world = World()
    assert world.trust.key(world.kid) is not None
    assert world.trust.issuers["SGDDT-HN"].kind == "provincial_department"
    other_root = Ed25519PrivateKey.generate()
    with pytest.raises(TrustListError, match="not by the root"):
        TrustList.from_bytes(world.signed_list, root_key=other_root.public_key())
    # Signed by a key that claims the root's kid: the signature gives it away.
    parsed = parse_sign1(world.signed_list)
    impostor = other_root.sign(b"x")
    forged = cbor2.dumps(cbor2.CBORTag(18, [parsed.protected, {}, parsed.payload, impostor]))
    with pytest.raises(TrustListError):
        TrustList.from_bytes(forged, root_key=world.root.public_key())


def test_a_tampered_trust_list_is_refused() -> None:
    world = World()
    parsed = parse_sign1(world.signed_list)
    body = cbor2.loads(parsed.payload)
    body["keys"][0]["nbf"] -= 86400 * 365  # backdate the key by a year
    forged = cbor2.dumps(
        cbor2.CBORTag(
            18,
            [
                parsed.protected,
                {},
                canonical(body),
                parsed.signature,
            ],
        )
    )
    with pytest.raises(TrustListError):
        TrustList.from_bytes(forged, root_key=world.root.public_key())
    for index in range(0, len(world.signed_list), 7):
        flipped = bytearray(world.signed_list)
        flipped[index] ^= 0x01
        with pytest.raises(TrustListError):
            TrustList.from_bytes(bytes(flipped), root_key=world.root.public_key())


def test_trust_list_encoding_is_deterministic() -> None:
    world = World()
    again = encode_trust_list(
        [TrustedIssuer("SGDDT-HN", "Sở GDĐT Hà Nội", "provincial_department", None)],
        [world.trusted_key],
        updated_at=T0,
    )
    assert again == world.payload
    assert sign_trust_list(again, world.root) == world.signed_list  # Ed25519 is deterministic


@pytest.mark.parametrize("size", [0, 1, 23, 24, 255, 256, 65535, 65536])
def test_hand_written_structures_match_a_general_encoder(size: int) -> None:
    key = Ed25519PrivateKey.generate()
    kid = kid_for(key.public_key())
    payload = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    protected = canonical({1: -8, 4: kid})
    assert sig_structure(protected, payload) == cbor2.dumps(
        ["Signature1", protected, b"", payload], canonical=True
    )
    message = sign1(payload, key, kid)
    parsed = cbor2.loads(message)
    assert message == cbor2.dumps(cbor2.CBORTag(18, list(parsed.value)), canonical=True)


def test_the_record_fast_path_is_the_canonical_encoding() -> None:
    for fields in (
        record(),
        record(major="Sư phạm Toán học", classification="Giỏi"),
        record(place_of_birth=None, signer_on_behalf_of=None),
    ):
        present = {k: v for k, v in fields.items() if v is not None}
        assert encode_record(fields) == cbor2.dumps(present, canonical=True)


def _with_header(world: World, header: dict[Any, Any], unprotected: Any = None) -> bytes:
    """A record signed by the world's key under a protected header of our choosing."""
    payload = encode_record(record())
    protected = canonical(header)
    signature = world.key.sign(sig_structure(protected, payload))
    body = [protected, unprotected or {}, payload, signature]
    return canonical(cbor2.CBORTag(18, body))


@pytest.mark.parametrize(
    ("crit", "extra"),
    [
        ([99], {99: 1}),
        ([99], {}),
        (["x"], {"x": 1}),
        ([3], {3: 0}),
        ([], {}),
        (4, {}),
        ([True], {}),
    ],
    ids=[
        "unknown",
        "unknown-absent",
        "unknown-text",
        "content-type",
        "empty",
        "not-a-list",
        "bool",
    ],
)
def test_a_critical_header_not_understood_is_refused(crit: Any, extra: dict[Any, Any]) -> None:
    """RFC 9052 3.1: a `crit` naming a parameter this verifier does not process (or that is
    not a non-empty list of labels) is refused, though the signature over it is good."""
    world = World()
    signed = _with_header(world, {1: -8, 2: crit, 4: world.kid, **extra})
    with pytest.raises(MalformedError, match="crit"):
        verify_record(signed, world.trust)


def test_a_critical_header_that_is_understood_is_accepted() -> None:
    world = World()
    for crit in ([1], [4], [1, 4]):
        signed = _with_header(world, {1: -8, 2: crit, 4: world.kid})
        assert verify_record(signed, world.trust).issuer == "SGDDT-HN"


def test_crit_in_the_unprotected_header_is_refused() -> None:
    world = World()
    signed = _with_header(world, {1: -8, 4: world.kid}, unprotected={2: [4]})
    with pytest.raises(MalformedError, match="unprotected"):
        verify_record(signed, world.trust)
