"""The verification API and `vanbang-verify --online`, against the real register."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import aiohttp
from PIL import Image

from service.keystore import KeyStore
from service.resources import demo_dir
from tests.conftest import CLERK, ROOT, bearer
from tests.factories import (
    assert_problem,
    decision_request,
    lifecycle_requests,
    sequenced,
    step,
)
from tests.qr import decode_qr
from tests.running import run_verifier, running_service
from verifier.cose import parse_sign1, sign1
from verifier.token import decode_token, encode_token, token_from_text, token_url

URL = "/api/v1/graduation-decisions"
ROOT_KEY = str(ROOT / "keys-example" / "root.pub.pem")


async def _qr_text(client: Any, count: int = 2) -> tuple[str, dict[str, Any]]:
    response = await client.post(URL, json=decision_request(count), headers=bearer(CLERK))
    assert response.status == 201
    body = await response.json()
    png = await client.get(
        f"/api/v1/diplomas/{body['diplomas'][0]['id']}/qr.png", headers=bearer(CLERK)
    )
    return decode_qr(Image.open(io.BytesIO(await png.read()))), body


def _resigned(text: str, **changes: Any) -> str:
    """The same token with fields changed, signed again with the (public) demo key."""
    message = parse_sign1(token_from_text(text))
    fields = {**decode_token(message.payload), **changes}
    key = KeyStore(Path("/nonexistent"), demo_dir()).issuer_key(message.kid)
    assert key is not None
    return token_url(sign1(encode_token(fields), key.private_key, key.kid), "http://127.0.0.1:8080")


async def test_a_registered_diploma_is_valid(client: Any) -> None:
    text, body = await _qr_text(client)
    await sequenced(client)
    response = await client.get("/api/v1/verify", params={"token": text, "lang": "en"})
    assert response.status == 200
    result = await response.json()
    assert result["verdict"] == "valid"
    assert [(s["code"], s["outcome"]) for s in result["steps"]] == [
        ("token_decoded", "passed"),
        ("signature_valid", "passed"),
        ("key_trusted_at_issuance", "passed"),
        ("present_in_register", "passed"),
        ("current_status", "passed"),
        ("log_included", "passed"),
    ]
    assert result["status_checked_at"]
    assert result["fields"]["serial"] == body["diplomas"][0]["serial"]
    assert result["summary"] == "Genuine and valid"
    posted = await client.post("/api/v1/verify", json={"token": text})
    assert (await posted.json())["summary"] == "Văn bằng thật và còn hiệu lực"


async def test_signed_but_absent_or_different_records(client: Any) -> None:
    text, _ = await _qr_text(client)
    absent = await client.get(
        "/api/v1/verify", params={"token": _resigned(text, serial="NOPE-000001")}
    )
    result = await absent.json()
    assert result["verdict"] == "not_found"
    assert result["steps"][3]["reason"] == "not_in_register"
    other = await client.get(
        "/api/v1/verify", params={"token": _resigned(text, record_digest=bytes(16))}
    )
    result = await other.json()
    assert result["verdict"] == "not_found"
    assert result["steps"][3]["reason"] == "record_mismatch"


async def test_forged_and_broken_tokens(client: Any) -> None:
    text, _ = await _qr_text(client)
    forged = text[:-8] + ("A" if text[-8] != "A" else "B") + text[-7:]
    result = await (await client.get("/api/v1/verify", params={"token": forged})).json()
    assert result["verdict"] == "not_genuine"
    assert result["steps"][3]["outcome"] == "skipped"
    await assert_problem(await client.get("/api/v1/verify"), 422, "validation-error")
    await assert_problem(await client.post("/api/v1/verify", data=b"{"), 400, "malformed-body")
    await assert_problem(
        await client.post("/api/v1/verify", json={"token": 5}), 422, "validation-error"
    )
    big = await client.post("/api/v1/verify", data=b"x" * 20000)
    await assert_problem(big, 413, "payload-too-large")


async def _verify_cli(*args: str) -> tuple[int, str, str]:
    return await run_verifier(*args)


async def test_vanbang_verify_online(db_url: str, tmp_path: Path) -> None:
    async with running_service(db_url, VANBANG_DEMO="1", VANBANG_LOG_LEVEL="warning") as server:
        headers = bearer(CLERK)
        async with aiohttp.ClientSession() as session:
            async with session.post(
                f"{server.base}{URL}", json=decision_request(1), headers=headers
            ) as response:
                diploma = (await response.json())["diplomas"][0]
            async with session.get(
                f"{server.base}/api/v1/diplomas/{diploma['id']}/qr.png", headers=headers
            ) as response:
                image = tmp_path / "scan.png"
                image.write_bytes(await response.read())
        trust = tmp_path / "trust.cose"
        code, _, err = await _verify_cli(
            "trust-list", "fetch", server.base, "-o", str(trust), "--root-key", ROOT_KEY
        )
        assert code == 0, err
        assert "issuers" in err
        code, out, err = await _verify_cli(
            "--image",
            str(image),
            "--root-key",
            ROOT_KEY,
            "--trust-list",
            str(trust),
            "--online",
            server.base,
            "--json",
        )
        assert code == 0, err
        result = json.loads(out)
        assert result["verdict"] == "valid"
        assert result["status_checked_at"]

        # Corrected by the department's decision: still genuine and in force (exit 0), the
        # decision and the current name said as the page says them, in Vietnamese.
        correction = lifecycle_requests(diploma["id"], "", "", "")[0][2]
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{server.base}/api/v1/diplomas/{diploma['id']}/corrections",
                json=correction,
                headers=headers,
            ) as response,
        ):
            assert response.status == 201, await response.text()
        scan = ("--image", str(image), "--root-key", ROOT_KEY, "--trust-list", str(trust))
        code, out, err = await _verify_cli(*scan, "--online", server.base, "--json")
        assert code == 0, err
        result = json.loads(out)
        assert result["verdict"] == "corrected"
        assert result["status"]["state"] == "corrected"
        assert result["status"]["current"]["holder_name"] == "Trần Thị Bính"
        code, out, err = await _verify_cli(*scan, "--online", server.base)
        assert code == 0, err
        lines = out.splitlines()
        assert lines[0] == "✔ Văn bằng thật, còn hiệu lực, đã được chỉnh sửa"
        assert "  Loại văn bằng: Bằng tốt nghiệp trung học phổ thông" in lines
        assert "  Đơn vị cấp: Sở Giáo dục và Đào tạo Hà Nội (SGDDT-HN)" in lines
        assert "  Ngày sinh: 01/05/2007" in lines  # as printed on the paper, dd/mm/yyyy
        assert "  Đã chỉnh sửa theo quyết định 12/QĐ ngày 03/11/2025" in lines
        assert "  Họ và tên (hiện nay): Trần Thị Bính" in lines
        assert "  Ngày sinh (hiện nay): 02/05/2007" in lines
        assert any("(giờ Việt Nam, UTC+7)" in line for line in lines)
        code, out, _ = await _verify_cli(*scan, "--online", server.base, "--lang", "en")
        assert "  Kind: Upper secondary school diploma" in out.splitlines()
        assert "Corrected by decision 12/QĐ of 03/11/2025" in out
    # The service is gone now: a status that cannot be read is not an answer.
    code, out, _ = await _verify_cli(
        "--image",
        str(image),
        "--root-key",
        ROOT_KEY,
        "--trust-list",
        str(trust),
        "--online",
        server.base,
        "--json",
        "--lang",
        "en",
    )
    assert code == 2
    result = json.loads(out)
    assert result["verdict"] == "status_unknown"
    assert step(result, "current_status")["reason"] == "status_unavailable"
