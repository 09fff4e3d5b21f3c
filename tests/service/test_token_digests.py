"""The register recognises its own QR tokens (0022_token_digests): the SHA-256 of every token
it issues is kept with the diploma, a QR check whose bytes it knows is answered without
verifying the signature (the key's trust at issuance still judged against the current trust
list), and any other bytes are verified in full. Either way the answer is the one the full
path gives, and the steps say which was done."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from service.db.standing import StandingReader
from service.http.state import CHECKED, POOL, TRUST_LIST
from service.keystore import KeyStore
from service.resources import demo_dir
from service.settings import Settings
from service.usecases.verification import verify_online
from tests.conftest import CLERK, bearer
from tests.factories import decision_request, qr_path, qr_text, registered, revoke, sequenced, step
from tests.running import run_vanbang
from verifier.cose import parse_sign1, sign1
from verifier.token import decode_token, encode_token, token_from_text, token_url

RECOGNISED_EN = (
    "Byte for byte the QR code the register signed and issued; its signature was not checked again"
)
RECOGNISED_VI = "Đúng từng byte mã QR do sổ gốc ký và cấp; chữ ký không cần kiểm lại"


async def _verify(client: Any, text: str) -> dict[str, Any]:
    response = await client.get("/api/v1/verify", params={"token": text, "lang": "en"})
    assert response.status == 200
    result: dict[str, Any] = await response.json()
    return result


class _Unrecognising(StandingReader):
    """The same register, read by the same query, with recognition left out: every token
    takes the full path (its signature verified), as a token the register does not know."""

    async def find_token(self, digest: bytes) -> asyncpg.Record | None:
        return None


async def _full_path(client: Any, db_url: str, text: str) -> dict[str, Any]:
    reader = await _Unrecognising.open(db_url)
    try:
        result, _ = await verify_online(client.app[POOL], reader, client.app[TRUST_LIST], text)
    finally:
        await reader.close()
    return result.to_dict("en")


def _but_when_and_how(result: dict[str, Any]) -> dict[str, Any]:
    """The answer without its time and its signature step, which says how it was checked."""
    return {
        **{k: v for k, v in result.items() if k != "status_checked_at"},
        "steps": [s for s in result["steps"] if s["code"] != "signature_valid"],
    }


async def _as_full_path_answers(client: Any, db_url: str, text: str) -> dict[str, Any]:
    """The answer to a token the register recognises, checked to be the full path's but for
    the signature step, which says it was recognised."""
    checked = client.app[CHECKED]
    verified, recognised = checked.verified, checked.recognised
    result = await _verify(client, text)
    assert (checked.verified, checked.recognised) == (verified, recognised + 1)
    assert step(result, "signature_valid") == {
        "code": "signature_valid",
        "outcome": "passed",
        "message": RECOGNISED_EN,
        "reason": "recognised",
    }
    full = await _full_path(client, db_url, text)
    assert step(full, "signature_valid") == {
        "code": "signature_valid",
        "outcome": "passed",
        "message": "The digital signature is correct",
    }
    assert _but_when_and_how(result) == _but_when_and_how(full)
    return result


def _demo_resigned(text: str, **changes: Any) -> str:
    """The token with fields changed, signed again with the (public) demo key."""
    message = parse_sign1(token_from_text(text))
    fields = {**decode_token(message.payload), **changes}
    key = KeyStore(Path("/nonexistent"), demo_dir()).issuer_key(message.kid)
    assert key is not None
    return token_url(sign1(encode_token(fields), key.private_key, key.kid), "http://x")


def _with_signature_flipped(text: str) -> bytes:
    token = bytearray(token_from_text(text))
    token[-1] ^= 0x01  # the signature is the token's last 64 bytes
    return bytes(token)


def _text(token: bytes) -> str:
    return base64.b32encode(token).decode().rstrip("=")


async def test_registration_keeps_the_digest_of_each_token_it_issues(
    client: Any, db: asyncpg.Connection
) -> None:
    response = await client.post(
        "/api/v1/graduation-decisions",
        json=decision_request(3),
        headers=bearer(CLERK),
    )
    assert response.status == 201
    diplomas = (await response.json())["diplomas"]
    stored = {
        str(r["diploma_id"]): (bytes(r["digest"]), r["version"])
        for r in await db.fetch("SELECT * FROM token_digests")
    }
    assert len(stored) == 3
    for diploma in diplomas:
        # The token signed with the record is the one the printed QR code carries.
        text = await qr_text(client, diploma["id"])
        assert text == diploma["qr_url"]
        digest = hashlib.sha256(token_from_text(text)).digest()
        assert stored[diploma["id"]] == (digest, 1)


async def test_a_known_token_is_answered_without_verifying_its_signature(
    client: Any, db_url: str
) -> None:
    diploma = (await registered(client))[0]
    text = await qr_text(client, diploma["id"])
    await sequenced(client)
    result = await _as_full_path_answers(client, db_url, text)
    assert result["verdict"] == "valid"
    assert [(s["code"], s["outcome"]) for s in result["steps"]] == [
        ("token_decoded", "passed"),
        ("signature_valid", "passed"),
        ("key_trusted_at_issuance", "passed"),
        ("present_in_register", "passed"),
        ("current_status", "passed"),
        ("log_included", "passed"),
    ]
    # Again, and written otherwise (lower case, the whole URL): still no signature verified.
    checked = client.app[CHECKED]
    verified = checked.verified
    again = await _verify(client, text.lower())
    assert again["verdict"] == "valid"
    assert step(again, "signature_valid")["reason"] == "recognised"
    assert checked.verified == verified
    # The page answers as the API does, and says the same of the signature.
    page = await (await client.get(qr_path(text))).text()
    assert RECOGNISED_VI in page
    assert "Văn bằng thật và còn hiệu lực" in page
    assert checked.verified == verified


async def test_the_register_vouches_for_the_bytes_it_knows(
    client: Any, db: asyncpg.Connection
) -> None:
    """What recognition rests on: bytes whose digest the register holds are not verified.
    A token with a broken signature fails the full path; once the register holds its digest
    (as only the register itself can write it) it is answered as recognised, which shows
    the signature is then not checked, and why the table is as trusted as the register."""
    diploma = (await registered(client))[0]
    broken = _with_signature_flipped(await qr_text(client, diploma["id"]))
    before = await _verify(client, _text(broken))
    assert before["verdict"] == "not_genuine"
    assert step(before, "signature_valid")["reason"] == "signature_invalid"
    await db.execute(
        "INSERT INTO token_digests (digest, diploma_id, version) VALUES ($1, $2, 2)",
        hashlib.sha256(broken).digest(),
        diploma["id"],
    )
    after = await _verify(client, _text(broken))
    assert after["verdict"] == "valid"
    assert step(after, "signature_valid")["reason"] == "recognised"


async def test_a_tampered_token_is_unknown_bytes_verified_and_refused(client: Any) -> None:
    diploma = (await registered(client))[0]
    text = await qr_text(client, diploma["id"])
    checked = client.app[CHECKED]
    verified = checked.verified
    result = await _verify(client, _text(_with_signature_flipped(text)))
    assert checked.verified == verified + 1
    assert result["verdict"] == "not_genuine"
    assert step(result, "signature_valid") == {
        "code": "signature_valid",
        "outcome": "failed",
        "message": "The signature does not match",
        "reason": "signature_invalid",
        "detail": "the signature does not match the signed content",
    }
    assert step(result, "present_in_register")["outcome"] == "skipped"
    page = await (await client.get(f"/V/{_text(_with_signature_flipped(text))}")).text()
    assert "Chữ ký số không khớp với nội dung" in page


async def test_unknown_bytes_with_a_good_signature_are_verified_in_full(client: Any) -> None:
    diploma = (await registered(client))[0]
    text = await qr_text(client, diploma["id"])
    checked = client.app[CHECKED]
    verified = checked.verified
    other = await _verify(client, _demo_resigned(text, record_digest=bytes(16)))
    assert checked.verified == verified + 1
    assert other["verdict"] == "not_found"
    assert step(other, "signature_valid") == {
        "code": "signature_valid",
        "outcome": "passed",
        "message": "The digital signature is correct",
    }
    assert step(other, "present_in_register")["reason"] == "record_mismatch"
    absent = await _verify(client, _demo_resigned(text, serial="NOPE-1"))
    assert absent["verdict"] == "not_found"
    assert step(absent, "present_in_register")["reason"] == "not_in_register"
    assert checked.verified == verified + 2


async def test_a_field_the_register_cannot_hold_fails_no_other_check(client: Any) -> None:
    """A token is read before its signature is known good: a serial PostgreSQL refuses
    (a NUL) must not fail the other checks of its batch."""
    diploma = (await registered(client))[0]
    text = await qr_text(client, diploma["id"])
    odd = _demo_resigned(text, serial="HN\x00X")
    results = await asyncio.gather(_verify(client, odd), _verify(client, text))
    assert [r["verdict"] for r in results] == ["not_found", "valid"]


async def test_a_compromised_key_changes_the_answer_for_a_known_token(
    client: Any, db: asyncpg.Connection, db_url: str, settings: Settings
) -> None:
    diploma = (await registered(client))[0]
    text = await qr_text(client, diploma["id"])
    assert (await _verify(client, text))["verdict"] == "valid"
    row = await db.fetchrow("SELECT kid, issued_at FROM diplomas WHERE id = $1", diploma["id"])
    assert row is not None
    code, _, err = await run_vanbang(
        db_url,
        "key",
        "compromised",
        bytes(row["kid"]).hex(),
        "--since",
        row["issued_at"].isoformat(),
        VANBANG_KEYS_DIR=str(settings.keys_dir),
    )
    assert code == 0, err
    result = await _as_full_path_answers(client, db_url, text)
    assert result["verdict"] == "not_genuine"
    assert step(result, "key_trusted_at_issuance")["reason"] == "key_compromised"
    assert step(result, "present_in_register")["outcome"] == "skipped"
    page = await (await client.get(qr_path(text))).text()
    assert "Khóa ký đã bị lộ trước thời điểm cấp" in page
    assert RECOGNISED_VI in page


async def test_a_corrected_diploma_s_token_answers_corrected(client: Any, db_url: str) -> None:
    diploma = (await registered(client))[0]
    text = await qr_text(client, diploma["id"])
    response = await client.post(
        f"/api/v1/diplomas/{diploma['id']}/corrections",
        json={
            "decision_number": "12/QĐ-SGDĐT",
            "decided_on": "2025-11-03",
            "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
            "ground": "civil_status_changed",
            "reason": "Cải chính họ tên theo trích lục cải chính hộ tịch số 45/2025",
            "changes": {"full_name": "Trần Thị Bính"},
        },
        headers=bearer(CLERK),
    )
    assert response.status == 201, await response.text()
    # The paper keeps its QR code: the correction makes no new token.
    assert await qr_text(client, diploma["id"]) == text
    result = await _as_full_path_answers(client, db_url, text)
    assert result["verdict"] == "corrected"
    assert result["status"]["current"]["holder_name"] == "Trần Thị Bính"
    assert result["fields"]["holder_name"] == "Trần Thị Bình"


async def test_a_revoked_diploma_s_token_answers_revoked(client: Any, db_url: str) -> None:
    diploma = (await registered(client))[0]
    text = await qr_text(client, diploma["id"])
    assert (await _verify(client, text))["verdict"] == "valid"
    await revoke(client, diploma["id"])
    result = await _as_full_path_answers(client, db_url, text)
    assert result["verdict"] == "revoked"
    assert step(result, "current_status")["reason"] == "revoked"
    page = await (await client.get(qr_path(text))).text()
    assert "Văn bằng đã bị thu hồi" in page


async def test_a_reissue_s_new_token_is_known_and_the_old_answers_replaced(
    client: Any, db: asyncpg.Connection, db_url: str
) -> None:
    old = (await registered(client, 3))[0]
    old_text = await qr_text(client, old["id"])
    response = await client.post(
        f"/api/v1/diplomas/{old['id']}/reissues",
        json={
            "serial": "T900001",
            "issued_on": "2025-09-02",
            "reason": "Ghi sai nơi sinh khi in văn bằng",
            "changes": {"place_of_birth": "Hà Nam"},
        },
        headers=bearer(CLERK),
    )
    assert response.status == 201, await response.text()
    new = (await response.json())["diploma"]
    new_text = await qr_text(client, new["id"])
    digest = await db.fetchval("SELECT digest FROM token_digests WHERE diploma_id = $1", new["id"])
    assert bytes(digest) == hashlib.sha256(token_from_text(new_text)).digest()
    replaced = await _as_full_path_answers(client, db_url, old_text)
    assert replaced["verdict"] == "replaced"
    assert replaced["status"]["serial"] == "T900001"
    await sequenced(client)
    valid = await _as_full_path_answers(client, db_url, new_text)
    assert valid["verdict"] == "valid"
    assert valid["fields"]["place_of_birth"] == "Hà Nam"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE token_digests SET version = 3",
        "DELETE FROM token_digests",
        "TRUNCATE token_digests",
    ],
)
async def test_the_digests_are_append_only(
    client: Any, db: asyncpg.Connection, statement: str
) -> None:
    await registered(client)
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await db.execute(statement)
    assert await db.fetchval("SELECT count(*) FROM token_digests") == 2


async def test_a_check_may_ask_again_as_soon_as_it_is_answered(client: Any, db_url: str) -> None:
    """A token the register does not know is asked for twice: by digest, then by serial once
    verified. The second question, asked as soon as the first batch answers, must start a
    batch of its own rather than wait for a reader that has just finished."""
    diploma = (await registered(client))[0]
    reader = await StandingReader.open(db_url)
    try:
        assert await reader.find_token(bytes(32)) is None
        row = await asyncio.wait_for(reader.find(diploma["serial"], "SGDDT-HN", "thpt"), 10)
        assert row is not None
        assert str(row["id"]) == diploma["id"]
        known = await reader.find_token(
            hashlib.sha256(token_from_text(await qr_text(client, diploma["id"]))).digest()
        )
        assert known is not None
        assert str(known["id"]) == diploma["id"]
        assert reader.batches == 3
    finally:
        await reader.close()
