"""RFC 9457 problem details: the catalogue of problem types and the one error family.

Every error the service answers with is a `Problem` raised anywhere below the HTTP edge and
rendered by the middleware in service/http/middleware.py. Types are stable relative URIs,
`/problems/<slug>`, served as documentation by the service itself.

    Problem
    └── carries a ProblemType (slug, status, titles) and, for validation, FieldErrors
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Literal

from service.texts import PROBLEM_TITLES

Language = Literal["vi", "en"]


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title_vi: str
    title_en: str
    description: str

    @property
    def uri(self) -> str:
        return f"/problems/{self.slug}"

    def title(self, lang: Language) -> str:
        return self.title_vi if lang == "vi" else self.title_en


CATALOGUE: dict[str, ProblemType] = {}


def _define(slug: str, status: int, description: str) -> ProblemType:
    """A problem type, its titles read from the catalogue of texts (service/texts.py)."""
    title = PROBLEM_TITLES[slug]
    problem_type = ProblemType(slug, status, title.vi, title.en, description)
    CATALOGUE[slug] = problem_type
    return problem_type


MALFORMED_BODY = _define(
    "malformed-body",
    400,
    "The body is not well-formed JSON, a CSV in an encoding Excel saves (UTF-8, UTF-16 with "
    "a BOM, Windows-1258) or a readable .xlsx workbook; the detail says what it looks like.",
)
INVALID_HEADER = _define(
    "invalid-header",
    400,
    "A request header has a value the service does not accept (see detail).",
)
INVALID_PARAMETER = _define(
    "invalid-parameter",
    400,
    "A query parameter (a search's filter, its cursor or its page size) has a value the "
    "service does not accept; `errors` names the parameter.",
)
UNAUTHENTICATED = _define(
    "unauthenticated",
    401,
    "The request has no bearer token, or the token is unknown or revoked.",
)
FORBIDDEN = _define(
    "forbidden",
    403,
    "The token's role or issuer scope does not allow this action.",
)
NOT_FOUND = _define(
    "not-found",
    404,
    "Nothing is here, or it is outside the token's issuer scope.",
)
METHOD_NOT_ALLOWED = _define(
    "method-not-allowed",
    405,
    "This resource does not accept this HTTP method; see the Allow header.",
)
DUPLICATE_DECISION = _define(
    "duplicate-decision",
    409,
    "The issuer already registered a graduation decision with this number and date.",
)
DUPLICATE_SERIAL = _define(
    "duplicate-serial",
    409,
    "A serial (số hiệu) appears twice in the request or is already in the register for "
    "this issuer and kind; each blank form has exactly one serial.",
)
USERNAME_TAKEN = _define(
    "username-taken",
    409,
    "Another account has this username (usernames are compared in lower case).",
)
NO_SIGNING_KEY = _define(
    "no-signing-key",
    409,
    "The issuer has no active signing key on this server; an operator runs "
    "`vanbang key generate --issuer CODE` (or `key rotate` after a compromise).",
)
NO_PERSONAL_ID_KEY = _define(
    "no-personal-id-key",
    409,
    "The key that seals the holders' personal identification numbers and the staff's "
    "second-factor secrets (personal-id.key in VANBANG_KEYS_DIR) is not on this server, or is "
    "not the one the register's numbers were sealed with; an operator runs "
    "`vanbang key personal-id` once, or restores the file.",
)
ALREADY_REVOKED = _define(
    "already-revoked",
    409,
    "A revocation decision is already recorded for this diploma; a diploma is revoked once.",
)
ALREADY_HANDED_OVER = _define(
    "already-handed-over",
    409,
    "A handover (Art. 13) is already recorded for this diploma; a diploma is handed over "
    "once, and the register keeps who received it and when.",
)
ALREADY_TRANSFERRED = _define(
    "already-transferred",
    409,
    "The issuer's register is already in the custody of the body named (docs/custody.md); "
    "the detail says since when and under what. A retry with the first Idempotency-Key "
    "answers the first transfer instead.",
)
NO_DIGITAL_DIPLOMAS = _define(
    "no-digital-diplomas",
    422,
    "The decision's regulation has no digital diplomas (docs/digital-diplomas.md): Circular "
    "10/2026 brings them; diplomas under Circular 21/2019 are paper only.",
)
NO_DOCUMENT_SIGNER = _define(
    "no-document-signer",
    409,
    "The issuer has no organisation certificate to sign digital diplomas with: install one "
    "(PKCS#12, PEM or a PKCS#11 token, docs/digital-diplomas.md) and ask again.",
)
CANNOT_PRINT = _define(
    "cannot-print",
    422,
    "A diploma cannot be printed on the layout asked for (docs/printing.md): a value too long "
    "for its box even in the smallest type the layout allows, a QR code larger than the "
    "layout's QR box, or a layout not made for the diploma's kind. The detail names the "
    "diploma and the field; nothing is printed.",
)
COPY_NOT_PRINTABLE = _define(
    "copy-not-printable",
    409,
    "This entry of the copy register was recorded before the register kept what a copy "
    "prints (its content and its signing officer); it cannot be printed again exactly as "
    "issued. Record a new certified copy instead.",
)
REGISTER_TRANSFERRED = _define(
    "register-transferred",
    409,
    "The issuer's register passed into another body's custody (docs/custody.md): no new "
    "diploma is registered in it, and its custodian records what happens to its diplomas.",
)
DIPLOMA_NOT_IN_FORCE = _define(
    "diploma-not-in-force",
    409,
    "The diploma has been revoked or replaced by a re-issued one; it can no longer be "
    "corrected, re-issued, copied or handed over (act on the replacement instead).",
)
BLANK_UNAVAILABLE = _define(
    "blank-unavailable",
    422,
    "The issuer tracks its blank forms, and a serial named is not among the blanks it "
    "received, or that blank is already used, spoiled or destroyed; `errors` names each one.",
)
BLANK_RANGE_OVERLAP = _define(
    "blank-range-overlap",
    409,
    "Some serials of the range were already recorded as received; a blank is received once.",
)
IDEMPOTENCY_KEY_REUSED = _define(
    "idempotency-key-reused",
    422,
    "The key was first used with a different request body; use a new key for a new request.",
)
PAYLOAD_TOO_LARGE = _define(
    "payload-too-large",
    413,
    "The body is larger than the configured limit, or has more graduates than one request "
    "may carry.",
)
NOT_A_PDF = _define(
    "not-a-pdf",
    422,
    "The body (or the multipart form's `file` part) is not a PDF: it does not start with "
    "%PDF-. Send the digital diploma as application/pdf, or as the `file` part of a form.",
)
PRINT_AS_JOB = _define(
    "print-as-job",
    422,
    "The decision has more diplomas than one request prints (VANBANG_JOB_ROWS): nothing was "
    "made; POST the route named in `print_jobs` to make the file as a background job, follow "
    "it at GET /api/v1/jobs/{id} and download it from GET /api/v1/jobs/{id}/file.",
)
PERSONAL_TOKEN_REQUIRED = _define(
    "personal-token-required",
    403,
    "A background job belongs to the person who asks for it: this token is an operator's "
    "(`vanbang token create`), no person's; use a personal token from the account page.",
)
JOB_NOT_FINISHED = _define(
    "job-not-finished",
    409,
    "The job has not made its file: it is queued or running (retry when GET /api/v1/jobs/{id} "
    "says done), or it failed (its error says why; ask for a new one).",
)
UNSUPPORTED_MEDIA_TYPE = _define(
    "unsupported-media-type",
    415,
    "Send application/json, text/csv or an .xlsx workbook "
    "(application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).",
)
VALIDATION_ERROR = _define(
    "validation-error",
    422,
    "One or more fields are missing or wrong; `errors` names each field (JSON pointer) or "
    "CSV/XLSX row and column.",
)
KIND_NOT_PERMITTED = _define(
    "kind-not-permitted",
    422,
    "Under the named regulation this kind of issuer does not issue this kind of diploma.",
)
UNKNOWN_ISSUER = _define(
    "unknown-issuer",
    422,
    "No issuing authority has this code.",
)
RATE_LIMITED = _define(
    "rate-limited",
    429,
    "This client sent more verification requests than the limit allows; retry after the "
    "number of seconds in Retry-After.",
)
INTERNAL_ERROR = _define(
    "internal-error",
    500,
    "Something failed on the server; the request wrote nothing. Quote the request id.",
)
UNAVAILABLE = _define(
    "unavailable",
    503,
    "A dependency (the database) is not answering; retry later.",
)


@dataclass(frozen=True)
class FieldError:
    """One field that failed: where (a path into the request), a machine code, messages.

    `row` and `column` are set when the request was a CSV or XLSX list; `loc` always holds the
    path into the JSON form of the request.
    """

    loc: tuple[str | int, ...]
    code: str
    message_vi: str
    message_en: str
    row: int | None = None
    column: str | None = None
    cell: str | None = None

    @property
    def pointer(self) -> str:
        escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in self.loc)
        return "#/" + "/".join(escaped)

    def render(self, lang: Language) -> dict[str, Any]:
        out: dict[str, Any] = {
            "pointer": self.pointer,
            "code": self.code,
            "detail": self.message_vi if lang == "vi" else self.message_en,
        }
        if self.row is not None:
            out["row"] = self.row
        if self.column is not None:
            out["column"] = self.column
        if self.cell is not None:
            out["cell"] = self.cell
        return out


@dataclass
class Problem(Exception):
    """The one error family: raised in any layer, rendered as application/problem+json."""

    type: ProblemType
    detail_vi: str | None = None
    detail_en: str | None = None
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.type.slug}: {self.detail_en or self.type.title_en}"

    def render(self, lang: Language, instance: str, request_id: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type.uri,
            "title": self.type.title(lang),
            "status": self.type.status,
        }
        detail = self.detail_vi if lang == "vi" else self.detail_en
        if detail:
            body["detail"] = detail
        body["instance"] = instance
        if request_id:
            body["request_id"] = request_id
        if self.errors:
            body["errors"] = [e.render(lang) for e in self.errors]
        body.update(self.extra)
        return body


@functools.lru_cache(maxsize=256)  # browsers send a handful of distinct headers
def pick_language(accept_language: str | None) -> Language:
    """Vietnamese unless the client prefers English over it (RFC 9110 Accept-Language)."""
    if not accept_language:
        return "vi"
    best: tuple[float, Language] = (0.0, "vi")
    vi_q = 0.0
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary == "vi":
            vi_q = max(vi_q, q)
        elif primary == "en" and q > best[0]:
            best = (q, "en")
    return "en" if best[0] > vi_q else "vi"
