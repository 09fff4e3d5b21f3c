"""The printer's calibration of an issuer (docs/printing.md, "Calibrating a printer"): read by
anyone who may read the issuer's register, set by those who may write it (its clerks, its
admins), each change journaled with what it replaced; and the calibration page to test it."""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from decimal import Decimal
from typing import Any

from service.db import printing as db
from service.db.pool import Connection, Pool
from service.domain.accounts import Principal
from service.domain.journal import Action
from service.domain.printing import CalibrationIn, CalibrationOut, LayoutOut, PrintLayouts
from service.printing.calibration import Calibration
from service.printing.calibration_page import calibration_page
from service.printing.layout import Layout, shipped_layouts
from service.problems import NOT_FOUND, Problem
from service.usecases import journal
from service.usecases.access import check_write_scope, issuer_in_scope
from service.usecases.writes import recorded_now


def _out(issuer_code: str, row: Any) -> CalibrationOut:
    if row is None:
        return CalibrationOut(
            issuer=issuer_code, offset_x_mm=0, offset_y_mm=0, scale=1, updated_at=None
        )
    return CalibrationOut(
        issuer=issuer_code,
        offset_x_mm=float(row["offset_x_mm"]),
        offset_y_mm=float(row["offset_y_mm"]),
        scale=float(row["scale"]),
        updated_at=row["updated_at"],
    )


def as_calibration(out: CalibrationOut) -> Calibration:
    return Calibration(out.offset_x_mm, out.offset_y_mm, out.scale)


async def current(conn: Connection, issuer_code: str) -> CalibrationOut:
    """The issuer's calibration, for whoever the caller has already checked."""
    return _out(issuer_code, await db.calibration(conn, issuer_code))


async def read(pool: Pool[Any], principal: Principal, issuer_code: str) -> CalibrationOut:
    async with pool.acquire() as conn:
        issuer = await issuer_in_scope(conn, principal, issuer_code)
        return await current(conn, issuer.code)


async def save(
    pool: Pool[Any], principal: Principal, issuer_code: str, request: CalibrationIn
) -> CalibrationOut:
    """Sets the issuer's calibration (to two decimals of a mm, four of the scale)."""
    at = recorded_now()
    async with pool.acquire() as conn, conn.transaction():
        issuer = await issuer_in_scope(conn, principal, issuer_code)
        await check_write_scope(conn, principal, issuer.code)
        before = _out(issuer.code, await db.lock_calibration(conn, issuer.code))
        values = {
            "offset_x": Decimal(f"{request.offset_x_mm:.2f}"),
            "offset_y": Decimal(f"{request.offset_y_mm:.2f}"),
            "scale": Decimal(f"{request.scale:.4f}"),
        }
        await db.save_calibration(conn, issuer.code, **values, at=at, by=principal.account_id)
        after = await current(conn, issuer.code)
        await journal.note(
            conn,
            principal,
            Action.PRINTER_CALIBRATED,
            issuer_code=issuer.code,
            detail={
                "before": [before.offset_x_mm, before.offset_y_mm, before.scale],
                "after": [after.offset_x_mm, after.offset_y_mm, after.scale],
            },
        )
    return after


def layout_named(name: str, *, module_mm: float) -> Layout:
    layout = shipped_layouts(module_mm).get(name)
    if layout is None:
        raise Problem(NOT_FOUND)
    return layout


def list_layouts(*, module_mm: float) -> PrintLayouts:
    found = [
        LayoutOut(
            name=layout.name,
            title=layout.title,
            kinds=[kind.value for kind in layout.kinds],
            languages=list(layout.languages),
            width_mm=layout.width,
            height_mm=layout.height,
            confirmed=layout.confirmed,
            source=layout.source,
        )
        for layout in shipped_layouts(module_mm).values()
    ]
    return PrintLayouts(layouts=found)


async def page(
    pool: Pool[Any],
    principal: Principal,
    issuer_code: str,
    layout_name: str,
    *,
    module_mm: float,
    executor: Executor | None,
) -> bytes:
    """The calibration page of a layout, through the issuer's calibration as it stands."""
    layout = layout_named(layout_name, module_mm=module_mm)
    setting = await read(pool, principal, issuer_code)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, calibration_page, layout, as_calibration(setting))
