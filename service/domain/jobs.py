"""Background jobs (docs/jobs.md): what kinds there are, how a job is shown to the person who
started it, and a failure said in a sentence of each language."""

from __future__ import annotations

import uuid
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict

from service import texts
from service.domain.events import Answer, IsoDateTime
from service.problems import Problem

QUEUE: Final = "vanbang"
# procrastinate's task name for each kind (service/worker.py registers them).
TASKS: Final = {
    "register_list": "vanbang.register_list",
    "print_decision": "vanbang.print_decision",
    "digital_diplomas": "vanbang.digital_diplomas",
    "audit_log": "vanbang.audit_log",  # scheduled, not a person's job: no row in `jobs`
}
SHOWN_ERRORS: Final = 5  # a failure names this many rows at most


# What a decision prints as (docs/printing.md): the check sheet a clerk reads before printing,
# or the diplomas' data onto their blank forms.
DocumentKind = Literal["check", "blank"]


class PrintJobIn(BaseModel):
    """POST /api/v1/graduation-decisions/{id}/print-jobs (the body may be left out), and the
    `document` query parameter of print.pdf."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: DocumentKind = "check"


class JobError(Answer):
    vi: str
    en: str


class JobOut(Answer):
    """A job, as GET /api/v1/jobs/{id} answers it to the person who started it."""

    id: uuid.UUID
    kind: str
    state: str  # queued, running, done, failed
    done_rows: int
    total_rows: int
    decision_id: uuid.UUID | None  # register_list's result once its first part is in; the
    # decision print_decision prints
    document: str | None  # print_decision: what it prints, check or blank
    result: str | None  # where the result is: a decision's API address, a print's file
    error: JobError | None
    created_at: IsoDateTime
    updated_at: IsoDateTime
    finished_at: IsoDateTime | None


def failure_text(problem: Problem, rows: list[int] | None, offset: int) -> tuple[str, str]:
    """The problem in a sentence of each language: its detail or title, then the first rows
    it names (`rows` maps a graduate's index in the list to its row in the file; `offset` is
    the index of the part's first graduate in the whole list)."""
    vi = [problem.detail_vi or problem.type.title_vi]
    en = [problem.detail_en or problem.type.title_en]
    for error in problem.errors[:SHOWN_ERRORS]:
        index = error.loc[1] if len(error.loc) > 1 and error.loc[0] == "graduates" else None
        if isinstance(index, int):
            at = index + offset
            row = rows[at] if rows is not None and at < len(rows) else at + 1
            message = texts.Text(error.message_vi, error.message_en)
            said = texts.JOB_ROW_ERROR.format(row=row, message=message)
            vi.append(said.vi)
            en.append(said.en)
        else:
            vi.append(error.message_vi)
            en.append(error.message_en)
    return "; ".join(vi), "; ".join(en)
