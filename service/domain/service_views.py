"""What the service says of itself: that it lives, that it is ready, and what each of its
problem types means. /openapi.json takes their schemas from these models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from service.domain.events import Answer


class Health(Answer):
    """Liveness: the process answers."""

    status: Literal["ok"]


class Readiness(Answer):
    """Readiness: every database pool the service holds answered."""

    status: Literal["ready"]
    checks: dict[str, Literal["ok"]]  # "database", and "read_database" with a read replica


class Titles(BaseModel):
    model_config = ConfigDict(frozen=True)

    vi: str
    en: str


class ProblemTypeInfo(Answer):
    """What a problem type (an RFC 9457 `type`) means."""

    type: str  # /problems/<slug>
    status: int
    title: Titles
    description: str
