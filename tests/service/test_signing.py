"""Signed records, issuer keys and the trust list, through the real service and CLI."""

from __future__ import annotations

import asyncio
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import cbor2
import pytest
from cwt import COSE, COSEKey

from service.settings import Settings
from tests.conftest import ADMIN, CLERK, ROOT, bearer
from tests.factories import assert_problem, decision_request
from tests.running import run_vanbang
from verifier import KeyCompromisedError, TrustList, TrustListError, load_public_pem, verify_record
from verifier.keys import kid_for, load_private_pem, public_from_raw, public_pem

URL = "/api/v1/graduation-decisions"
TRUST = "/.well-known/vanbang/trust-list"
DEMO_ROOT = load_public_pem((ROOT / "keys-example" / "root.pub.pem").read_bytes())


async def vanbang(settings: Settings, *args: str, **env: str) -> tuple[int, str, str]:
    """The CLI against the test's database, with the test's keys directory."""
    assert settings.database_url is not None
    return await run_vanbang(
        settings.database_url, *args, **{"VANBANG_KEYS_DIR": str(settings.keys_dir), **env}
    )


async def register(client: Any, number: str, prefix: str, count: int = 2) -> list[str]:
    response = await client.post(
        URL,
        json=decision_request(count, number=number, serial_prefix=prefix),
        headers=bearer(CLERK),
    )
    assert response.status == 201, await response.text()
    return [d["id"] for d in (await response.json())["diplomas"]]


async def stored(db: asyncpg.Connection, diploma_id: str) -> asyncpg.Record:
    row = await db.fetchrow("SELECT * FROM diplomas WHERE id = $1", diploma_id)
    assert row is not None
    return row


async def trust_list(client: Any) -> TrustList:
    response = await client.get(TRUST)
    assert response.status == 200
    return TrustList.from_bytes(await response.read(), root_key=DEMO_ROOT)


async def test_every_diploma_is_signed_as_stored(client: Any, db: asyncpg.Connection) -> None:
    ids = await register(client, "1/QĐ", "S", count=3)
    for diploma_id in ids:
        row = await stored(db, diploma_id)
        key_row = await db.fetchrow("SELECT * FROM issuer_keys WHERE kid = $1", row["kid"])
        assert key_row is not None
        public = public_from_raw(bytes(key_row["public_key"]))
        cose_key = COSEKey.from_pem(public_pem(public), alg="EdDSA", kid=bytes(row["kid"]))
        # An independent COSE implementation verifies the exact stored bytes.
        fields = cbor2.loads(COSE.new().decode(bytes(row["signed"]), cose_key))
        assert fields["holder_name"] == row["holder_name"]
        # The service writes no `crit` and nothing but the algorithm and key id (RFC 9052
        # 3.1): nothing a verifier would have to understand beyond what it checks.
        protected, unprotected, *_ = cbor2.loads(bytes(row["signed"])).value
        assert cbor2.loads(protected) == {1: -8, 4: bytes(row["kid"])}
        assert unprotected == {}
        assert fields["serial"] == row["serial"]
        assert fields["register_number"] == row["register_number"]
        assert fields["date_of_birth"] == row["date_of_birth"].isoformat()
        assert fields["salt"] == bytes(row["salt"])
        assert fields["issued_at"] == int(row["issued_at"].timestamp())
        assert fields["issuer"] == "SGDDT-HN"
        assert "ethnicity" not in fields
        assert "student_id" not in fields


async def test_the_diploma_read_carries_its_signature(client: Any, db: asyncpg.Connection) -> None:
    (diploma_id, *_) = await register(client, "1/QĐ", "S")
    body = await (await client.get(f"/api/v1/diplomas/{diploma_id}", headers=bearer(CLERK))).json()
    import base64

    signed = base64.b64decode(body["signature"]["cose_sign1"])
    record = verify_record(signed, await trust_list(client))
    assert record.kid.hex() == body["signature"]["kid"]


async def test_trust_list_is_signed_cacheable_and_complete(client: Any) -> None:
    response = await client.get(TRUST)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("application/cose")
    assert "max-age" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    trust = TrustList.from_bytes(await response.read(), root_key=DEMO_ROOT)
    assert set(trust.issuers) == {"BGDDT", "SGDDT-HN", "PGDDT-CG", "PGDDT-BD", "THPT-CVA", "DHSPHN"}
    assert {k.issuer for k in trust.keys.values()} == set(trust.issuers)
    assert trust.issuers["PGDDT-CG"].parent == "SGDDT-HN"
    again = await client.get(TRUST, headers={"If-None-Match": etag})
    assert again.status == 304
    wrong_root = load_private_pem(
        next((ROOT / "keys-example" / "keys").glob("*.pem")).read_bytes()
    ).public_key()
    with pytest.raises(TrustListError):
        TrustList.from_bytes(await response.read(), root_key=wrong_root)


async def test_rotation_keeps_earlier_diplomas_valid(
    client: Any, db: asyncpg.Connection, settings: Settings
) -> None:
    before = await register(client, "1/QĐ", "A")
    old_kid = bytes((await stored(db, before[0]))["kid"])
    etag = (await client.get(TRUST)).headers["ETag"]

    code, out, err = await vanbang(settings, "key", "rotate", "--issuer", "SGDDT-HN")
    assert code == 0, err
    assert old_kid.hex() in out
    new_kid = bytes(
        await db.fetchval(
            "SELECT kid FROM issuer_keys WHERE issuer_code = 'SGDDT-HN' AND not_after IS NULL"
        )
    )
    key_file = settings.keys_dir / f"{new_kid.hex()}.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert kid_for(load_private_pem(key_file.read_bytes()).public_key()) == new_kid

    after = await register(client, "2/QĐ", "B")
    assert bytes((await stored(db, after[0]))["kid"]) == new_kid
    response = await client.get(TRUST)
    assert response.headers["ETag"] != etag
    trust = TrustList.from_bytes(await response.read(), root_key=DEMO_ROOT)
    old = trust.key(old_kid)
    assert old is not None
    assert old.not_after is not None
    for diploma_id in before + after:  # nothing re-signed, everything still verifies
        verify_record(bytes((await stored(db, diploma_id))["signed"]), trust)
    assert await db.fetchval("SELECT count(DISTINCT kid) FROM diplomas") == 2


async def test_a_compromised_key_untrusts_what_it_signed_afterwards(
    client: Any, db: asyncpg.Connection, settings: Settings
) -> None:
    (early, *_) = await register(client, "1/QĐ", "E")
    early_at = (await stored(db, early))["issued_at"]
    # issued-at is in whole seconds: the next record must fall in a later second.
    wait = (early_at + timedelta(seconds=1) - datetime.now(UTC)).total_seconds()
    await asyncio.sleep(max(wait, 0) + 0.01)
    (late, *_) = await register(client, "2/QĐ", "L")
    late_row = await stored(db, late)
    assert late_row["issued_at"] > early_at
    kid = bytes(late_row["kid"]).hex()

    code, _, err = await vanbang(
        settings, "key", "compromised", kid, "--since", late_row["issued_at"].isoformat()
    )
    assert code == 0, err
    trust = await trust_list(client)
    verify_record(bytes((await stored(db, early))["signed"]), trust)
    with pytest.raises(KeyCompromisedError):
        verify_record(bytes(late_row["signed"]), trust)

    # The key no longer signs: registration stops until the issuer has a new key.
    response = await client.post(
        URL, json=decision_request(1, number="3/QĐ", serial_prefix="N"), headers=bearer(CLERK)
    )
    await assert_problem(response, 409, "no-signing-key")
    code, _, err = await vanbang(settings, "key", "generate", "--issuer", "SGDDT-HN")
    assert code == 0, err
    assert len(await register(client, "4/QĐ", "M")) == 2


async def test_key_commands_refuse_what_makes_no_sense(settings: Settings) -> None:
    code, _, err = await vanbang(settings, "key", "generate", "--issuer", "SGDDT-HN")
    assert (code, "use `vanbang key rotate`" in err) == (1, True)
    code, _, err = await vanbang(settings, "key", "rotate", "--issuer", "NOPE")
    assert (code, "no active key" in err) == (1, True)
    code, _, err = await vanbang(
        settings, "key", "compromised", "00" * 8, "--since", "2026-01-01T00:00:00+07:00"
    )
    assert (code, "no key" in err) == (1, True)
    code, _, err = await vanbang(
        settings, "key", "compromised", "00" * 8, "--since", "2026-01-01T00:00:00"
    )
    assert (code, "UTC offset" in err) == (1, True)
    code, out, _ = await vanbang(settings, "key", "list", "--issuer", "SGDDT-HN")
    assert code == 0
    assert "active" in out


async def test_issuer_without_a_key_cannot_register(client: Any, db: asyncpg.Connection) -> None:
    await db.execute(
        "INSERT INTO issuers (code, name, kind, parent_code)"
        " VALUES ('SGDDT-HP', 'Sở GDĐT Hải Phòng', 'provincial_department', 'BGDDT')"
    )
    response = await client.post(
        URL, json=decision_request(1, issuer="SGDDT-HP"), headers=bearer(ADMIN)
    )
    await assert_problem(response, 409, "no-signing-key")
    assert await db.fetchval("SELECT count(*) FROM diplomas") == 0


async def test_a_missing_key_file_is_reported_not_ignored(
    client: Any, db: asyncpg.Connection, settings: Settings
) -> None:
    code, _, err = await vanbang(
        settings,
        "key",
        "rotate",
        "--issuer",
        "SGDDT-HN",
        VANBANG_KEYS_DIR=str(settings.keys_dir.parent / "elsewhere"),
    )
    assert code == 0, err
    response = await client.post(URL, json=decision_request(1), headers=bearer(CLERK))
    body = await assert_problem(response, 409, "no-signing-key")
    assert "SGDDT-HN" in body["detail"]


async def test_private_keys_never_reach_the_database(
    db: asyncpg.Connection, settings: Settings
) -> None:
    code, _, err = await vanbang(settings, "key", "rotate", "--issuer", "DHSPHN")
    assert code == 0, err
    private_files = list(settings.keys_dir.glob("*.pem"))
    assert len(private_files) == 1
    private = load_private_pem(private_files[0].read_bytes())
    from cryptography.hazmat.primitives import serialization

    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    dump = await db.fetchval("SELECT string_agg(encode(public_key, 'hex'), '') FROM issuer_keys")
    assert raw.hex() not in dump


async def test_production_refuses_the_demo_keys(settings: Settings, tmp_path: Path) -> None:
    production = {"VANBANG_ENV": "production", "VANBANG_DEMO": "0"}
    code, _, err = await vanbang(
        settings, "serve", "--port", "1", VANBANG_KEYS_DIR=str(ROOT / "keys-example"), **production
    )
    assert code == 2
    assert "demo keys" in err
    # An empty keys directory of its own, but the demo keys are the active ones in the database.
    code, _, err = await vanbang(
        settings, "serve", "--port", "1", VANBANG_KEYS_DIR=str(tmp_path / "own"), **production
    )
    assert code == 2
    assert "demo keys are active issuer keys" in err


def test_key_window_boundaries_are_whole_seconds() -> None:
    # The rotation cut-over second belongs to both keys (see docs/trust-list.md).
    from verifier.trust_list import TrustedKey

    key = load_private_pem(
        next((ROOT / "keys-example" / "keys").glob("*.pem")).read_bytes()
    ).public_key()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    trusted = TrustedKey(kid_for(key), "X", key, b"", start, start + timedelta(seconds=5))
    trusted.check_at(start)
    trusted.check_at(start + timedelta(seconds=5))


async def test_the_trust_list_is_not_rebuilt_per_request(
    settings: Settings, aiohttp_client: Any, db: asyncpg.Connection
) -> None:
    import dataclasses

    from service.app import create_app

    app = create_app(dataclasses.replace(settings, trust_refresh_seconds=3600))
    client = await aiohttp_client(app)
    first = (await client.get(TRUST)).headers["ETag"]
    await db.execute(
        "INSERT INTO issuers (code, name, kind, parent_code)"
        " VALUES ('SGDDT-HP', 'Sở GDĐT Hải Phòng', 'provincial_department', 'BGDDT')"
    )
    # Within VANBANG_TRUST_REFRESH_SECONDS the cached list answers without asking again.
    assert (await client.get(TRUST)).headers["ETag"] == first
