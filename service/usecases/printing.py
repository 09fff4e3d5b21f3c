"""QR codes and printed documents of registered diplomas, within a principal's read scope
(docs/printing.md). Every printed QR has modules of `module_mm` (VANBANG_QR_MODULE_MM, read by
the callers from settings.qr_module_mm)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor
from typing import Any, Final, Literal

import asyncpg

from service import texts
from service.db import register as db
from service.db.pool import Connection
from service.domain.accounts import Principal
from service.domain.jobs import DocumentKind
from service.keystore import KeyStore
from service.printing.blank import PrintError
from service.printing.check_sheet import CheckSheet
from service.printing.document import PrintDocument
from service.problems import PRINT_AS_JOB, Problem
from service.qr.render import png, svg
from service.qr.symbol import make_symbol
from service.qr.tokens import Row, diploma_qr_text
from service.usecases.access import decision_in_scope, diploma_in_scope
from service.usecases.blank_printing import blank_document, cannot_print

ImageFormat = Literal["png", "svg"]
# Pages added in one executor call: between parts the event loop serves and a job says how
# far it is (docs/printing.md, "Large decisions").
PART_PAGES: Final = 100

# Called after each part with the pages done and the pages in all.
Progress = Callable[[int, int], Awaitable[None]]


async def new_document(
    conn: Connection,
    what: DocumentKind,
    decision: Row,
    *,
    module_mm: float,
) -> PrintDocument:
    """The document a decision prints as: its check sheet, or its diplomas onto their blanks
    by each kind's layout and the issuer's printer calibration."""
    if what == "check":
        header = {"number": decision["number"], "date": decision["decided_on"]}
        return CheckSheet(header, module_mm=module_mm)
    return await blank_document(
        conn,
        decision["issuer_code"],
        layout=None,
        module_mm=module_mm,
        title=texts.PRINT_DECISION_TITLE.format(number=decision["number"]),
    )


def print_jobs_path(decision_id: uuid.UUID) -> str:
    return f"/api/v1/graduation-decisions/{decision_id}/print-jobs"


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
    what: DocumentKind = "check",
    most: int | None = None,
    progress: Progress | None = None,
) -> tuple[bytes, str]:
    """The printed document of a decision (a page per diploma) and its number. With `most`,
    a decision of more diplomas is refused (print-as-job), having made nothing."""
    async with pool.acquire() as conn:
        decision = await decision_in_scope(conn, principal, decision_id)
        if most is not None:
            count = await db.decision_diploma_count(conn, decision_id)
            if count > most:
                path = print_jobs_path(decision_id)
                raise Problem(
                    PRINT_AS_JOB,
                    *texts.PRINT_AS_JOB.format(count=count, most=most, path=path),
                    extra={"print_jobs": path},
                )
        rows = await db.list_decision_records(conn, decision_id)
        document = await new_document(conn, what, decision, module_mm=module_mm)
    # Laying out pages is CPU work: done in parts in the executor, the event loop serving
    # meanwhile, and the job's progress said between them.
    loop = asyncio.get_running_loop()
    for start in range(0, len(rows), PART_PAGES):
        part = rows[start : start + PART_PAGES]
        try:
            await loop.run_in_executor(executor, _add, document, part, keystore, public_url)
        except PrintError as error:  # a value too long for its box: nothing is printed
            raise cannot_print(error) from None
        if progress is not None:
            await progress(start + len(part), len(rows))
    pdf = await loop.run_in_executor(executor, document.output)
    return pdf, str(decision["number"])


def _add(document: PrintDocument, rows: Sequence[Row], keystore: KeyStore, public_url: str) -> None:
    for row in rows:
        document.add(row, diploma_qr_text(row, keystore, public_url))
