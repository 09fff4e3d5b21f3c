"""The staff journal: an entry for every kind of staff action, with who, when, what, which
record, the request id and the client's network; kept append-only by the database; read by
auditors and admins within their subtree only. And every register row records its account."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from service.domain.journal import client_network
from tests.conftest import ADMIN, AUDITOR, CLERK, bearer
from tests.factories import assert_problem, decision_request, lifecycle_requests
from tests.running import run_vanbang
from tests.staff import (
    ADMIN_LOGIN,
    AUDITOR_LOGIN,
    CLERK_LOGIN,
    code_for,
    code_step,
    enrolment_secret,
    journal_when,
    personal_token,
    post_sign_in,
    sign_in,
)

JOURNAL = "/api/v1/audit/journal"


async def _personal_token(client: Any, login: tuple[str, str]) -> str:
    return await personal_token(client, login, "journal test")


async def _journal(db: asyncpg.Connection) -> list[asyncpg.Record]:
    return list(await db.fetch("SELECT * FROM staff_journal ORDER BY id"))


def test_the_client_is_kept_as_its_network() -> None:
    assert client_network("203.0.113.77") == "203.0.113.0/24"
    assert client_network("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert client_network("::ffff:198.51.100.9") == "198.51.100.0/24"
    assert client_network("unknown") is None
    assert client_network(None) is None


async def test_every_staff_action_is_journaled_with_its_account(
    client: Any, db: asyncpg.Connection
) -> None:
    await post_sign_in(client, "canbo.hn", "a wrong password here")
    await post_sign_in(client, "nobody.at.all", "a wrong password here")
    token = await _personal_token(client, CLERK_LOGIN)
    clerk = await db.fetchval("SELECT id FROM accounts WHERE username = 'canbo.hn'")
    token_id = await db.fetchval("SELECT id FROM api_tokens WHERE label = 'journal test'")
    as_clerk = {"headers": {**bearer(token), "X-Request-ID": "req-journal-1"}}
    hn = "/api/v1/issuers/SGDDT-HN/blanks"
    received = await client.post(
        f"{hn}/receipts",
        json={
            "kind": "thpt",
            "first_serial": "T000001",
            "last_serial": "T000100",
            "received_on": "2025-06-01",
            "reference": "Phiếu xuất kho 17/2025",
        },
        **as_clerk,
    )
    assert received.status == 201, await received.text()
    spoiled = {"kind": "thpt", "serials": ["T000090"], "occurred_on": "2025-09-01", "reason": "x"}
    assert (await client.post(f"{hn}/spoiled", json=spoiled, **as_clerk)).status == 201
    destruction = {
        "kind": "thpt",
        "serials": ["T000090"],
        "minutes_number": "03/BB-HĐHP",
        "council": ["Nguyễn Văn Minh", "Lê Thị Hoa", "Phạm Văn Đức"],
        "reason": "Phôi hỏng",
        "method": "Cắt hủy bằng máy",
        "destroyed_on": "2025-12-01",
    }
    assert (await client.post(f"{hn}/destructions", json=destruction, **as_clerk)).status == 201
    decision = await client.post(
        "/api/v1/graduation-decisions", json=decision_request(4), **as_clerk
    )
    assert decision.status == 201
    registered = await decision.json()
    first, second, third, _ = (d["id"] for d in registered["diplomas"])
    diploma = "/api/v1/diplomas/{}/{}"
    for action, target, body in lifecycle_requests(first, first, third, second):
        response = await client.post(diploma.format(target, action), json=body, **as_clerk)
        assert response.status == 201, (action, await response.text())
    export = await client.get(
        "/api/v1/audit/issuers/SGDDT-HN/register.csv", headers=bearer(AUDITOR)
    )
    assert export.status == 200
    # Every register row the clerk's token made records the clerk.
    for table in (
        "graduation_decisions",
        "diplomas",
        "revocations",
        "corrections",
        "reissues",
        "certified_copies",
        "handovers",
        "blank_receipts",
        "blank_destructions",
        "blank_events",
    ):
        made_by = await db.fetch(f"SELECT DISTINCT recorded_by FROM {table}")  # noqa: S608
        assert [r["recorded_by"] for r in made_by] == [clerk], table
    # An operator token's rows record nobody: there is no person behind it.
    await client.post(
        "/api/v1/graduation-decisions",
        json=decision_request(1, number="9/QĐ", serial_prefix="Z"),
        headers=bearer(CLERK),
    )
    assert (
        await db.fetchval("SELECT recorded_by FROM graduation_decisions WHERE number = '9/QĐ'")
        is None
    )
    entries = await _journal(db)
    actions = [e["action"] for e in entries]
    for expected in (
        "sign_in.failed",
        "sign_in",
        "token.created",
        "blanks.received",
        "blanks.spoiled",
        "blanks.destroyed",
        "register.decision",
        "register.correction",
        "register.copy",
        "register.handover",
        "register.reissue",
        "register.revocation",
        "export.register",
    ):
        assert expected in actions, expected
    by_action: dict[str, Any] = {}
    for entry in entries:
        by_action.setdefault(entry["action"], entry)  # the first of each
    revocation = by_action["register.revocation"]
    assert (revocation["account_id"], revocation["token_id"]) == (clerk, token_id)
    assert revocation["issuer_code"] == "SGDDT-HN"
    assert (revocation["record_type"], revocation["record_id"]) == ("diploma", second)
    assert revocation["request_id"] == "req-journal-1"
    assert revocation["client"] == "127.0.0.0/24"
    decision_entry = by_action["register.decision"]
    assert decision_entry["record_id"] == registered["id"]
    failures = [e for e in entries if e["action"] == "sign_in.failed"]
    assert [f["account_id"] for f in failures] == [clerk, None]  # the unknown name: nobody
    assert "nobody.at.all" not in str([dict(f) for f in failures])  # names typed are not kept
    assert by_action["export.register"]["token_id"] is not None  # the auditor's demo token


async def test_sign_out_password_second_factor_and_token_changes_are_journaled(
    client: Any, db: asyncpg.Connection
) -> None:
    form = await sign_in(client, CLERK_LOGIN)
    clerk = await db.fetchval("SELECT id FROM accounts WHERE username = 'canbo.hn'")
    new = "mot cau rat dai de nho lam"
    changed = await client.post(
        "/doi-mat-khau",
        data={"form_token": form, "current": CLERK_LOGIN[1], "new": new, "repeated": new},
    )
    assert changed.status == 200
    page = await (await client.get("/tai-khoan/xac-thuc-hai-buoc")).text()
    secret = enrolment_secret(page)
    await client.post(
        "/tai-khoan/xac-thuc-hai-buoc",
        data={"form_token": form, "secret": secret, "code": code_for(secret)},
    )
    await client.post("/tai-khoan/ma-truy-cap", data={"form_token": form, "label": "x"})
    token_id = await db.fetchval("SELECT id FROM api_tokens WHERE label = 'x'")
    await client.post(f"/tai-khoan/ma-truy-cap/{token_id}/thu-hoi", data={"form_token": form})
    await client.post("/dang-xuat", data={"form_token": form})
    pending = await code_step(client, "canbo.hn", new)
    await client.post("/dang-nhap/ma-xac-thuc", data={"form_token": pending, "code": "000000"})
    await client.post(
        "/dang-nhap/ma-xac-thuc",
        data={"form_token": pending, "code": code_for(secret, ahead=1)},
    )
    await client.post(
        "/tai-khoan/xac-thuc-hai-buoc/tat", data={"form_token": pending, "off_password": new}
    )
    await client.post("/dang-xuat/moi-thiet-bi", data={"form_token": pending})
    entries = [e for e in await _journal(db) if e["account_id"] == clerk]
    assert [e["action"] for e in entries] == [
        "sign_in",
        "password.changed",
        "second_factor.enrolled",
        "token.created",
        "token.revoked",
        "sign_out",
        "sign_in.second_factor_failed",
        "sign_in",
        "second_factor.removed",
        "sign_out.everywhere",
    ]
    assert {e["issuer_code"] for e in entries} == {"SGDDT-HN"}
    assert entries[7]["detail"] == '{"with": "totp"}'


async def test_the_operator_key_commands_are_journaled(
    db_url: str, db: asyncpg.Connection, tmp_path: Any
) -> None:
    env = {"VANBANG_KEYS_DIR": str(tmp_path / "keys")}
    for args in (
        ("issuer", "add", "THCS-X", "--name", "Trường THCS X", "--kind", "school",
         "--parent", "SGDDT-HN"),
        ("key", "generate", "--issuer", "THCS-X"),
        ("key", "rotate", "--issuer", "THCS-X"),
        ("blanks", "track", "--issuer", "THCS-X", "on"),
        ("key", "root"),
        ("key", "log"),
        ("token", "create", "--role", "clerk", "--issuer", "THCS-X", "--label", "HR system"),
    ):  # fmt: skip
        code, _, err = await run_vanbang(db_url, *args, **env)
        assert code == 0, err
    kid = await db.fetchval(
        "SELECT kid FROM issuer_keys WHERE issuer_code = 'THCS-X' AND not_after IS NULL"
    )
    code, _, err = await run_vanbang(
        db_url,
        "key",
        "compromised",
        bytes(kid).hex(),
        "--since",
        "2026-01-01T00:00:00+07:00",
        **env,
    )
    assert code == 0, err
    rows = await db.fetch(
        "SELECT action, account_id, record_id FROM staff_journal WHERE issuer_code = 'THCS-X' "
        "ORDER BY id"
    )
    assert [r["action"] for r in rows] == [
        "key.generated",
        "key.generated",
        "key.rotated",
        "blanks.tracking",
        "token.created",
        "key.compromised",
    ]
    keys = await db.fetch("SELECT action FROM staff_journal WHERE issuer_code IS NULL")
    assert {r["action"] for r in keys} == {"key.root", "key.log"}
    assert {r["account_id"] for r in rows} == {None}  # the operator, on the server
    assert rows[-1]["record_id"] == bytes(kid).hex()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE staff_journal SET action = 'sign_out'",
        "DELETE FROM staff_journal",
        "TRUNCATE staff_journal",
    ],
)
async def test_the_database_refuses_to_change_the_journal(
    client: Any, db: asyncpg.Connection, statement: str
) -> None:
    await post_sign_in(client, *CLERK_LOGIN)
    before = await _journal(db)
    assert before
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await db.execute(statement)
    assert await _journal(db) == before


async def test_the_journal_is_read_within_a_subtree_only(
    client: Any, db: asyncpg.Connection
) -> None:
    await post_sign_in(client, *CLERK_LOGIN)  # SGDDT-HN
    client.session.cookie_jar.clear()
    await post_sign_in(client, *AUDITOR_LOGIN)  # BGDDT
    client.session.cookie_jar.clear()
    await db.execute(
        "INSERT INTO staff_journal (action, issuer_code) VALUES ('register.decision', 'DHSPHN')"
    )
    admin_token = await _personal_token(client, ADMIN_LOGIN)  # admin of SGDDT-HN
    # The ministry's auditor sees everything under the ministry.
    everything = await journal_when(client, bearer(AUDITOR), lambda page: len(page["entries"]) >= 5)
    assert {e["issuer"] for e in everything["entries"]} >= {"SGDDT-HN", "BGDDT", "DHSPHN"}
    # The department's admin sees its own subtree only.
    mine = await (await client.get(JOURNAL, headers=bearer(admin_token))).json()
    assert {e["issuer"] for e in mine["entries"]} == {"SGDDT-HN"}
    await assert_problem(
        await client.get(JOURNAL, params={"issuer": "DHSPHN"}, headers=bearer(admin_token)),
        404,
        "not-found",
    )
    # Clerks read no journal.
    await assert_problem(await client.get(JOURNAL, headers=bearer(CLERK)), 403, "forbidden")
    await assert_problem(await client.get(JOURNAL), 401, "unauthenticated")
    # Filters: by issuer, actor (id or username), action family, time; and pages.
    by_actor = await (
        await client.get(JOURNAL, params={"actor": "canbo.hn"}, headers=bearer(AUDITOR))
    ).json()
    assert {e["username"] for e in by_actor["entries"]} == {"canbo.hn"}
    signs = await (
        await client.get(JOURNAL, params={"action": "sign_in"}, headers=bearer(ADMIN))
    ).json()
    assert {e["action"] for e in signs["entries"]} <= {
        "sign_in",
        "sign_in.failed",
        "sign_in.second_factor_failed",
        "sign_in.recovery_code",
    }
    assert signs["entries"]
    later = await (
        await client.get(
            JOURNAL, params={"after": "2999-01-01T00:00:00+07:00"}, headers=bearer(ADMIN)
        )
    ).json()
    assert later["entries"] == []
    first = await (await client.get(JOURNAL, params={"limit": "2"}, headers=bearer(ADMIN))).json()
    assert len(first["entries"]) == 2
    rest = await (
        await client.get(JOURNAL, params={"cursor": first["next"]}, headers=bearer(ADMIN))
    ).json()
    seen = [e["id"] for e in first["entries"] + rest["entries"]]
    assert len(seen) == len(set(seen))
    bad = await client.get(JOURNAL, params={"after": "yesterday"}, headers=bearer(ADMIN))
    body = await assert_problem(bad, 422, "validation-error")
    assert body["errors"][0]["pointer"] == "#/after"


async def test_an_entry_committed_late_is_not_skipped(
    client: Any, db: asyncpg.Connection, db_url: str
) -> None:
    late = await asyncpg.connect(db_url)
    try:
        transaction = late.transaction()
        await transaction.start()
        await late.execute(
            "INSERT INTO staff_journal (action, issuer_code) VALUES ('sign_in', 'SGDDT-HN')"
        )  # id 1, not yet committed
        await db.execute(
            "INSERT INTO staff_journal (action, issuer_code) VALUES ('sign_out', 'SGDDT-HN')"
        )  # id 2, committed
        first = await (await client.get(JOURNAL, headers=bearer(ADMIN))).json()
        assert first["entries"] == []  # below the oldest running transaction only
        await transaction.commit()
    finally:
        await late.close()
    page = await journal_when(client, bearer(ADMIN), lambda p: len(p["entries"]) == 2)
    assert [e["action"] for e in page["entries"]] == ["sign_in", "sign_out"]


async def test_the_last_page_still_says_where_to_go_on_and_bad_cursors_are_refused(
    client: Any, db: asyncpg.Connection
) -> None:
    await db.execute("INSERT INTO staff_journal (action, issuer_code) VALUES ('sign_in', 'BGDDT')")
    page = await journal_when(client, bearer(ADMIN), lambda p: len(p["entries"]) == 1)
    end = await (
        await client.get(JOURNAL, params={"cursor": page["next"]}, headers=bearer(ADMIN))
    ).json()
    assert end["entries"] == []
    assert end["next"] == page["next"]  # nothing yet: the same place
    await db.execute("INSERT INTO staff_journal (action, issuer_code) VALUES ('sign_out', 'BGDDT')")
    later = await journal_when(
        client, bearer(ADMIN), lambda p: len(p["entries"]) == 1, {"cursor": end["next"]}
    )
    assert later["entries"][0]["action"] == "sign_out"
    for bad in ("x", "1", "².1", "1.99999999999999999999", f"{1 << 64}.1", "1.-1"):
        response = await client.get(JOURNAL, params={"cursor": bad}, headers=bearer(ADMIN))
        body = await assert_problem(response, 422, "validation-error")
        assert body["errors"][0]["pointer"] == "#/cursor"
    await assert_problem(
        await client.get(JOURNAL, params={"limit": "²"}, headers=bearer(ADMIN)),
        422,
        "validation-error",
    )
