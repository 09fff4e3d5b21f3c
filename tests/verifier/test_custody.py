"""Custody offline (docs/custody.md): after a district office's register passed to the
department, the department's key signs for it and the office's keys stay trusted for what
they signed before; an unrelated issuer's key never signs for it; a later transfer chains."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from verifier import (
    Custody,
    IssuerMismatchError,
    KeyNotValidError,
    TrustedIssuer,
    TrustedKey,
    TrustList,
    TrustListError,
    kid_for,
    verify_record,
)
from verifier._cbor import canonical, decode
from verifier.check import check_token
from verifier.cose import parse_sign1, sign1
from verifier.display import field_lines
from verifier.events import EVENT_VERSION, encode_event, verify_event
from verifier.keys import raw_public
from verifier.record import RECORD_VERSION, encode_record
from verifier.result import Verdict
from verifier.token import TOKEN_VERSION, encode_token, record_digest
from verifier.trust_list import encode_trust_list, sign_trust_list

T0 = datetime(2020, 1, 1, tzinfo=UTC)
MOVED = datetime(2025, 7, 1, 3, 0, tzinfo=UTC)  # the first transfer, as recorded
MOVED_AGAIN = datetime(2026, 2, 1, tzinfo=UTC)
ISSUERS = {
    "PGDDT-CG": ("Phòng Giáo dục và Đào tạo quận Cầu Giấy", "district_office"),
    "SGDDT-HN": ("Sở Giáo dục và Đào tạo Hà Nội", "provincial_department"),
    "SGDDT-XX": ("Sở Giáo dục và Đào tạo tỉnh mới", "provincial_department"),
    "DHSPHN": ("Trường Đại học Sư phạm Hà Nội", "university"),
}


class World:
    """A root, one key per issuer valid from T0 (the office's retired at the transfer), and
    their trust list with the office's register in the department's custody."""

    def __init__(self, *, chained: bool = False) -> None:
        self.root = Ed25519PrivateKey.generate()
        self.keys = {code: Ed25519PrivateKey.generate() for code in ISSUERS}
        custody = [
            Custody("PGDDT-CG", "SGDDT-HN", MOVED, "2025-07-01", "Thông tư 13/2025/TT-BGDĐT")
        ]
        if chained:
            custody.append(
                Custody("PGDDT-CG", "SGDDT-XX", MOVED_AGAIN, "2026-02-01", "Nghị quyết sáp nhập")
            )
        self.payload = encode_trust_list(
            [TrustedIssuer(c, n, k, None) for c, (n, k) in ISSUERS.items()],
            [
                TrustedKey(
                    kid=kid_for(key.public_key()),
                    issuer=code,
                    public_key=key.public_key(),
                    public_raw=raw_public(key.public_key()),
                    not_before=T0,
                    not_after=MOVED if code == "PGDDT-CG" else None,
                )
                for code, key in self.keys.items()
            ],
            updated_at=MOVED,
            custody=custody,
        )
        self.trust = TrustList.from_bytes(
            sign_trust_list(self.payload, self.root), root_key=self.root.public_key()
        )

    def sign(self, signer: str, payload: bytes) -> bytes:
        key = self.keys[signer]
        return sign1(payload, key, kid_for(key.public_key()))


def record(at: datetime, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "v": RECORD_VERSION,
        "issuer": "PGDDT-CG",
        "kind": "thcs",
        "regulation": "TT21/2019",
        "serial": "CG25-000001",
        "register_number": "1/2025",
        "holder_name": "Nguyễn Minh Anh",
        "date_of_birth": "2010-03-14",
        "gender": "female",
        "graduation_year": 2025,
        "place_of_issue": "Hà Nội",
        "issued_on": "2025-06-20",
        "signer_name": "Phạm Thị Thu",
        "signer_title": "Trưởng phòng",
        "salt": bytes(16),
        "issued_at": int(at.timestamp()),
    }
    fields.update(changes)
    return fields


def test_both_keys_verify_what_each_signed_in_its_time() -> None:
    world = World()
    issued = world.sign("PGDDT-CG", encode_record(record(MOVED - timedelta(days=20))))
    first = verify_record(issued, world.trust)
    assert first.issuer == "PGDDT-CG"

    corrected_at = MOVED + timedelta(days=100)
    corrected = world.sign(
        "SGDDT-HN",
        encode_record(
            record(
                corrected_at,
                holder_name="Nguyễn Minh Ánh",
                version=2,
                supersedes=record_digest(issued),
                correction_decision="12/QĐ-SGDĐT",
            )
        ),
    )
    second = verify_record(corrected, world.trust)
    assert (second.issuer, second.fields["issuer"]) == ("SGDDT-HN", "PGDDT-CG")

    # The office's key signs nothing of its register after the transfer.
    with pytest.raises(KeyNotValidError, match="passed to SGDDT-HN"):
        verify_record(world.sign("PGDDT-CG", encode_record(record(corrected_at))), world.trust)
    # The department's key signs nothing of it before the transfer (no backdating past it).
    with pytest.raises(IssuerMismatchError, match="did not hold"):
        verify_record(
            world.sign("SGDDT-HN", encode_record(record(MOVED - timedelta(days=1)))), world.trust
        )
    # An unrelated issuer's key never signs for it.
    with pytest.raises(IssuerMismatchError):
        verify_record(world.sign("DHSPHN", encode_record(record(corrected_at))), world.trust)


def test_during_the_second_of_the_transfer_both_bodies_may_sign() -> None:
    world = World()
    for signer in ("PGDDT-CG", "SGDDT-HN"):
        verify_record(world.sign(signer, encode_record(record(MOVED))), world.trust)
    assert world.trust.holders_at("PGDDT-CG", MOVED) == ("PGDDT-CG", "SGDDT-HN")
    assert world.trust.holders_at("SGDDT-HN", MOVED) == ("SGDDT-HN",)


def test_a_later_transfer_chains() -> None:
    world = World(chained=True)
    between = MOVED + timedelta(days=30)
    after = MOVED_AGAIN + timedelta(days=1)
    assert world.trust.holders_at("PGDDT-CG", between) == ("SGDDT-HN",)
    assert world.trust.holders_at("PGDDT-CG", after) == ("SGDDT-XX",)
    verify_record(world.sign("SGDDT-HN", encode_record(record(between))), world.trust)
    verify_record(world.sign("SGDDT-XX", encode_record(record(after))), world.trust)
    with pytest.raises(IssuerMismatchError, match="did not hold"):
        verify_record(world.sign("SGDDT-HN", encode_record(record(after))), world.trust)
    custodian = world.trust.custodian("PGDDT-CG")
    assert custodian is not None
    assert custodian.custodian == "SGDDT-XX"


def test_a_token_of_the_custodian_is_genuine_and_names_it() -> None:
    world = World()
    at = MOVED + timedelta(days=100)
    signed = world.sign("SGDDT-HN", encode_record(record(at, serial="CG25-900001")))
    token_fields = {
        "v": TOKEN_VERSION,
        "issuer": "PGDDT-CG",
        "kind": "thcs",
        "serial": "CG25-900001",
        "register_number": "7/2026",
        "holder_name": "Nguyễn Minh Anh",
        "date_of_birth": "2010-03-14",
        "graduation_year": 2025,
        "issued_at": int(at.timestamp()),
        "issued_on": "2026-10-01",
        "record_digest": record_digest(signed),
    }
    result = check_token(world.sign("SGDDT-HN", encode_token(token_fields)), world.trust)
    assert result.verdict == Verdict.GENUINE
    assert result.custodian == {
        "code": "SGDDT-HN",
        "name": "Sở Giáo dục và Đào tạo Hà Nội",
        "since": "2025-07-01",
        "legal_basis": "Thông tư 13/2025/TT-BGDĐT",
    }
    assert result.to_dict("en")["custodian"]["code"] == "SGDDT-HN"
    lines = dict(field_lines(result, world.trust, "vi"))
    assert lines["Đơn vị cấp"] == "Phòng Giáo dục và Đào tạo quận Cầu Giấy (PGDDT-CG)"
    assert lines["Đơn vị đang quản lý sổ gốc"] == (
        "Sở Giáo dục và Đào tạo Hà Nội (SGDDT-HN), từ ngày 01/07/2025 theo "
        "Thông tư 13/2025/TT-BGDĐT"
    )
    english = dict(field_lines(result, world.trust, "en"))
    assert english["Current custodian of the register"].startswith(
        "Sở Giáo dục và Đào tạo Hà Nội (SGDDT-HN), since 01/07/2025"
    )

    forged = check_token(world.sign("DHSPHN", encode_token(token_fields)), world.trust)
    assert forged.verdict == Verdict.NOT_GENUINE
    assert forged.failure is not None
    assert forged.failure.code == "issuer_mismatch"
    assert forged.custodian is None


def test_the_transfer_statement_verifies_with_the_receiving_key() -> None:
    world = World()
    fields = {
        "v": EVENT_VERSION,
        "type": "custody_transfer",
        "issuer": "PGDDT-CG",
        "from_custodian": "PGDDT-CG",
        "to_custodian": "SGDDT-HN",
        "effective_on": "2025-07-01",
        "legal_basis": "Thông tư 13/2025/TT-BGDĐT",
        "reason": "Tổ chức chính quyền địa phương hai cấp",
        "issued_at": int(MOVED.timestamp()),
    }
    verified = verify_event(world.sign("SGDDT-HN", encode_event(fields)), world.trust)
    assert verified.issuer == "SGDDT-HN"
    with pytest.raises(IssuerMismatchError):
        verify_event(world.sign("DHSPHN", encode_event(fields)), world.trust)


def test_a_list_without_custody_keeps_its_bytes_and_a_bad_custody_is_refused() -> None:
    world = World()
    body = decode(world.payload, what="the list")
    plain = encode_trust_list(
        [TrustedIssuer(c, n, k, None) for c, (n, k) in ISSUERS.items()], [], updated_at=MOVED
    )
    assert "custody" not in decode(plain, what="the list")
    assert [c["custodian"] for c in body["custody"]] == ["SGDDT-HN"]
    body["custody"][0]["custodian"] = "NOBODY"
    tampered = sign_trust_list(canonical(body), world.root)
    with pytest.raises(TrustListError, match="unknown issuer"):
        TrustList.from_bytes(tampered, root_key=world.root.public_key())
    assert parse_sign1(tampered).kid == kid_for(world.root.public_key())
