"""A personal identification number registered on a real `vanbang serve` never appears in
any public answer, QR code, log leaf or log line: everything a whole run answers and logs is
searched for it (issue 18, item 7)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
import json
from typing import Any

import aiohttp
from PIL import Image

from tests.conftest import AUDITOR, CLERK, bearer
from tests.factories import decision_request
from tests.qr import decode_qr
from tests.running import running_service
from verifier.token import token_from_text

# Both graduates of decision_request are born 01/05/2007, female.
NUMBERS = ("001307918273", "079307645190")


def _decoded(value: Any) -> list[str]:
    """Every base64 string within a JSON answer, decoded (a leaf's CBOR, a signed record):
    a number inside them would not show in the text as it is sent."""
    if isinstance(value, dict):
        return [d for v in value.values() for d in _decoded(v)]
    if isinstance(value, list):
        return [d for v in value for d in _decoded(v)]
    if isinstance(value, str) and len(value) >= 16:
        try:
            return [base64.b64decode(value, validate=True).decode("latin-1")]
        except (binascii.Error, ValueError):
            return []
    return []


def _never_in(corpus: str, number: str) -> None:
    assert number not in corpus
    assert number[3:] not in corpus  # the digits after the province code
    assert number.encode().hex() not in corpus.lower()
    assert number.encode().hex().upper() not in corpus


async def test_the_number_is_nowhere_in_a_whole_runs_answers_and_logs(db_url: str) -> None:
    corpus: list[str] = []
    revealed: list[str] = []

    async def keep(response: aiohttp.ClientResponse) -> bytes:
        body = await response.read()
        corpus.append(str(response.url))
        corpus.extend(f"{k}: {v}" for k, v in response.headers.items())
        corpus.append(body.decode("latin-1"))
        if response.content_type == "application/json":
            corpus.extend(_decoded(json.loads(body)))
        return body

    async with running_service(
        db_url, VANBANG_LOG_FORMAT="json", VANBANG_LOG_LEVEL="debug", VANBANG_DEMO="1"
    ) as server:
        base = server.base
        data: dict[str, Any] = decision_request(2)
        for graduate, number in zip(data["graduates"], NUMBERS, strict=True):
            graduate["personal_id"] = number
        staff = {**bearer(CLERK), "Idempotency-Key": "never-published"}
        async with aiohttp.ClientSession() as s:
            register = f"{base}/api/v1/graduation-decisions"
            async with s.post(f"{register}?validate_only=true", json=data, headers=staff) as r:
                assert r.status == 200
                await keep(r)
            for _ in range(2):  # the second is the idempotent replay
                async with s.post(register, json=data, headers=staff) as r:
                    assert r.status == 201, await r.text()
                    answer = await r.json()
                    await keep(r)
            # A refused one (the first graduate's number given for a man) answers the clerk
            # the field, not the number.
            wrong = decision_request(1, serial_prefix="W", number="101/QĐ-SGDĐT")
            wrong["graduates"][0].update(personal_id=NUMBERS[0], gender="male")
            async with s.post(register, json=wrong, headers=bearer(CLERK)) as r:
                assert r.status == 422
                await keep(r)
            diploma = answer["diplomas"][0]
            diploma_id, serial = diploma["id"], diploma["serial"]
            corpus.append(diploma["qr_url"])

            # Staff reading the diploma see it masked; the reveal is the one answer that holds
            # it, and is left out of the corpus (the server's log lines of it are not).
            async with s.get(f"{base}/api/v1/diplomas/{diploma_id}", headers=bearer(CLERK)) as r:
                body = await keep(r)
                assert b"\xe2\x80\xa2" * 8 + NUMBERS[0][-4:].encode() in body
            async with s.post(
                f"{base}/api/v1/diplomas/{diploma_id}/personal-id", headers=bearer(CLERK)
            ) as r:
                revealed.append((await r.json())["personal_id"])
            async with s.post(
                f"{base}/api/v1/diplomas/by-personal-id",
                json={"personal_id": NUMBERS[1]},
                headers=bearer(AUDITOR),
            ) as r:
                assert len((await r.json())["items"]) == 1
                await keep(r)

            # The QR code: its image decoded, its text, its token's bytes.
            async with s.get(
                f"{base}/api/v1/diplomas/{diploma_id}/qr.png", headers=bearer(CLERK)
            ) as r:
                qr = decode_qr(Image.open(io.BytesIO(await r.read())))
            token = token_from_text(qr)
            corpus += [qr, token.hex(), token.decode("latin-1")]
            path = qr[qr.index("/V/") :]

            # Everything public: the page the QR opens, the checks, the lookup, a receipt.
            async with s.get(f"{base}{path}") as r:
                assert r.status == 200
                await keep(r)
            async with s.get(f"{base}/api/v1/verify", params={"token": qr}) as r:
                await keep(r)
            async with s.post(f"{base}/api/v1/verify", json={"token": qr}) as r:
                await keep(r)
            lookup = {"serial": serial, "date_of_birth": "01/05/2007"}
            async with s.post(f"{base}/api/v1/lookup", json=lookup) as r:
                assert r.status == 200
                await keep(r)
            async with s.post(f"{base}/tra-cuu", data=lookup) as r:
                await keep(r)
            async with s.post(f"{base}/api/v1/receipts", json={"token": qr}) as r:
                assert r.status == 201, await r.text()
                receipt = (await r.json())["code"]
                await keep(r)
            async with s.get(f"{base}/api/v1/receipts/{receipt}") as r:
                await keep(r)
            async with s.get(f"{base}/bien-nhan/{receipt}") as r:
                await keep(r)
            csv = f"ma_qr\n{qr}\n".encode()
            async with s.post(
                f"{base}/api/v1/bulk-verify?name=ds.csv",
                data=csv,
                headers={"Content-Type": "text/csv"},
            ) as r:
                await keep(r)

            # The issuance log: wait for the registration's leaves, then read them all.
            for _ in range(200):
                async with s.get(f"{base}/log/leaves", params={"start": "0"}) as r:
                    leaves = await r.json()
                if any(leaf.get("diploma_id") == diploma_id for leaf in leaves["leaves"]):
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError(f"the registration never reached the log: {leaves}")
            async with s.get(f"{base}/log/leaves", params={"start": "0"}) as r:
                await keep(r)
            for endpoint in ("/log/checkpoint", "/log/key"):
                async with s.get(f"{base}{endpoint}") as r:
                    await keep(r)
            async with s.get(f"{base}/log/proof/inclusion", params={"index": "0"}) as r:
                await keep(r)
            async with s.get(
                f"{base}/api/v1/diplomas/{diploma_id}/bundle", headers=bearer(CLERK)
            ) as r:
                await keep(r)
            # What auditors export of the register, and the revocation lists and trust list.
            register_csv = f"{base}/api/v1/audit/issuers/SGDDT-HN/register.csv"
            async with s.get(register_csv, headers=bearer(AUDITOR)) as r:
                assert r.status == 200
                await keep(r)
            async with s.get(f"{base}/.well-known/vanbang/trust-list") as r:
                await keep(r)
    assert server.process.stdout is not None
    corpus.append((await server.process.stdout.read()).decode("utf-8", "replace"))
    logged = server.stderr.decode("utf-8", "replace")
    assert logged.count("request_finished") >= 20  # every request's line is there
    corpus.append(logged)

    assert revealed == [NUMBERS[0]]  # the number was there to be found
    text = "\n".join(corpus)
    assert diploma_id in text  # and the corpus is the run's
    assert serial in text
    for number in NUMBERS:
        _never_in(text, number)
