"""The OpenAPI 3.1 description served at /openapi.json: request bodies from the pydantic models
themselves, the shared result shape and the problem shape written out once. A test checks
that every route the service serves is described."""

from __future__ import annotations

import functools
from typing import Any

from service import __version__
from service.domain.graduates import GraduationDecisionIn, LookupIn
from service.domain.lifecycle import (
    BlankDestructionIn,
    BlankReceiptIn,
    BlankSpoilIn,
    CopyIn,
    CorrectionIn,
    ReissueIn,
    RevocationIn,
)

_PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "stable: /problems/<slug>"},
        "title": {"type": "string", "description": "Vietnamese or English (Accept-Language)"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "pointer": {"type": "string"},
                    "code": {"type": "string"},
                    "detail": {"type": "string"},
                    "row": {"type": "integer"},
                    "column": {"type": "string"},
                    "cell": {"type": "string"},
                },
            },
        },
    },
}
_RESULT = {
    "type": "object",
    "required": ["verdict", "summary", "steps", "fields", "status"],
    "properties": {
        "verdict": {
            "enum": [
                "valid",
                "corrected",
                "genuine",
                "replaced",
                "revoked",
                "not_found",
                "status_unknown",
                "not_genuine",
            ]
        },
        "summary": {"type": "string"},
        "steps": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {
                        "enum": [
                            "token_decoded",
                            "signature_valid",
                            "key_trusted_at_issuance",
                            "present_in_register",
                            "current_status",
                            "log_included",
                        ]
                    },
                    "outcome": {"enum": ["passed", "failed", "skipped"]},
                    "message": {"type": "string"},
                    "reason": {"type": "string"},
                    "detail": {"type": "string"},
                },
            },
        },
        "status_checked_at": {"type": ["string", "null"], "format": "date-time"},
        "fields": {"type": "object"},
        "kid": {"type": ["string", "null"]},
        "status": {"type": ["object", "null"]},
    },
}


def _json(schema: dict[str, Any] | str) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema}"} if isinstance(schema, str) else schema
    return {"content": {"application/json": {"schema": ref}}}


def _op(
    summary: str,
    *,
    auth: bool = False,
    body: dict[str, Any] | str | None = None,
    ok: dict[str, Any] | None = None,
    status: str = "200",
    params: list[str] | None = None,
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {
            status: {"description": "success", **(ok or {})},
            "default": {
                "description": "an RFC 9457 problem",
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            },
        },
    }
    if auth:
        op["security"] = [{"bearer": []}]
    if body:
        op["requestBody"] = {"required": True, **_json(body)}
    if params:
        op["parameters"] = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in params
        ]
    return op


@functools.cache
def document() -> dict[str, Any]:
    registration = _op(
        "Register a graduation decision with all its graduates "
        "(JSON, text/csv, .xlsx or multipart)",
        auth=True,
        body="GraduationDecision",
        status="201",
    )
    registration["requestBody"]["content"].update(
        {
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            },
        }
    )
    verify_get = _op("Check a QR text", ok=_json("VerificationResult"))
    verify_get["parameters"] = [
        {"name": "token", "in": "query", "required": True, "schema": {"type": "string"}}
    ]
    html = {"content": {"text/html": {"schema": {"type": "string"}}}}
    image = {"content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}
    paths: dict[str, dict[str, Any]] = {
        "/api/v1/graduation-decisions": {"post": registration},
        "/api/v1/graduation-decisions/{id}": {
            "get": _op("A graduation decision and its diplomas", auth=True, params=["id"])
        },
        "/api/v1/graduation-decisions/{id}/print.pdf": {
            "get": _op("A printable page per diploma", auth=True, params=["id"])
        },
        "/api/v1/diplomas/{id}": {
            "get": _op("A register entry with its signature", auth=True, params=["id"])
        },
        "/api/v1/diplomas/{id}/qr.png": {
            "get": _op("The diploma's QR code (PNG)", auth=True, params=["id"], ok=image)
        },
        "/api/v1/diplomas/{id}/qr.svg": {
            "get": _op("The diploma's QR code (SVG)", auth=True, params=["id"])
        },
        "/api/v1/diplomas/{id}/revocations": {
            "post": _op(
                "Record a revocation decision (Art. 25)",
                auth=True,
                body="Revocation",
                status="201",
                params=["id"],
            )
        },
        "/api/v1/diplomas/{id}/corrections": {
            "post": _op(
                "Record a correction decision (Art. 21-24): a new signed version",
                auth=True,
                body="Correction",
                status="201",
                params=["id"],
            )
        },
        "/api/v1/diplomas/{id}/reissues": {
            "post": _op(
                "Re-issue for the issuer's own error (Art. 18): new serial, blank and entry",
                auth=True,
                body="Reissue",
                status="201",
                params=["id"],
            )
        },
        "/api/v1/diplomas/{id}/copies": {
            "post": _op(
                "Issue certified copies from the register (Art. 27-32)",
                auth=True,
                body="Copy",
                status="201",
                params=["id"],
            )
        },
        "/api/v1/issuers/{code}/blanks": {
            "get": _op(
                "The yearly blank-form report per kind (?year=YYYY)", auth=True, params=["code"]
            )
        },
        "/api/v1/issuers/{code}/blanks/receipts": {
            "post": _op(
                "Record a received range of blank forms",
                auth=True,
                body="BlankReceipt",
                status="201",
                params=["code"],
            )
        },
        "/api/v1/issuers/{code}/blanks/spoiled": {
            "post": _op(
                "Record unused blank forms as spoiled",
                auth=True,
                body="BlankSpoil",
                status="201",
                params=["code"],
            )
        },
        "/api/v1/issuers/{code}/blanks/destructions": {
            "post": _op(
                "Record destruction minutes for spoiled or unused blank forms",
                auth=True,
                body="BlankDestruction",
                status="201",
                params=["code"],
            )
        },
        "/api/v1/issuers/{code}/revocations": {
            "get": _op("An issuer's published revocation decisions", params=["code"])
        },
        "/api/v1/verify": {
            "get": verify_get,
            "post": _op(
                "Check a QR text",
                body={
                    "type": "object",
                    "required": ["token"],
                    "properties": {"token": {"type": "string"}},
                },
                ok=_json("VerificationResult"),
            ),
        },
        "/api/v1/lookup": {
            "post": _op(
                "Look up by serial and date of birth", body="Lookup", ok=_json("VerificationResult")
            )
        },
        "/V/{token}": {"get": _op("The page a QR code opens", params=["token"], ok=html)},
        "/v/{token}": {"get": _op("The same, lower case", params=["token"], ok=html)},
        "/tra-cuu": {
            "get": _op("The lookup form", ok=html),
            "post": _op("The lookup form's result", ok=html),
        },
        "/thu-hoi/{code}": {"get": _op("An issuer's revocations (page)", params=["code"], ok=html)},
        "/log/checkpoint": {
            "get": _op("The latest signed checkpoint (C2SP tlog-checkpoint, text/plain)")
        },
        "/log/key": {"get": _op("The log's note verifier key")},
        "/log/proof/inclusion": {
            "get": _op("Inclusion proof: ?index=N or ?hash=<base64 leaf hash>, &size=")
        },
        "/log/proof/consistency": {"get": _op("Consistency proof: ?from=M&to=N")},
        "/log/leaves": {"get": _op("Leaves from ?start= (at most ?limit=1000)")},
        "/api/v1/diplomas/{id}/bundle": {
            "get": _op(
                "The signed record, its inclusion proof and the checkpoint, for archiving",
                auth=True,
                params=["id"],
            )
        },
        "/api/v1/audit/issuers/{code}/register": {
            "get": _op(
                "An issuer's register with each entry's lifecycle (?kind=&year=&after=&limit=)",
                auth=True,
                params=["code"],
            )
        },
        "/api/v1/audit/issuers/{code}/register.csv": {
            "get": _op("The register as CSV (UTF-8 with BOM)", auth=True, params=["code"])
        },
        "/api/v1/audit/issuers/{code}/register.xlsx": {
            "get": _op("The register as an Excel workbook", auth=True, params=["code"])
        },
        "/api/v1/audit/issuers/{code}/anomalies": {
            "get": _op("Anomalies of an issuer and those under it", auth=True, params=["code"])
        },
        "/api/v1/audit/issuers/{code}/events": {
            "get": _op(
                "Log events of an issuer and those under it (?after=&limit=)",
                auth=True,
                params=["code"],
            )
        },
        "/.well-known/vanbang/trust-list": {"get": _op("The root-signed trust list (COSE_Sign1)")},
        "/problems/{slug}": {"get": _op("What a problem type means", params=["slug"])},
        "/healthz": {"get": _op("Liveness")},
        "/readyz": {"get": _op("Readiness (the database answers)")},
        "/openapi.json": {"get": _op("This document")},
    }
    schemas = {
        "GraduationDecision": GraduationDecisionIn.model_json_schema(
            ref_template="#/components/schemas/{model}"
        ),
        "Lookup": LookupIn.model_json_schema(ref_template="#/components/schemas/{model}"),
        **{
            name: model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, model in (
                ("Revocation", RevocationIn),
                ("Correction", CorrectionIn),
                ("Reissue", ReissueIn),
                ("Copy", CopyIn),
                ("BlankReceipt", BlankReceiptIn),
                ("BlankSpoil", BlankSpoilIn),
                ("BlankDestruction", BlankDestructionIn),
            )
        },
        "VerificationResult": _RESULT,
        "Problem": _PROBLEM,
    }
    for name in list(schemas):  # pydantic puts nested models under $defs: lift them
        schemas.update(schemas[name].pop("$defs", {}))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "vanbang",
            "version": __version__,
            "description": "Diploma register and verification service (Circular 21/2019/TT-BGDĐT).",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
