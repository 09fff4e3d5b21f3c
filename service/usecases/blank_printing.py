"""Diplomas printed onto their blank forms (docs/printing.md): the document for an issuer's
printer (its layout, its calibration, the issuers' names), and one diploma's page on its own,
on its blank or as its check sheet, within a principal's read scope."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any, Literal

from service import texts
from service.db import printing as db
from service.db.pool import Connection, Pool
from service.domain.accounts import Principal
from service.keystore import KeyStore
from service.printing.blank import BlankPrint, PrintError, layout_chooser
from service.printing.calibration import NONE
from service.printing.check_sheet import CheckSheet
from service.printing.document import PrintDocument
from service.printing.layout import shipped_layouts
from service.problems import CANNOT_PRINT, NOT_FOUND, Problem
from service.qr.tokens import Row, diploma_qr_text
from service.usecases.access import diploma_in_scope
from service.usecases.calibration import as_calibration, current

# blank: onto the blank form; check: the check sheet; preview: the diploma as it will look,
# what the blank carries drawn too (on plain paper or a screen; no printer calibration).
Document = Literal["blank", "check", "preview"]


async def blank_document(
    conn: Connection,
    issuer_code: str,
    *,
    layout: str | None,
    module_mm: float,
    title: str,
    preview: bool = False,
) -> BlankPrint:
    """An empty document for the issuer's printer, or a preview with what the blank carries
    drawn too; `layout` None picks each kind's own."""
    layouts = shipped_layouts(module_mm)
    if layout is not None and layout not in layouts:
        raise Problem(NOT_FOUND)
    calibration = NONE if preview else as_calibration(await current(conn, issuer_code))
    return BlankPrint(
        layout_chooser(layouts, layout),
        issuer_names=await db.issuer_names(conn, [issuer_code]),
        calibration=calibration,
        module_mm=module_mm,
        title=title,
        draw_blank=preview,
    )


def cannot_print(error: PrintError) -> Problem:
    return Problem(CANNOT_PRINT, error.vi, error.en)


def fill(document: PrintDocument, rows: Sequence[Row], qr_texts: Sequence[str]) -> bytes:
    """Adds every diploma's page, then the file (CPU work: run it off the event loop)."""
    for row, text in zip(rows, qr_texts, strict=True):
        document.add(row, text)
    return document.output()


async def diploma_print(
    pool: Pool[Any],
    principal: Principal,
    diploma_id: uuid.UUID,
    *,
    document: Document,
    layout: str | None,
    keystore: KeyStore,
    public_url: str,
    module_mm: float,
    executor: Executor | None,
) -> tuple[bytes, str]:
    """One diploma's page, on its blank or as its check sheet, and its serial."""
    async with pool.acquire() as conn:
        row = await diploma_in_scope(conn, principal, diploma_id)
        made: PrintDocument
        if document == "check":
            header = {"number": row.decision_number, "date": row.decision_date}
            made = CheckSheet(header, module_mm=module_mm)
        else:
            title = texts.PRINT_DIPLOMA_TITLE.format(serial=row.serial)
            made = await blank_document(
                conn,
                row.issuer_code,
                layout=layout,
                module_mm=module_mm,
                title=title,
                preview=document == "preview",
            )
    text = diploma_qr_text(row, keystore, public_url)
    loop = asyncio.get_running_loop()
    try:
        rows: list[Row] = [row]
        pdf = await loop.run_in_executor(executor, fill, made, rows, [text])
    except PrintError as error:
        raise cannot_print(error) from None
    return pdf, row.serial
