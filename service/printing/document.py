"""What every printed decision is: pages added one diploma at a time, then the file. Callers
that show progress add pages in parts between their own updates (service/usecases/jobs.py)."""

from __future__ import annotations

from typing import Protocol

from service.qr.tokens import Row


class PrintDocument(Protocol):
    def add(self, row: Row, qr_text: str) -> None:
        """Adds the pages of one diploma."""

    def output(self) -> bytes:
        """The finished PDF."""
