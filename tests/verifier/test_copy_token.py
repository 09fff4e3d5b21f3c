"""A certified copy's QR token (docs/qr-format.md, "A certified copy"): a diploma's token with
the copy register's number, date and entry digest, all three or none, checked offline like a
diploma's and shown with the copy's number and date."""

from __future__ import annotations

from typing import Any

import pytest

from tests.verifier.test_signing_offline import T0, World
from verifier._cbor import canonical
from verifier.check import check_token
from verifier.cose import sign1
from verifier.display import field_lines
from verifier.result import Verdict
from verifier.token import NUMBERS, decode_token, encode_token, is_copy, token_url

FIELDS: dict[str, Any] = {
    "v": 1,
    "issuer": "SGDDT-HN",
    "kind": "thpt",
    "serial": "HN25-012301",
    "register_number": "1/THPT-2025",
    "holder_name": "Trần Thị Bính",
    "date_of_birth": "2007-05-02",
    "graduation_year": 2025,
    "issued_at": int(T0.timestamp()) + 86400 * 60,
    "issued_on": "2025-08-15",
    "record_digest": bytes(16),
    "copy_number": "12/2026/BS",
    "copied_on": "2026-03-10",
    "copy_digest": bytes(range(16)),
}


def test_a_copy_token_verifies_offline_and_shows_the_copy() -> None:
    world = World()
    token = sign1(encode_token(FIELDS), world.key, world.kid)
    result = check_token(token_url(token, "https://vanbang.example.vn"), world.trust)
    assert result.verdict == Verdict.GENUINE
    assert is_copy(result.fields)
    assert result.fields["copy_digest"] == bytes(range(16)).hex()
    lines = dict(field_lines(result, world.trust, "vi"))
    assert lines["Số bản sao (sổ cấp bản sao)"] == "12/2026/BS"
    assert lines["Ngày cấp bản sao"] == "10/03/2026"
    english = dict(field_lines(result, world.trust, "en"))
    assert english["Copy issued on"] == "10/03/2026"
    # A diploma's token is not a copy's.
    diploma = {k: v for k, v in FIELDS.items() if not k.startswith("copy")}
    diploma.pop("copied_on")
    assert not is_copy(decode_token(encode_token(diploma)))


@pytest.mark.parametrize("left_out", ["copy_number", "copied_on", "copy_digest"])
def test_a_copy_token_has_all_three_copy_fields_or_none(left_out: str) -> None:
    partial = {k: v for k, v in FIELDS.items() if k != left_out}
    with pytest.raises(ValueError, match=left_out):
        encode_token(partial)
    world = World()
    # Signed as it is, it is refused as malformed, not read as a diploma's token.
    payload = canonical({NUMBERS[k]: v for k, v in partial.items()})
    result = check_token(sign1(payload, world.key, world.kid), world.trust)
    assert result.verdict == Verdict.NOT_GENUINE
    assert result.failure is not None
    assert result.failure.code == "malformed"


@pytest.mark.parametrize(
    "changes", [{"copy_digest": bytes(15)}, {"copy_number": 12}, {"copied_on": b"2026"}]
)
def test_a_copy_field_of_the_wrong_type_is_malformed(changes: dict[str, Any]) -> None:
    world = World()
    payload = canonical({NUMBERS[k]: v for k, v in {**FIELDS, **changes}.items()})
    result = check_token(sign1(payload, world.key, world.kid), world.trust)
    assert result.verdict == Verdict.NOT_GENUINE
    assert result.failure is not None
    assert result.failure.code == "malformed"
