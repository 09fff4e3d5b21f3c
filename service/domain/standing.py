"""A diploma's standing (hiệu lực): what its lifecycle events make of it, and what of that the
public may see. The one place that orders the events: revoked > replaced > corrected > in
force. The QR check, the lookup, the history and the lifecycle guard all ask here."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Protocol

import orjson

from service import texts
from service.problems import DIPLOMA_NOT_IN_FORCE, Problem
from verifier.result import Outcome, Step, StepResult, Verdict


class Columns(Protocol):
    """A row read by name: a database record or a mapping."""

    def __getitem__(self, key: str, /) -> Any: ...


class State(StrEnum):
    IN_FORCE = "in_force"
    CORRECTED = "corrected"  # in force, with a correction decision: the register says what
    REPLACED = "replaced"  # re-issued for the issuer's error; the new diploma is in force
    REVOKED = "revoked"


def standing(*, revoked: bool, replaced: bool, corrected: bool) -> State:
    """A revocation outranks a replacement, which outranks a correction."""
    if revoked:
        return State.REVOKED
    if replaced:
        return State.REPLACED
    if corrected:
        return State.CORRECTED
    return State.IN_FORCE


def in_force(state: State) -> bool:
    """May the register still record events on the diploma (corrections, copies, a re-issue,
    a revocation)?"""
    return state in (State.IN_FORCE, State.CORRECTED)


def ensure_in_force(
    *, revoked_decision: str | None, replaced_by: object | None, corrected: bool
) -> State:
    """The lifecycle guard: raises, naming what stands in the way, when the diploma is
    revoked or replaced."""
    state = standing(
        revoked=revoked_decision is not None, replaced=replaced_by is not None, corrected=corrected
    )
    if in_force(state):
        return state
    if state == State.REVOKED:
        raise Problem(DIPLOMA_NOT_IN_FORCE, *texts.REVOKED_BY.format(decision=revoked_decision))
    raise Problem(DIPLOMA_NOT_IN_FORCE, *texts.REPLACED_BY.format(replacement=replaced_by))


# What a public answer shows of the current content after a correction: the public ceiling
# (domain.md) among the civil-status fields; gender, ethnicity and nationality never.
PUBLIC_CURRENT = ("holder_name", "date_of_birth", "place_of_birth")


def public_status(status: Columns) -> tuple[StepResult, Verdict, dict[str, Any]]:
    """The current-status step, the verdict and the public projection of a diploma's status
    columns (the diploma_status view: revoked_*, replaced_*, corrected_*)."""
    state = standing(
        revoked=status["revoked_decision"] is not None,
        replaced=status["replaced_by_serial"] is not None,
        corrected=status["corrected_version"] is not None,
    )
    if state == State.IN_FORCE:
        step = StepResult(Step.CURRENT_STATUS, Outcome.PASSED, Step.CURRENT_STATUS, "")
        return step, Verdict.VALID, {"state": "in_force"}
    if state == State.REPLACED:
        issued_on = status["replaced_on"].isoformat()
        detail = f"by serial {status['replaced_by_serial']} issued on {issued_on}"
        projection = {
            "state": "replaced",
            "serial": status["replaced_by_serial"],
            "register_number": status["replaced_by_register_number"],
            "issued_on": issued_on,
        }
        step = StepResult(Step.CURRENT_STATUS, Outcome.FAILED, "replaced", detail)
        return step, Verdict.REPLACED, projection
    if state == State.CORRECTED:
        current = orjson.loads(status["corrected_current"])
        projection = {
            "state": "corrected",
            "decision_number": status["corrected_decision"],
            "decided_on": status["corrected_on"].isoformat(),
            "version": status["corrected_version"],
            "current": {k: current[k] for k in PUBLIC_CURRENT if current.get(k) is not None},
        }
        step = StepResult(Step.CURRENT_STATUS, Outcome.PASSED, "corrected", "")
        return step, Verdict.CORRECTED, projection
    decided_on = status["revoked_on"].isoformat()
    projection = {
        "state": "revoked",
        "decision_number": status["revoked_decision"],
        "decided_on": decided_on,
        "authority": status["revoked_by"],
        "ground": status["revoked_ground"],
        "reason": status["revoked_reason"],
    }
    detail = f"decision {status['revoked_decision']} of {decided_on} by {status['revoked_by']}"
    step = StepResult(Step.CURRENT_STATUS, Outcome.FAILED, "revoked", detail)
    return step, Verdict.REVOKED, projection


def births(date_of_birth: date, corrected_current: str | None) -> tuple[date, ...]:
    """The dates of birth a lookup accepts: as printed on the paper, and as a correction has
    put it right."""
    if corrected_current is None:
        return (date_of_birth,)
    corrected = date.fromisoformat(orjson.loads(corrected_current)["date_of_birth"])
    return (date_of_birth, corrected)
