"""QR codes and printable sheets of registered diplomas, within a principal's read scope."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import Executor
from typing import Any, Literal

import asyncpg

from service.db import register as db
from service.domain.accounts import Principal
from service.keystore import KeyStore
from service.printing.check_sheet import CheckSheet
from service.printing.document import PrintDocument
from service.qr.render import png, svg
from service.qr.symbol import make_symbol
from service.qr.tokens import diploma_qr_text
from service.usecases.access import decision_in_scope, diploma_in_scope

ImageFormat = Literal["png", "svg"]


async def diploma_qr(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    diploma_id: uuid.UUID,
    *,
    keystore: KeyStore,
    public_url: str,
    image: ImageFormat,
    module_mm: float,
    dpi: int,
) -> tuple[bytes, str]:
    """The QR image of a diploma and its serial (for the file name)."""
    async with pool.acquire() as conn:
        row = await diploma_in_scope(conn, principal, diploma_id)
    symbol = make_symbol(diploma_qr_text(row, keystore, public_url))
    if image == "png":
        return png(symbol, module_mm=module_mm, dpi=dpi), row.serial
    return svg(symbol, module_mm=module_mm), row.serial


async def decision_pdf(
    pool: asyncpg.Pool[Any],
    principal: Principal,
    decision_id: uuid.UUID,
    *,
    keystore: KeyStore,
    public_url: str,
    executor: Executor | None,
    module_mm: float,
) -> tuple[bytes, str]:
    """The printable sheet of a decision (one page per diploma, its QR's modules `module_mm`
    wide) and its number."""
    async with pool.acquire() as conn:
        decision = await decision_in_scope(conn, principal, decision_id)
        rows = await db.list_decision_records(conn, decision_id)
    texts = [diploma_qr_text(row, keystore, public_url) for row in rows]
    header = {"number": decision["number"], "date": decision["decided_on"]}
    # Laying out hundreds of pages is CPU work: keep the event loop serving meanwhile.
    loop = asyncio.get_running_loop()
    sheet = CheckSheet(header, module_mm=module_mm)
    pdf = await loop.run_in_executor(executor, _make, sheet, rows, texts)
    return pdf, str(decision["number"])


def _make(document: PrintDocument, rows: list[Any], qr_texts: list[str]) -> bytes:
    for row, text in zip(rows, qr_texts, strict=True):
        document.add(row, text)
    return document.output()
