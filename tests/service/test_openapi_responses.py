"""Every route of the service, driven through the test client: each JSON answer must match the
schema /openapi.json gives for its route, method and status (with no key the schema does not
name), every other answer must have the media type the document declares, and problems the
Problem schema. A route that is served but not driven here, or whose JSON answer has no schema,
fails the test."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import uuid
from typing import Any

import aiohttp
import asyncpg
import orjson
import pytest
from jsonschema import Draft202012Validator
from PIL import Image
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from service.db.accounts import add_token
from service.docsign.pades import sign_pdf
from service.domain.accounts import Role, new_token
from service.settings import Settings
from tests.conftest import ADMIN, AUDITOR, CLERK, bearer
from tests.factories import (
    decision_request,
    delete_behind_the_back,
    example,
    lifecycle_requests,
    sequenced,
    with_personal_ids,
)
from tests.qr import decode_qr
from tests.signing_tools import demo_doc_signer, small_pdf
from tests.staff import CLERK_LOGIN, code_for, enrolment_secret, form_token, journal_when, sign_in

URN = "urn:vanbang:openapi"
JSON = "application/json"
PROBLEM = "application/problem+json"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Room for every public request this test sends at once."""
    return dataclasses.replace(
        settings, rate_burst=1000, lookup_rate_burst=1000, open_rate_burst=1000
    )


def _strict(schema: Any) -> Any:
    """The schemas as the test reads them: an object with named properties has no others, so
    an answer with a key its model does not name fails as surely as one missing a key."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items()}
        if isinstance(schema.get("properties"), dict) and "additionalProperties" not in schema:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


def _pointer(*parts: str) -> str:
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _route_info(route: Any) -> tuple[str, str] | None:
    info = route.resource.get_info() if route.resource else {}
    path = info.get("path") or info.get("formatter")
    return (path, route.method) if path and route.method != "HEAD" else None


class Api:
    """Calls routes by their template, checking each answer against the document."""

    def __init__(self, client: Any, spec: dict[str, Any]) -> None:
        self.client = client
        self.spec = spec
        resource = DRAFT202012.create_resource(_strict(spec))
        self.registry = Registry().with_resource(URN, resource)
        self.called: set[tuple[str, str]] = set()
        self.json_checked: set[tuple[str, str]] = set()

    def validator(self, pointer: str) -> Any:
        return Draft202012Validator(
            {"$ref": f"{URN}#{pointer}"},
            registry=self.registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

    def errors(self, pointer: str, body: Any) -> list[str]:
        return [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in self.validator(pointer).iter_errors(body)
        ]

    def component(self, name: str) -> str:
        return _pointer("components", "schemas", name)

    def answer_schema(self, template: str, method: str, status: int, media: str) -> str:
        return _pointer(
            "paths", template, method, "responses", str(status), "content", media, "schema"
        )

    def declared_json(self) -> set[tuple[str, str]]:
        return {
            (path, method.upper())
            for path, ops in self.spec["paths"].items()
            for method, op in ops.items()
            if any(
                JSON in response.get("content", {})
                for status, response in op["responses"].items()
                if status != "default"
            )
        }

    async def call(
        self,
        method: str,
        template: str,
        args: dict[str, str] | None = None,
        *,
        expect: int = 200,
        **request: Any,
    ) -> Any:
        """The answer's JSON (checked against its schema), or its bytes (its media type
        checked); `expect` is the status it must have."""
        response = await self.client.request(
            method.upper(), template.format(**(args or {})), **request
        )
        body = await response.read()
        assert response.status == expect, (template, response.status, body[:800])
        self.called.add((template, method.upper()))
        responses = self.spec["paths"][template][method]["responses"]
        declared = responses[str(expect)]
        content = declared.get("content", {})
        if not content:  # a 304
            assert not body
            return body
        media = {key.split(";")[0].strip(): key for key in content}
        assert response.content_type in media, (template, response.content_type, list(content))
        if response.content_type != JSON:
            assert body, template
            return body
        data = orjson.loads(body)
        pointer = self.answer_schema(template, method, expect, JSON)
        assert not self.errors(pointer, data), (template, self.errors(pointer, data))
        self.json_checked.add((template, method.upper()))
        return data

    async def problem(
        self,
        method: str,
        template: str,
        args: dict[str, str] | None = None,
        *,
        expect: int,
        **request: Any,
    ) -> Any:
        """The problem's body, checked against the Problem schema the route declares."""
        response = await self.client.request(
            method.upper(), template.format(**(args or {})), **request
        )
        assert response.status == expect, await response.text()
        assert response.content_type == PROBLEM
        data = await response.json(content_type=None)
        pointer = _pointer(
            "paths", template, method, "responses", "default", "content", PROBLEM, "schema"
        )
        assert not self.errors(pointer, data), self.errors(pointer, data)
        return data


async def test_every_answer_matches_the_document(client: Any, db: asyncpg.Connection) -> None:
    spec = await (await client.get("/openapi.json")).json()
    api = Api(client, spec)
    clerk: dict[str, Any] = {"headers": bearer(CLERK)}
    auditor: dict[str, Any] = {"headers": bearer(AUDITOR)}
    hn = {"code": "SGDDT-HN"}

    # The service itself.
    await api.call("get", "/healthz")
    await api.call("get", "/metrics")
    ready = await api.call("get", "/readyz")
    assert ready["checks"]["database"] == "ok"
    await api.call("get", "/problems/{slug}", {"slug": "not-found"})
    await api.call("get", "/openapi.json")
    listed = await client.get("/.well-known/vanbang/trust-list")
    etag = listed.headers["ETag"]
    await api.call("get", "/.well-known/vanbang/trust-list")
    await api.call(
        "get", "/.well-known/vanbang/trust-list", expect=304, headers={"If-None-Match": etag}
    )

    # Blank forms: a range received, one blank spoiled and destroyed, the year's report.
    blanks = "/api/v1/issuers/{code}/blanks"
    await api.call(
        "post",
        f"{blanks}/receipts",
        hn,
        expect=201,
        json={
            "kind": "thpt",
            "first_serial": "T000001",
            "last_serial": "T000100",
            "received_on": "2025-06-01",
            "reference": "Phiếu xuất kho 17/2025",
        },
        **clerk,
    )
    spoil = {"kind": "thpt", "serials": ["T000090"], "occurred_on": "2025-09-01", "reason": "Lệch"}
    await api.call("post", f"{blanks}/spoiled", hn, expect=201, json=spoil, **clerk)
    destruction = {
        "kind": "thpt",
        "serials": ["T000090"],
        "minutes_number": "03/BB-HĐHP",
        "council": ["Nguyễn Văn Minh", "Lê Thị Hoa", "Phạm Văn Đức"],
        "reason": "Phôi hỏng",
        "method": "Cắt hủy bằng máy",
        "destroyed_on": "2025-12-01",
    }
    await api.call("post", f"{blanks}/destructions", hn, expect=201, json=destruction, **clerk)
    report = await api.call("get", blanks, hn, params={"year": "2025"}, **clerk)
    assert report["kinds"]

    # A decision checked first (validate only: nothing taken), then registered (and its
    # answer replayed), read back, printed.
    await api.call(
        "post",
        "/api/v1/graduation-decisions",
        params={"validate_only": "true"},
        json=decision_request(3),
        **clerk,
    )
    # A decision registered (and its answer replayed), read back, printed.
    idempotent: dict[str, Any] = {"headers": {**bearer(CLERK), "Idempotency-Key": "decision-1"}}
    registered = await api.call(
        "post", "/api/v1/graduation-decisions", expect=201, json=decision_request(3), **idempotent
    )
    replayed = await api.call(
        "post", "/api/v1/graduation-decisions", expect=201, json=decision_request(3), **idempotent
    )
    assert replayed == registered
    first, second, third = (d["id"] for d in registered["diplomas"])
    decision = {"id": registered["id"]}
    # A supplementary list under it: checked, then registered as its second part.
    parts = "/api/v1/graduation-decisions/{id}/parts"
    part = decision_request(1, serial_prefix="P")
    await api.call("post", parts, decision, params={"validate_only": "true"}, json=part, **clerk)
    added = await api.call("post", parts, decision, expect=201, json=part, **clerk)
    assert added["part"] == 2
    await api.call("get", "/api/v1/graduation-decisions/{id}", decision, **clerk)
    await api.call("get", "/api/v1/graduation-decisions/{id}/print.pdf", decision, **clerk)
    png = await api.call("get", "/api/v1/diplomas/{id}/qr.png", {"id": first}, **clerk)
    await api.call("get", "/api/v1/diplomas/{id}/qr.svg", {"id": first}, **clerk)
    await api.call("get", "/api/v1/diplomas/{id}/print.pdf", {"id": first}, **clerk)
    await api.call("get", "/api/v1/print-layouts", **clerk)
    calibration = "/api/v1/issuers/{code}/printer-calibration"
    await api.call("get", calibration, {"code": "SGDDT-HN"}, **clerk)
    setting = {"offset_x_mm": 1.5, "offset_y_mm": -0.5, "scale": 1.0}
    await api.call("put", calibration, {"code": "SGDDT-HN"}, json=setting, **clerk)
    await api.call(
        "get",
        "/api/v1/issuers/{code}/calibration.pdf",
        {"code": "SGDDT-HN"},
        params={"layout": "pho-thong"},
        **clerk,
    )
    token_text = decode_qr(Image.open(io.BytesIO(png)))

    # Every lifecycle event, then each diploma with its history.
    diploma = "/api/v1/diplomas/{id}"
    events = lifecycle_requests(first, first, third, second)
    answers = {}
    for action, target, body in events:
        answers[action] = await api.call(
            "post", f"{diploma}/{action}", {"id": target}, expect=201, json=body, **clerk
        )
    reissued = answers["reissues"]["diploma"]["id"]
    copy = {"id": first, "copy_id": answers["copies"]["id"]}
    await api.call("get", "/api/v1/diplomas/{id}/copies/{copy_id}.pdf", copy, **clerk)
    for target in (first, second, third, reissued):
        read = await api.call("get", diploma, {"id": target}, **clerk)
    assert read["lifecycle"]["replaces"]["id"] == third

    # Finding decisions and diplomas, a page at a time; a bad filter is a problem.
    found = await api.call(
        "get", "/api/v1/diplomas", params={"q": "tran thi", "limit": "2"}, **clerk
    )
    assert found["next"] is not None
    assert {i["state"] for i in found["items"]} <= {"in_force", "corrected", "replaced"}
    await api.call("get", "/api/v1/diplomas", params={"handed_over": "true"}, **auditor)
    decisions = await api.call(
        "get", "/api/v1/graduation-decisions", params={"limit": "1"}, **clerk
    )
    assert decisions["items"][0]["id"] == registered["id"]
    await api.problem("get", "/api/v1/diplomas", expect=400, params={"born": "31/02/2007"}, **clerk)

    # Custody: the demo district office's register passes to the department (docs/custody.md).
    transfer = {
        "to": "SGDDT-HN",
        "effective_on": "2025-07-01",
        "legal_basis": "Thông tư 13/2025/TT-BGDĐT",
        "reason": "Tổ chức chính quyền địa phương hai cấp",
    }
    moved = await api.call(
        "post",
        "/api/v1/issuers/{code}/custody-transfers",
        {"code": "PGDDT-BD"},
        expect=201,
        json=transfer,
        headers=bearer(ADMIN) | {"Idempotency-Key": "custody-1"},
    )
    assert moved["to_custodian"] == "SGDDT-HN"
    held = await api.call("get", "/api/v1/issuers/{code}/custody", {"code": "PGDDT-BD"}, **clerk)
    assert held["custodian"] == "SGDDT-HN"

    # What is published of revocations.
    await api.call("get", "/api/v1/issuers/{code}/revocations", hn)
    await api.call("get", "/thu-hoi/{code}", hn)

    # The issuance log.
    await sequenced(client)
    await api.call("get", "/log/checkpoint")
    await api.call("get", "/log/key")
    inclusion = await api.call("get", "/log/proof/inclusion", params={"index": "0"})
    await api.call("get", "/log/proof/inclusion", params={"hash": inclusion["leaf_hash"]})
    consistency = await api.call("get", "/log/proof/consistency", params={"from": "1"})
    assert consistency["from"] == 1
    await api.call("get", "/log/leaves", params={"start": "1", "limit": "3"})
    # A partial tile of one leaf (the log holds more): the tiles are tests/service/test_log_tiles.
    await api.call("get", "/log/tile/{level}/{index}", {"level": "0", "index": "000.p/1"})
    await api.call("get", "/log/tile/entries/{index}", {"index": "000.p/1"})
    await api.problem(
        "get", "/log/tile/{level}/{index}", {"level": "9", "index": "000"}, expect=404
    )
    await api.call("get", f"{diploma}/bundle", {"id": first}, **clerk)
    await api.call("get", f"{diploma}/proof", {"id": first}, **clerk)
    await api.call("get", "/log/proof", params={"index": "0"})

    # Public verification: the API, the lookup, the pages.
    await api.call("get", "/api/v1/verify", params={"token": token_text})
    await api.call("get", "/api/v1/verify", params={"token": "not a token", "lang": "en"})
    await api.call("post", "/api/v1/verify", json={"token": token_text})
    lookup = {"serial": "T000002", "date_of_birth": "2007-05-01"}
    revoked = await api.call("post", "/api/v1/lookup", json=lookup)
    assert revoked["verdict"] == "revoked"
    token = token_text[token_text.index("/V/") + 3 :]
    await api.call("get", "/V/{token}", {"token": token})
    await api.call("get", "/v/{token}", {"token": token})
    # Verification receipts: made from the result page's form and the API, read and printed.
    made = await api.call("post", "/api/v1/receipts", expect=201, json={"token": token_text})
    receipt = {"code": made["code"]}
    await api.call("get", "/api/v1/receipts/{code}", receipt)
    await api.call("get", "/bien-nhan/{code}", receipt)
    await api.call("get", "/BIEN-NHAN/{code}", receipt)
    await api.call("get", "/bien-nhan/{code}.pdf", receipt)
    unknown = {"code": "ABCD-EFGH-JKMN"}
    await api.call("get", "/bien-nhan/{code}", unknown, expect=404)
    await api.call("get", "/BIEN-NHAN/{code}", unknown, expect=404)
    await api.problem("get", "/api/v1/receipts/{code}", unknown, expect=404)
    await api.call("post", "/bien-nhan", expect=303, data={"token": token}, allow_redirects=False)
    home = await client.get("/")
    await api.call("get", "/")
    await api.call("get", "/", expect=304, headers={"If-None-Match": home.headers["ETag"]})
    form = await client.get("/tra-cuu")
    await api.call("get", "/tra-cuu")
    await api.call("get", "/tra-cuu", expect=304, headers={"If-None-Match": form.headers["ETag"]})
    await api.call("post", "/tra-cuu", data=lookup)
    await api.call("post", "/tra-cuu", expect=422, data={"serial": "", "date_of_birth": "x"})
    await api.call("get", "/static/{name}", {"name": "public.css"})
    await api.call("get", "/kiem-tra-hang-loat")
    # The digital diploma check: a PDF signed with a demo certificate, with no record.
    signed = await asyncio.to_thread(sign_pdf, small_pdf(), demo_doc_signer("SGDDT-HN"))
    pdf = {"Content-Type": "application/pdf"}
    checked = await api.call("post", "/api/v1/verify-pdf", data=signed.pdf, headers=pdf)
    assert checked["verdict"] == "not_genuine"
    await api.call("get", "/kiem-tra-van-bang-so")
    pdf_form = aiohttp.FormData()
    pdf_form.add_field("file", signed.pdf, filename="a.pdf", content_type="application/pdf")
    await api.call("post", "/kiem-tra-van-bang-so", data=pdf_form)
    not_pdf = aiohttp.FormData()
    not_pdf.add_field("file", b"hello", filename="a.txt", content_type="text/plain")
    await api.call("post", "/kiem-tra-van-bang-so", expect=422, data=not_pdf)
    qr_file = f"ma_qr\r\n{token_text}\r\n".encode()
    upload = aiohttp.FormData()
    upload.add_field("file", qr_file, filename="qr.csv", content_type="text/csv")
    await api.call("post", "/kiem-tra-hang-loat", data=upload)
    empty = aiohttp.FormData()
    empty.add_field("file", b"a,b\r\n1,2\r\n", filename="x.csv", content_type="text/csv")
    await api.call("post", "/kiem-tra-hang-loat", expect=422, data=empty)
    await api.call(
        "post", "/api/v1/bulk-verify", data=qr_file, headers={"Content-Type": "text/csv"}
    )

    # The auditors' views.
    audit = "/api/v1/audit/issuers/{code}"
    page = await api.call("get", f"{audit}/register", hn, params={"limit": "3"}, **auditor)
    assert page["next"] is not None
    rest = await api.call("get", f"{audit}/register", hn, params={"after": page["next"]}, **auditor)
    entries = {e["serial"]: e for e in page["entries"] + rest["entries"]}
    assert entries["T000001"]["corrections"]
    assert entries["T000001"]["copies"]
    assert entries["T000001"]["handover"]["recipient_name"] == "Trần Thị Bính"
    assert entries["T000002"]["revocation"]
    assert entries["T000003"]["replaced_by"] == "T900001"
    await api.call("get", f"{audit}/register.csv", hn, **auditor)
    await api.call("get", f"{audit}/register.xlsx", hn, params={"year": "2025"}, **auditor)
    stream = await api.call("get", f"{audit}/events", hn, params={"limit": "50"}, **auditor)
    assert {e["type"] for e in stream["events"]} >= {"issue", "blanks_received", "revocation"}
    # The national database export: a page, the next from its cursor, the refusals.
    national = "/api/v1/national-export"
    exported = await api.call("get", national, params={"limit": "5"}, **auditor)
    assert exported["more"]
    assert {r["record_type"] for r in exported["records"]} >= {"registration", "correction"}
    following = await api.call("get", national, params={"after": exported["next"]}, **auditor)
    assert following["records"]
    await api.problem("get", national, expect=400, params={"after": "x"}, **auditor)
    await api.problem("get", national, expect=400, params={"limit": "5000"}, **auditor)
    await api.problem("get", national, expect=403, **clerk)
    await api.problem("get", national, expect=404, params={"issuer": "NOPE"}, **auditor)

    # Anomalies of every type the data can show (see tests/service/test_audit.py).
    more = await api.call(
        "post",
        "/api/v1/graduation-decisions",
        expect=201,
        json=decision_request(10, number="101/QĐ-SGDĐT", serial_prefix="U"),
        **clerk,
    )
    university = decision_request(4, kind="bachelor", issuer="DHSPHN", serial_prefix="D")
    university["diploma"]["major"] = "Sư phạm Toán"
    await api.call(
        "post",
        "/api/v1/graduation-decisions",
        expect=201,
        json=university,
        headers=bearer(ADMIN),
    )
    # One person's certificate from the department and from the university.
    for issuer, token in (("SGDDT-HN", CLERK), ("DHSPHN", ADMIN)):
        certificate = decision_request(
            1, kind="certificate", issuer=issuer, number="7/QĐ-CC", serial_prefix="CC"
        )
        await api.call(
            "post",
            "/api/v1/graduation-decisions",
            expect=201,
            json=certificate,
            headers=bearer(token),
        )
    for d in more["diplomas"][:3]:
        await api.call(
            "post",
            f"{diploma}/revocations",
            {"id": d["id"]},
            expect=201,
            json={**events[3][2], "decision_number": f"46-{d['serial']}/QĐ"},
            **clerk,
        )
    await delete_behind_the_back(db, more["diplomas"][5]["id"])
    await db.execute(
        "UPDATE issuer_keys SET compromised_since = '2020-01-01' WHERE issuer_code = 'DHSPHN'"
    )
    await db.execute("UPDATE issuers SET tracks_blanks = true WHERE code = 'SGDDT-HN'")
    report = await api.call("get", f"{audit}/anomalies", {"code": "BGDDT"}, **auditor)
    assert {a["type"] for a in report["anomalies"]} >= {
        "register_gap",
        "blanks_unaccounted",
        "late_issuance",
        "revoked_rate",
        "signed_by_compromised_key",
        "same_person_other_issuer",
    }

    # People: the accounts API, the staff pages, the journal.
    admin_token: dict[str, Any] = {"headers": bearer(ADMIN)}
    who = await api.call("get", "/api/v1/me", **clerk)
    assert who["role"] == "clerk"
    listed_accounts = await api.call("get", "/api/v1/accounts", **admin_token)
    assert listed_accounts["accounts"]
    person = {"username": "hoa.nguyen", "display_name": "Nguyễn Thị Hoa", "role": "clerk"}
    new = await api.call(
        "post",
        "/api/v1/accounts",
        expect=201,
        json={**person, "issuer": "THPT-CVA"},
        **admin_token,
    )
    account = {"id": new["account"]["id"]}
    await api.call("get", "/api/v1/accounts/{id}", account, **admin_token)
    await api.call("post", "/api/v1/accounts/{id}/disable", account, **admin_token)
    await api.call("post", "/api/v1/accounts/{id}/enable", account, **admin_token)
    reset = await api.call(
        "post", "/api/v1/accounts/{id}/reset-password", account, json={}, **admin_token
    )
    no_redirect: dict[str, Any] = {"allow_redirects": False}
    await api.call("get", "/dang-nhap")
    await api.call("get", "/tai-khoan", expect=303, **no_redirect)
    signed_in_form = form_token(await (await client.get("/dang-nhap")).text())
    login = {"form_token": signed_in_form, "username": "hoa.nguyen"}
    await api.call("post", "/dang-nhap", expect=422, data={**login, "password": ""})
    await api.call("post", "/dang-nhap", expect=401, data={**login, "password": "wrong one"})
    await api.call(
        "post",
        "/dang-nhap",
        expect=303,
        data={**login, "password": reset["temporary_password"]},
        **no_redirect,
    )
    await api.call("get", "/doi-mat-khau")
    session_form = form_token(await (await client.get("/doi-mat-khau")).text())
    change = {"form_token": session_form, "current": reset["temporary_password"]}
    await api.call("post", "/doi-mat-khau", expect=422, data={**change, "new": "short"})
    new_password = "hoa mi hot tren canh cay xanh"
    await api.call(
        "post",
        "/doi-mat-khau",
        expect=303,
        data={**change, "new": new_password, "repeated": new_password},
        **no_redirect,
    )
    await api.call("get", "/tai-khoan")
    await api.call("get", "/tai-khoan/ma-truy-cap")
    tokens_form = {"form_token": session_form}
    await api.call("post", "/tai-khoan/ma-truy-cap", expect=422, data={**tokens_form, "label": ""})
    created = await api.call(
        "post", "/tai-khoan/ma-truy-cap", data={**tokens_form, "label": "HR", "days": "30"}
    )
    token_id = await db.fetchval("SELECT id FROM api_tokens WHERE label = 'HR'")
    await api.call(
        "post",
        "/tai-khoan/ma-truy-cap/{id}/thu-hoi",
        {"id": str(token_id)},
        expect=303,
        data=tokens_form,
        **no_redirect,
    )
    assert b"vb_" in created
    enrol_page = await api.call("get", "/tai-khoan/xac-thuc-hai-buoc")
    secret = enrolment_secret(enrol_page.decode())
    enrol = {"form_token": session_form, "secret": secret}
    await api.call("post", "/tai-khoan/xac-thuc-hai-buoc", expect=422, data={**enrol, "code": "1"})
    await api.call("post", "/tai-khoan/xac-thuc-hai-buoc", data={**enrol, "code": code_for(secret)})
    await api.call("post", "/dang-xuat", expect=303, data=tokens_form, **no_redirect)
    # Again, now with the second factor; then it is turned off, and every device signed out.
    login["form_token"] = form_token(await (await client.get("/dang-nhap")).text())
    await client.post("/dang-nhap", data={**login, "password": new_password}, **no_redirect)
    second_page = await api.call("get", "/dang-nhap/ma-xac-thuc")
    second = {"form_token": form_token(second_page.decode())}
    await api.call("post", "/dang-nhap/ma-xac-thuc", expect=401, data={**second, "code": "000000"})
    await api.call(
        "post",
        "/dang-nhap/ma-xac-thuc",
        expect=303,
        data={**second, "code": code_for(secret, ahead=1)},
        **no_redirect,
    )
    off = "/tai-khoan/xac-thuc-hai-buoc/tat"
    await api.call("post", off, expect=422, data={**second, "off_password": "not it"})
    await api.call(
        "post", off, expect=303, data={**second, "off_password": new_password}, **no_redirect
    )
    await api.call("post", "/dang-xuat/moi-thiet-bi", expect=303, data=second, **no_redirect)
    await journal_when(  # readable once older transactions end (docs/accounts.md)
        client,
        bearer(AUDITOR),
        lambda page: "account.created" in {e["action"] for e in page["entries"]},
        {"limit": "500"},
    )
    journal = await api.call("get", "/api/v1/audit/journal", params={"limit": "500"}, **auditor)
    yearly = "/api/v1/audit/issuers/{code}/reports/{year}"
    await api.call("get", yearly, {"code": "BGDDT", "year": "2025"}, **auditor)
    await api.problem("get", yearly, {"code": "BGDDT", "year": "25"}, expect=400, **auditor)
    assert "account.created" in {e["action"] for e in journal["entries"]}
    signed_in = await api.call(
        "get", "/api/v1/audit/journal", params={"action": "sign_in"}, **auditor
    )
    assert "sign_in" in {e["action"] for e in signed_in["entries"]}

    # The clerk's console, as the demo clerk: a list checked, previewed, discarded; another
    # registered; a decision's and a diploma's pages, the sheet and the QR codes.
    await db.execute("UPDATE issuers SET tracks_blanks = false WHERE code = 'SGDDT-HN'")
    client.session.cookie_jar.clear()
    await api.call("get", "/mau/danh-sach-tot-nghiep.xlsx", expect=303, **no_redirect)
    console_form = {"form_token": await sign_in(client, CLERK_LOGIN)}
    await api.call("get", "/mau/danh-sach-tot-nghiep.xlsx")
    await api.call("get", "/quan-ly")
    await api.call("get", "/quan-ly/dang-ky")
    staged = []
    for n in range(2):
        upload = aiohttp.FormData(console_form)
        listed = example("csv").replace(b"HN25-", f"Q{n}25-".encode())
        upload.add_field("file", listed.replace(b"2150/", f"9{n}/".encode()), filename="a.csv")
        checked = await client.post("/quan-ly/dang-ky", data=upload, **no_redirect)
        assert checked.status == 303, await checked.text()
        staged.append({"id": checked.headers["Location"].rsplit("/", 1)[1]})
    bad = aiohttp.FormData(console_form)
    bad.add_field("file", b"not a list", filename="x.csv")
    await api.call("post", "/quan-ly/dang-ky", expect=422, data=bad)
    typed = {**console_form, "action": "add_rows", "rows": "5"}
    await api.call("post", "/quan-ly/dang-ky/nhap-tay", data=typed)
    await api.call("get", "/quan-ly/dang-ky/{id}", staged[0])
    await api.call(
        "post", "/quan-ly/dang-ky/{id}/huy", staged[0], expect=303, data=console_form, **no_redirect
    )
    done = await api.call(
        "post",
        "/quan-ly/dang-ky/{id}/xac-nhan",
        staged[1],
        expect=303,
        data=console_form,
        **no_redirect,
    )
    assert done == b""
    console_decision = await db.fetchval(
        "SELECT decision_id FROM staged_decisions WHERE id = $1", uuid.UUID(staged[1]["id"])
    )
    shown = {"id": str(console_decision)}
    # A background job of the clerk's (docs/jobs.md; tests/service/test_jobs.py runs them):
    # its page, and its answer to a token of the clerk's own.
    clerk_id = await db.fetchval("SELECT id FROM accounts WHERE username = $1", CLERK_LOGIN[0])
    job = {"id": str(uuid.uuid4())}
    await db.execute(
        "INSERT INTO jobs (id, account_id, issuer_code, kind, state, done_rows, total_rows,"
        " decision_id, finished_at) VALUES ($1, $2, 'SGDDT-HN', 'register_list', 'done', 30, 30,"
        " $3, now())",
        uuid.UUID(job["id"]),
        clerk_id,
        console_decision,
    )
    await api.call("get", "/quan-ly/viec/{id}", job)
    personal = new_token()
    await add_token(db, personal, Role.CLERK, "SGDDT-HN", account_id=clerk_id)
    answered = await api.call("get", "/api/v1/jobs/{id}", job, headers=bearer(personal))
    assert answered["result"] == f"/api/v1/graduation-decisions/{console_decision}"
    await api.call("get", "/quan-ly/quyet-dinh/{id}", shown)
    await api.call("get", "/quan-ly/quyet-dinh/{id}/in.pdf", shown)
    await api.call("get", "/quan-ly/quyet-dinh/{id}/so-goc.xlsx", shown)
    printed = await api.call(
        "post", "/quan-ly/quyet-dinh/{id}/in", shown, expect=303, data=console_form, **no_redirect
    )
    assert printed == b""
    print_job = await db.fetchval("SELECT id FROM jobs WHERE kind = 'print_decision'")
    await db.execute(
        "UPDATE jobs SET state = 'done', finished_at = now() WHERE id = $1; ", print_job
    )
    await db.execute(
        "INSERT INTO job_files (job_id, media_type, file_name, content)"
        " VALUES ($1, 'application/pdf', 'a.pdf', '%PDF-1.7')",
        print_job,
    )
    await api.call("get", "/quan-ly/viec/{id}/tep", {"id": str(print_job)})
    made = {"id": str(print_job)}
    await api.call("get", "/api/v1/jobs/{id}/file", made, headers=bearer(personal))
    queued = await api.call(
        "post",
        "/api/v1/graduation-decisions/{id}/print-jobs",
        shown,
        expect=202,
        json={"document": "check"},
        headers=bearer(personal),
    )
    assert queued["document"] == "check"
    one = {
        "id": str(
            await db.fetchval(
                "SELECT id FROM diplomas WHERE decision_id = $1 LIMIT 1", console_decision
            )
        )
    }
    await api.call("get", "/quan-ly/van-bang/{id}", one)
    # Digital diplomas: a TT21 decision has none (the problem); a TT10 one's are made by a
    # job; a document made is served.
    digital = "/api/v1/graduation-decisions/{id}/digital-diplomas"
    await api.problem("post", digital, shown, expect=422, headers=bearer(personal))
    tt10 = with_personal_ids(
        decision_request(1, kind="certificate", issued_on="2026-06-05", serial_prefix="G")
    )
    tt10["decision"].update(number="8/QĐ-SGDĐT", date="2026-06-05")
    tt10["diploma"]["graduation_year"] = 2026
    del tt10["diploma"]["regulation"]
    certificates = await api.call(
        "post", "/api/v1/graduation-decisions", expect=201, json=tt10, **clerk
    )
    under_tt10 = {"id": certificates["id"]}
    await api.call("post", digital, under_tt10, expect=202, headers=bearer(personal))
    await api.call(
        "post",
        "/quan-ly/quyet-dinh/{id}/van-bang-so",
        under_tt10,
        expect=303,
        data=console_form,
        **no_redirect,
    )
    await db.execute(
        "INSERT INTO digital_diplomas (diploma_id, version, pdf, sha256, level)"
        " VALUES ($1, 1, '%PDF-1.7', decode(repeat('00', 32), 'hex'), 'B-B')",
        uuid.UUID(one["id"]),
    )
    await api.call("get", "/api/v1/diplomas/{id}/digital.pdf", one, headers=bearer(personal))
    await api.call("get", "/quan-ly/van-bang/{id}/van-bang-so.pdf", one)
    await api.call("get", "/quan-ly/quyet-dinh", params={"q": "9"})
    await api.call("get", "/quan-ly/quyet-dinh", expect=400, params={"year": "x"})
    await api.call("get", "/quan-ly/van-bang", params={"q": "nguyen"})
    await api.call("get", "/quan-ly/van-bang", expect=400, params={"born": "x"})
    await api.call("get", "/quan-ly/van-bang/{id}/qr.svg", one)
    await api.call("get", "/quan-ly/van-bang/{id}/qr.png", one)
    await api.call("get", "/quan-ly/van-bang/{id}/in.pdf", one, params={"document": "blank"})
    copied = await api.call(
        "post",
        "/api/v1/diplomas/{id}/copies",
        one,
        expect=201,
        json=lifecycle_requests(one["id"], one["id"], one["id"], one["id"])[1][2],
        headers=bearer(CLERK),
    )
    copy_of_one = {**one, "copy_id": copied["id"]}
    await api.call("get", "/quan-ly/van-bang/{id}/ban-sao/{copy_id}.pdf", copy_of_one)
    await api.call("get", "/quan-ly/may-in")
    await api.call("post", "/quan-ly/may-in", expect=422, data={**console_form, "scale": "x"})
    calibrated = {**console_form, "offset_x": "1,5", "offset_y": "0", "scale": "1"}
    await api.call("post", "/quan-ly/may-in", expect=303, data=calibrated, **no_redirect)
    await api.call("get", "/quan-ly/may-in/can-chinh.pdf", params={"layout": "chung-chi"})
    await sequenced(client)  # the issuance log as staff see it: the bundle once logged
    await api.call("get", "/quan-ly/van-bang/{id}/bang-chung.json", one)
    await api.call("get", "/quan-ly/van-bang/{id}/bang-chung.tlog-proof", one)
    hand = {**one, "action": "ban-giao"}
    await api.call("get", "/quan-ly/van-bang/{id}/{action}", hand)
    await api.call("post", "/quan-ly/van-bang/{id}/{action}", hand, expect=422, data=console_form)
    handed = {"recipient_name": "Trần Văn An", "relation": "holder", "handed_over_by": "Lan"}
    handed["handed_over_on"] = "01/09/2025"
    await api.call("post", "/quan-ly/van-bang/{id}/{action}", hand, data={**console_form, **handed})
    await api.call("get", "/quan-ly/phoi")
    html = {"headers": {"Accept": "text/html"}}
    await api.call("get", "/giam-sat", expect=403, **html)  # a clerk works in the console
    await api.call("get", "/giam-sat/bat-thuong", expect=403, **html)
    await api.call("get", "/giam-sat/nhat-ky", expect=403, **html)
    await api.call("get", "/giam-sat/nhat-ky.csv", expect=403, **html)
    await api.call("get", "/quan-ly/tra-cuu-hang-loat")
    lookups = aiohttp.FormData()
    lookups.add_field("form_token", console_form["form_token"])
    lookups.add_field("purpose", "Xác minh hồ sơ tuyển dụng")
    lookups.add_field("file", b"so hieu,ngay sinh\r\nT000001,01/05/2007\r\n", filename="a.csv")
    await api.call("post", "/quan-ly/tra-cuu-hang-loat", data=lookups)
    unstated = aiohttp.FormData()
    unstated.add_field("form_token", console_form["form_token"])
    unstated.add_field("file", b"so hieu,ngay sinh\r\n", filename="a.csv")
    await api.call("post", "/quan-ly/tra-cuu-hang-loat", expect=422, data=unstated)
    # The holders' personal identification numbers (docs/register.md): shown whole on a
    # POST, looked up by a POST, in the API and the console.
    numbered = decision_request(1, serial_prefix="PID", number="77/QĐ-SGDĐT")
    numbered["graduates"][0]["personal_id"] = "001307004217"
    made = await client.post("/api/v1/graduation-decisions", json=numbered, headers=bearer(CLERK))
    assert made.status == 201, await made.text()
    pid = {"id": (await made.json())["diplomas"][0]["id"]}
    await api.call("post", "/api/v1/diplomas/{id}/personal-id", pid, **clerk)
    by_number = {"personal_id": "001307004217"}
    await api.call("post", "/api/v1/diplomas/by-personal-id", json=by_number, **clerk)
    await api.call("get", "/quan-ly/tra-cuu-dinh-danh")
    await api.call("post", "/quan-ly/tra-cuu-dinh-danh", data={**console_form, **by_number})
    await api.call(
        "post", "/quan-ly/tra-cuu-dinh-danh", expect=422, data={**console_form, "personal_id": "1"}
    )
    await api.call("post", "/quan-ly/van-bang/{id}/dinh-danh", pid, data=console_form)
    await api.call("get", "/giam-sat/so-goc", expect=403, **html)
    await api.call("get", "/giam-sat/so-goc.xlsx", expect=403, **html)
    await api.call("get", "/giam-sat/so-goc.csv", expect=403, **html)
    await api.call("get", "/giam-sat/bao-cao", expect=403, **html)
    await api.call("get", "/giam-sat/bao-cao.xlsx", expect=403, **html)
    await api.call("get", "/giam-sat/bao-cao.pdf", expect=403, **html)
    await api.call("get", "/giam-sat/nhat-ky-phat-hanh", expect=403, **html)
    await api.call(
        "post", "/giam-sat/bat-thuong", expect=403, data={**console_form, "key": "x"}, **html
    )
    receive = {"action": "nhan-phoi"}
    await api.call("get", "/quan-ly/phoi/{action}", receive)
    received = {"kind": "thpt", "first_serial": "B000001", "last_serial": "B000009"}
    received |= {"received_on": "01/06/2025", "reference": "PGP 1"}
    await api.call("post", "/quan-ly/phoi/{action}", receive, expect=422, data=console_form)
    await api.call("post", "/quan-ly/phoi/{action}", receive, data={**console_form, **received})

    # Problems answer in the Problem shape.
    missing = await api.problem("get", diploma, {"id": str(uuid.uuid4())}, expect=404, **clerk)
    invalid = await api.problem("get", blanks, hn, expect=422, **clerk)
    assert invalid["errors"][0]["pointer"]

    # Every route was driven, and every JSON answer the document declares was checked.
    served = {info for route in client.app.router.routes() if (info := _route_info(route))}
    assert api.called == served, served ^ api.called
    assert api.json_checked == api.declared_json(), api.json_checked ^ api.declared_json()

    # The schemas hold the answers to what they are: a key missing, a key too many, a value
    # of the wrong form, an unknown anomaly all fail.
    schema = api.answer_schema(diploma, "get", 200, JSON)
    assert not api.errors(schema, read)
    assert api.errors(schema, {k: v for k, v in read.items() if k != "serial"})
    assert api.errors(schema, {**read, "id_document_number": "001085012345"})
    assert api.errors(schema, {**read, "personal_id": "001307004217"})  # only ever masked
    assert api.errors(schema, {**read, "issued_at": "yesterday"})
    assert api.errors(schema, {**read, "signature": {**read["signature"], "kid": "not hex"}})
    anomalies = api.answer_schema(f"{audit}/anomalies", "get", 200, JSON)
    assert api.errors(anomalies, {**report, "anomalies": [{**report["anomalies"][0], "type": "x"}]})
    problem = api.component("Problem")
    assert not api.errors(problem, missing)
    assert api.errors(problem, {k: v for k, v in missing.items() if k != "status"})
