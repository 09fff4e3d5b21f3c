"""The public pages in a real browser: Debian's chromium, headless, on a phone-sized window,
against `vanbang serve` on a real port. VANBANG_SCREENSHOTS=DIR keeps the screenshots
(docs/screenshots holds the ones in the docs)."""

from __future__ import annotations

import asyncio
import io
import os
import shutil
from pathlib import Path

import aiohttp
from PIL import Image

from tests.conftest import CLERK, bearer
from tests.factories import decision_request
from tests.qr import decode_qr
from tests.running import running_service

WINDOW = (412, 915)  # a common phone's CSS viewport
GREEN = (0x17, 0x80, 0x3D)  # .valid
RED = (0xB3, 0x26, 0x1E)  # .revoked


def _chromium() -> str:
    found = os.environ.get("VANBANG_CHROMIUM") or shutil.which("chromium")
    assert found, "the browser test needs chromium (scripts/test installs it when it can)"
    return found


async def _browse(url: str, *args: str) -> bytes:
    process = await asyncio.create_subprocess_exec(
        _chromium(),
        "--headless",
        "--no-sandbox",  # root in a container has no user namespace to sandbox with
        "--disable-gpu",
        "--hide-scrollbars",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--accept-lang=vi-VN,vi",  # a phone set to Vietnamese
        *args,
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0
    return out


async def _page(url: str, shot: Path) -> tuple[str, Image.Image]:
    """The DOM chromium built, and its screenshot."""
    dom = (await _browse(url, "--dump-dom")).decode()
    await _browse(url, f"--screenshot={shot}")
    image = Image.open(shot).convert("RGB")
    return dom, image


def _share(image: Image.Image, colour: tuple[int, int, int]) -> float:
    """The share of the screenshot painted in `colour` (the verdict box)."""
    counts = image.getcolors(maxcolors=1 << 24) or []
    return sum(n for n, c in counts if c == colour) / (image.width * image.height)


async def test_the_valid_and_revoked_pages_in_a_browser(db_url: str, tmp_path: Path) -> None:
    async with (
        running_service(db_url, VANBANG_DEMO="1", VANBANG_LOG_LEVEL="warning") as server,
        aiohttp.ClientSession() as session,
    ):
        headers = bearer(CLERK)
        async with session.post(
            f"{server.base}/api/v1/graduation-decisions", json=decision_request(2), headers=headers
        ) as response:
            valid, revoked = (await response.json())["diplomas"]
        revocation = {
            "decision_number": "45/QĐ-SGDĐT",
            "decided_on": "2025-10-01",
            "authority": "Sở Giáo dục và Đào tạo Hà Nội",
            "ground": "fraud",
            "reason": "Sử dụng hồ sơ giả để dự thi tốt nghiệp",
        }
        async with session.post(
            f"{server.base}/api/v1/diplomas/{revoked['id']}/revocations",
            json=revocation,
            headers=headers,
        ) as response:
            assert response.status == 201
        paths = {}
        for name, diploma in (("valid", valid), ("revoked", revoked)):
            async with session.get(
                f"{server.base}/api/v1/diplomas/{diploma['id']}/qr.png", headers=headers
            ) as response:
                text = decode_qr(Image.open(io.BytesIO(await response.read())))
            paths[name] = text[text.index("/V/") :]

        dom, image = await _page(f"{server.base}{paths['valid']}", tmp_path / "valid-vi.png")
        assert 'class="verdict valid"' in dom
        assert "Văn bằng thật và còn hiệu lực" in dom
        assert "Trần Thị Bình" in dom
        assert image.size == WINDOW
        assert _share(image, GREEN) > 0.02  # the verdict box shows, green, on a phone
        assert _share(image, RED) == 0
        # No asset from elsewhere: no script, no external style, font or image.
        assert "<script" not in dom
        assert "http://" not in dom.replace(server.base, "")
        assert "https://" not in dom

        dom, image = await _page(f"{server.base}{paths['revoked']}", tmp_path / "revoked-vi.png")
        assert 'class="verdict revoked"' in dom
        assert "Văn bằng đã bị thu hồi" in dom
        assert "45/QĐ-SGDĐT" in dom
        assert _share(image, RED) > 0.02
        assert _share(image, GREEN) == 0

        dom, _ = await _page(f"{server.base}{paths['valid']}?lang=en", tmp_path / "valid-en.png")
        assert "Genuine and valid" in dom

    keep = os.environ.get("VANBANG_SCREENSHOTS")
    if keep:
        for shot in tmp_path.glob("*.png"):
            shutil.copy(shot, Path(keep) / shot.name)
