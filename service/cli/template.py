"""`vanbang template FILE`: write the template workbook clerks fill in (no database needed)."""

from __future__ import annotations

import argparse

from service.settings import Settings


def write_template(settings: Settings, args: argparse.Namespace) -> int:
    from service.formats.template import build_template

    args.file.write_bytes(build_template(max_rows=settings.max_batch_rows))
    print(f"wrote the template workbook to {args.file}")
    return 0
