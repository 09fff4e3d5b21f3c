"""The OpenAPI 3.1 description served at /openapi.json. Request bodies and JSON answers take
their schemas from the pydantic models themselves (each answer's as it serialises); the
verification result (the verifier's own shape, which knows no pydantic) and the problem
shape are written out once. Every route declares the media type it answers with.
tests/service/test_openapi.py checks that every route served is described, and
tests/service/test_openapi_responses.py that every real answer matches its schema."""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from service import __version__
from service.domain.account_views import (
    AccountIn,
    Accounts,
    AccountView,
    AccountWithPassword,
    Me,
    PasswordResetIn,
)
from service.domain.audit_views import Anomalies, Events, JournalPage, RegisterPage
from service.domain.blanks import BlankDestructionIn, BlankReceiptIn, BlankSpoilIn
from service.domain.custody import CustodyTransfer, RegisterCustody, TransferIn
from service.domain.events import (
    BlanksDestroyed,
    BlanksReceived,
    BlanksSpoiled,
    CertifiedCopy,
    Correction,
    Handover,
    Reissue,
    Revocation,
)
from service.domain.graduates import GraduationDecisionIn, LookupIn, PersonalIdLookupIn
from service.domain.jobs import JobOut, PrintJobIn
from service.domain.lifecycle import (
    CopyIn,
    CorrectionIn,
    HandoverIn,
    ReissueIn,
    RevocationIn,
)
from service.domain.national_export import NationalExportPage
from service.domain.printing import CalibrationIn, CalibrationOut, PrintLayouts
from service.domain.search import DecisionList, DiplomaList
from service.domain.service_views import Health, ProblemTypeInfo, Readiness
from service.domain.tlog_views import Bundle, ConsistencyProof, InclusionProof, Leaves
from service.domain.views import (
    BlankReport,
    Decision,
    DecisionRegistered,
    Diploma,
    PersonalIdMatches,
    PersonalIdShown,
    PublishedRevocations,
)
from service.domain.yearly_reports import YearlyReport

REF = "#/components/schemas/{model}"

# Request bodies, by component name: "...Request", apart from the long-standing name of the
# registration's body.
REQUESTS: dict[str, type[BaseModel]] = {
    "GraduationDecision": GraduationDecisionIn,
    "LookupRequest": LookupIn,
    "PersonalIdLookupRequest": PersonalIdLookupIn,
    "RevocationRequest": RevocationIn,
    "CorrectionRequest": CorrectionIn,
    "ReissueRequest": ReissueIn,
    "CopyRequest": CopyIn,
    "HandoverRequest": HandoverIn,
    "BlankReceiptRequest": BlankReceiptIn,
    "BlankSpoilRequest": BlankSpoilIn,
    "BlankDestructionRequest": BlankDestructionIn,
    "AccountRequest": AccountIn,
    "PasswordResetRequest": PasswordResetIn,
    "CustodyTransferRequest": TransferIn,
    "PrinterCalibrationRequest": CalibrationIn,
    "PrintJobRequest": PrintJobIn,
}
# The JSON answers, each under its class name.
ANSWERS: tuple[type[BaseModel], ...] = (
    DecisionRegistered,
    Decision,
    JobOut,
    Diploma,
    PersonalIdShown,
    PersonalIdMatches,
    Revocation,
    Correction,
    Reissue,
    CertifiedCopy,
    Handover,
    BlanksReceived,
    BlanksSpoiled,
    BlanksDestroyed,
    BlankReport,
    PublishedRevocations,
    RegisterPage,
    Anomalies,
    Events,
    InclusionProof,
    ConsistencyProof,
    Leaves,
    Bundle,
    JournalPage,
    NationalExportPage,
    YearlyReport,
    CustodyTransfer,
    RegisterCustody,
    CalibrationOut,
    PrintLayouts,
    DecisionList,
    DiplomaList,
    Me,
    Accounts,
    AccountView,
    AccountWithPassword,
    Health,
    Readiness,
    ProblemTypeInfo,
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
        "print_jobs": {
            "type": "string",
            "description": "print-as-job: the route that makes the file as a background job",
        },
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
                "required": ["code", "outcome", "message"],
                "properties": {
                    "code": {
                        "enum": [
                            "token_decoded",
                            "signature_valid",
                            "key_trusted_at_issuance",
                            "present_in_register",
                            "current_status",
                            "log_included",
                            "pdf_signature_valid",
                            "certificate_trusted",
                            "certificate_listed",
                            "record_valid",
                            "qr_matches_record",
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
        "custodian": {
            "type": "object",
            "description": "present when the issuer's register passed to another body: "
            "who holds it now (docs/custody.md)",
            "required": ["code", "name", "since", "legal_basis"],
            "properties": {
                "code": {"type": "string"},
                "name": {"type": "string"},
                "since": {"type": "string", "format": "date"},
                "legal_basis": {"type": "string"},
            },
        },
    },
}

# Verification receipts (docs/verification.md, "Biên nhận kiểm tra").
_RECEIPT_HEAD = {
    "code": {"type": "string", "pattern": "^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}$"},
    "url": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
    "valid_until": {"type": "string", "format": "date-time"},
}
_RECEIPT_CREATED = {
    "type": "object",
    "required": [*_RECEIPT_HEAD, "result"],
    "properties": {
        **_RECEIPT_HEAD,
        "result": {
            "$ref": "#/components/schemas/VerificationResult",
            "description": "the answer kept, in Vietnamese, with no field of a false code",
        },
    },
}
_RECEIPT = {
    "type": "object",
    "required": [*_RECEIPT_HEAD, "then", "now", "changed"],
    "properties": {
        **_RECEIPT_HEAD,
        "then": {
            "$ref": "#/components/schemas/VerificationResult",
            "description": "the answer when the receipt was made, as kept (Vietnamese)",
        },
        "now": {
            "$ref": "#/components/schemas/VerificationResult",
            "description": "the answer now: the QR text checked again for this request",
        },
        "changed": {"type": "boolean", "description": "another verdict or status now"},
    },
}


def _receipt_paths() -> dict[str, Any]:
    pdf = _media("application/pdf", binary=True)
    gone = {"404": {"description": "no such receipt, or it expired (and since when)", **HTML}}
    return {
        "/bien-nhan": {
            "post": _op(
                "Make a receipt of a QR check (form: token), from the result page; on to it",
                {},
                status="303",
            )
        },
        "/bien-nhan/{code}": {
            "get": _op(
                "A verification receipt: the result then, and now (checked again)",
                HTML,
                params=["code"],
                also=gone,
            )
        },
        "/BIEN-NHAN/{code}": {
            "get": _op(
                "The same, as the receipt's QR code spells it", HTML, params=["code"], also=gone
            )
        },
        "/bien-nhan/{code}.pdf": {
            "get": _op("A verification receipt to print (A4)", pdf, params=["code"])
        },
        "/api/v1/receipts": {
            "post": _op(
                "Check a QR text and keep the answer under a short code",
                _json("ReceiptCreated"),
                body={
                    "type": "object",
                    "required": ["token"],
                    "properties": {"token": {"type": "string"}},
                },
                status="201",
            )
        },
        "/api/v1/receipts/{code}": {
            "get": _op(
                "A verification receipt: the answer then and now (in any case, dashes or not)",
                _json("Receipt"),
                params=["code"],
            )
        },
    }


_OPENAPI_DOCUMENT = {
    "type": "object",
    "required": ["openapi", "info", "paths", "components"],
    "properties": {
        "openapi": {"type": "string", "pattern": "^3\\.1\\."},
        "info": {"type": "object"},
        "paths": {"type": "object"},
        "components": {"type": "object"},
    },
}


def _renamed(value: Any, refs: dict[str, str]) -> Any:
    """`value` with every $ref to a renamed component pointing at its new name."""
    if isinstance(value, dict):
        return {k: refs.get(v, v) if k == "$ref" else _renamed(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, refs) for v in value]
    return value


def _model_schemas() -> dict[str, Any]:
    """The requests' and answers' schemas with every model they hold, under unique names
    (pydantic tells apart two models of one name, e.g. "Signer-Input" and "Signer-Output")."""
    modes: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        *((m, "validation") for m in REQUESTS.values()),
        *((m, "serialization") for m in ANSWERS),
    ]
    refs, top = models_json_schema(modes, ref_template=REF)
    schemas: dict[str, Any] = top["$defs"]
    names = {
        refs[(model, "validation")]["$ref"]: REF.format(model=name)
        for name, model in REQUESTS.items()
    }
    for model in ANSWERS:  # the paths name them so
        assert refs[(model, "serialization")] == {"$ref": REF.format(model=model.__name__)}
    renamed = {old.rpartition("/")[2]: new.rpartition("/")[2] for old, new in names.items()}
    assert not set(renamed.values()) & (set(schemas) - set(renamed)), "component name clash"
    return {renamed.get(k, k): _renamed(v, names) for k, v in schemas.items()}


def _schema(schema: type[BaseModel] | str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(schema, dict):
        return schema
    name = schema if isinstance(schema, str) else schema.__name__
    return {"$ref": REF.format(model=name)}


def _json(schema: type[BaseModel] | str | dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": _schema(schema)}}}


def _media(media_type: str, *, binary: bool = False) -> dict[str, Any]:
    schema = {"type": "string", **({"format": "binary"} if binary else {})}
    return {"content": {media_type: {"schema": schema}}}


HTML = _media("text/html")
TEXT = _media("text/plain")
COSE_SIGN1 = 'application/cose; cose-type="cose-sign1"'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_MODIFIED = {"description": "not modified (If-None-Match matched the ETag)"}
SEE_OTHER = {"description": "done; on to the next page (Location)"}
_FORM_AGAIN = {"description": "the form again, each error beside its field", **HTML}
_PDF_UPLOAD = {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}},
        }
    },
}
_BULK_FILES = {
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        XLSX: {"schema": {"type": "string", "format": "binary"}},
    }
}


def _staff_pages() -> dict[str, Any]:
    """The staff pages of signing in and of one's own account: HTML forms with a form token
    (docs/accounts.md); a page that needs sign-in redirects (303) to /dang-nhap."""
    page = {"303": SEE_OTHER}
    form = {"303": SEE_OTHER, "422": _FORM_AGAIN}
    refused = {**form, "401": _FORM_AGAIN, "429": _FORM_AGAIN}
    return {
        "/dang-nhap": {
            "get": _op("The sign-in form", HTML, also=page),
            # 403: the form's token is not the one its cookie holds (a page kept open past a
            # restart, or a form from elsewhere): the form again with a token of its own.
            "post": _op(
                "Sign in with a username and a password",
                HTML,
                also={**refused, "403": _FORM_AGAIN},
            ),
        },
        "/dang-nhap/ma-xac-thuc": {
            "get": _op("The second factor's form", HTML, also=page),
            "post": _op("Complete a sign-in with a TOTP or recovery code", HTML, also=refused),
        },
        "/dang-xuat": {"post": _op("Sign out", {}, status="303")},
        "/dang-xuat/moi-thiet-bi": {"post": _op("Sign out of every device", {}, status="303")},
        "/doi-mat-khau": {
            "get": _op("The form to change one's password", HTML, also=page),
            "post": _op("Change one's password", HTML, also=form),
        },
        "/tai-khoan": {"get": _op("One's account", HTML, also=page)},
        "/tai-khoan/xac-thuc-hai-buoc": {
            "get": _op("Enrol a second factor (a QR code for the app)", HTML, also=page),
            "post": _op("Confirm the enrolment; shows the recovery codes", HTML, also=form),
        },
        "/tai-khoan/xac-thuc-hai-buoc/tat": {
            "post": _op("Turn one's second factor off", HTML, also=form)
        },
        "/tai-khoan/ma-truy-cap": {
            "get": _op("One's personal API tokens", HTML, also=page),
            "post": _op("Create a token (shown once on the page)", HTML, also=form),
        },
        "/tai-khoan/ma-truy-cap/{id}/thu-hoi": {
            "post": _op("Revoke one of one's tokens", HTML, also=page, params=["id"])
        },
    }


def _console_pages() -> dict[str, Any]:
    """The clerk's console (docs/console.md): HTML pages and forms with a form token; a page
    that needs sign-in redirects (303) to /dang-nhap, one a role may not use answers 403."""
    page = {"303": SEE_OTHER, "403": _FORM_AGAIN, "404": _FORM_AGAIN}
    form = {"303": SEE_OTHER, "403": _FORM_AGAIN, "422": _FORM_AGAIN}
    pdf = _media("application/pdf", binary=True)
    return {
        "/quan-ly": {"get": _op("The console's home: decisions, counts, attention", HTML)},
        "/quan-ly/dang-ky": {
            "get": _op("The form to register a decision (upload or typed)", HTML, also=page),
            "post": _op("Check an uploaded list (multipart: form_token, file)", HTML, also=form),
        },
        "/mau/danh-sach-tot-nghiep.xlsx": {
            "get": _op(
                "The Excel template of a graduate list: headers, drop-down lists, instructions",
                _media(XLSX, binary=True),
                also={"303": SEE_OTHER},
            ),
        },
        "/quan-ly/dang-ky/nhap-tay": {
            "post": _op("Check a typed list, or add rows to the form", HTML, also=form),
        },
        "/quan-ly/dang-ky/{id}": {
            "get": _op("A checked list's preview", HTML, also=page, params=["id"]),
        },
        "/quan-ly/dang-ky/{id}/xac-nhan": {
            "post": _op(
                "Register a checked list (once, however often posted)",
                {},
                status="303",
                also={"409": _FORM_AGAIN, **form, **page},
                params=["id"],
            ),
        },
        "/quan-ly/dang-ky/{id}/huy": {
            "post": _op("Discard a checked list", {}, status="303", also=page, params=["id"]),
        },
        "/quan-ly/quyet-dinh/{id}": {
            "get": _op("A decision and its diplomas", HTML, also=page, params=["id"]),
        },
        "/quan-ly/viec/{id}": {
            "get": _op(
                "A background job's progress (reloads itself until done), to its starter",
                HTML,
                also=page,
                params=["id"],
            ),
        },
        "/quan-ly/viec/{id}/tep": {
            "get": _op(
                "The file a finished print job made, to its starter",
                pdf,
                also=page,
                params=["id"],
            ),
        },
        "/quan-ly/quyet-dinh/{id}/in": {
            "post": _op(
                "Print a large decision's sheet as a background job: to the job's page",
                {},
                status="303",
                also=page,
                params=["id"],
            ),
        },
        "/quan-ly/quyet-dinh/{id}/van-bang-so": {
            "post": _op(
                "Make a TT10 decision's digital diplomas as a background job (form: "
                "form_token): to the job's page",
                {},
                status="303",
                also=page,
                params=["id"],
            ),
        },
        "/quan-ly/van-bang/{id}/van-bang-so.pdf": {
            "get": _op(
                "A diploma's latest digital diploma (signed PDF/A-3)", pdf, also=page, params=["id"]
            ),
        },
        "/quan-ly/quyet-dinh/{id}/in.pdf": {
            "get": _op(
                "A decision's check sheet; for one of more than VANBANG_JOB_ROWS diplomas, "
                "its page (303), whose button prints it as a job",
                pdf,
                also=page,
                params=["id"],
            ),
        },
        "/quan-ly/quyet-dinh/{id}/so-goc.xlsx": {
            "get": _op(
                "A decision's entries in the original register, as a workbook",
                _media(XLSX, binary=True),
                also=page,
                params=["id"],
            ),
        },
        "/quan-ly/van-bang/{id}": {
            "get": _op("A diploma: its entry, QR code and history", HTML, also=page, params=["id"]),
        },
        "/quan-ly/van-bang/{id}/{action}": {
            "get": _op(
                "A lifecycle form (ban-giao, chinh-sua, thu-hoi, cap-lai, ban-sao)",
                HTML,
                also=page,
                params=["id", "action"],
            ),
            "post": _op(
                "Check it (step=check: what will be signed), or confirm it (step=confirm)",
                HTML,
                also={**form, "404": _FORM_AGAIN, "409": _FORM_AGAIN},
                params=["id", "action"],
            ),
        },
        "/giam-sat": {
            "get": _op(
                "Supervision: the year (?nam=YYYY) of every issuer under an auditor, with charts",
                HTML,
                also=page,
            ),
        },
        "/giam-sat/bat-thuong": {
            "get": _op("Supervision: the anomalies under an auditor, explained", HTML, also=page),
            "post": _op(
                "Mark an anomaly reviewed (form: form_token, key, note); journalled",
                {},
                status="303",
                also={**form, "404": _FORM_AGAIN},
            ),
        },
        "/giam-sat/nhat-ky": {
            "get": _op(
                "Supervision: the staff journal (?tu=dd/mm/yyyy&actor=&action=&issuer=&cursor=)",
                HTML,
                also={**page, "422": _FORM_AGAIN},
            ),
        },
        "/giam-sat/nhat-ky.csv": {
            "get": _op(
                "Supervision: the same journal entries as CSV (at most 10,000)",
                _media("text/csv"),
                also=page,
            ),
        },
        "/quan-ly/tra-cuu-dinh-danh": {
            "get": _op(
                "Find diplomas by the holder's personal identification number (signed-in "
                "staff): the form",
                HTML,
                also=page,
            ),
            "post": _op(
                "The diplomas within the reader's scope whose holder has the number "
                "(form: form_token, personal_id); journalled, never the number",
                HTML,
                also={**page, "422": _FORM_AGAIN},
            ),
        },
        "/quan-ly/van-bang/{id}/dinh-danh": {
            "post": _op(
                "The diploma's whole personal identification number on a page (form: "
                "form_token); journalled",
                HTML,
                also=page,
                params=["id"],
            ),
        },
        "/quan-ly/tra-cuu-hang-loat": {
            "get": _op(
                "The bulk lookup by serial and date of birth (signed-in staff)", HTML, also=page
            ),
            "post": _op(
                "A bulk lookup (multipart: form_token, purpose, file): the same file back with "
                "each row's result; journalled with its purpose",
                _BULK_FILES,
                also={**page, "400": _FORM_AGAIN, "413": _FORM_AGAIN, "422": _FORM_AGAIN},
            ),
        },
        "/giam-sat/so-goc": {
            "get": _op(
                "Supervision: an issuer's register in register order, read-only"
                " (?issuer=&kind=&year=&cursor=)",
                HTML,
                also={**page, "400": _FORM_AGAIN},
            ),
        },
        "/giam-sat/so-goc.xlsx": {
            "get": _op(
                "Supervision: the register chosen as a workbook (?issuer=&kind=&year=); journalled",
                _media(XLSX),
                also=page,
            ),
        },
        "/giam-sat/so-goc.csv": {
            "get": _op(
                "Supervision: the register chosen as CSV (?issuer=&kind=&year=); journalled",
                _media("text/csv"),
                also=page,
            ),
        },
        # The yearly report (docs/audit.md, "Báo cáo năm").
        "/giam-sat/bao-cao": {
            "get": _op(
                "Supervision: the yearly report (?nam=YYYY&don-vi=CODE) on screen",
                HTML,
                also={**page, "400": _FORM_AGAIN},
            ),
        },
        "/giam-sat/bao-cao.xlsx": {
            "get": _op(
                "Supervision: the yearly report as an Excel workbook, in Vietnamese",
                _media(XLSX, binary=True),
                also=page,
            ),
        },
        "/giam-sat/bao-cao.pdf": {
            "get": _op(
                "Supervision: the yearly report as a PDF to sign, in Vietnamese",
                pdf,
                also=page,
            ),
        },
        "/quan-ly/phoi": {
            "get": _op(
                "The issuer's blank forms: the year's report by kind (?nam=YYYY), the forms",
                HTML,
                also=page,
            ),
        },
        "/quan-ly/phoi/{action}": {
            "get": _op(
                "A blank-forms form (nhan-phoi, phoi-hong, huy-phoi)",
                HTML,
                also=page,
                params=["action"],
            ),
            "post": _op(
                "Check it (step=check: what will be signed), or confirm it (step=confirm)",
                HTML,
                also={**form, "404": _FORM_AGAIN, "409": _FORM_AGAIN},
                params=["action"],
            ),
        },
        "/quan-ly/van-bang/{id}/qr.svg": {
            "get": _op(
                "A diploma's QR code (SVG)", _media("image/svg+xml"), also=page, params=["id"]
            ),
        },
        "/quan-ly/van-bang/{id}/qr.png": {
            "get": _op(
                "A diploma's QR code (PNG)",
                _media("image/png", binary=True),
                also=page,
                params=["id"],
            ),
        },
        "/quan-ly/van-bang/{id}/in.pdf": {
            "get": _op(
                "A diploma's check sheet, its print onto the blank (document=blank, "
                "layout=) or its preview (document=preview); docs/printing.md",
                pdf,
                also=page,
                params=["id"],
                query=[("document", "string", False), ("layout", "string", False)],
            ),
        },
        "/quan-ly/van-bang/{id}/ban-sao/{copy_id}.pdf": {
            "get": _op(
                "A certified copy as issued (the API's copies/{copy_id}.pdf); docs/printing.md",
                pdf,
                also=page,
                params=["id", "copy_id"],
            ),
        },
        "/quan-ly/may-in": {
            "get": _op(
                "The issuer's printer calibration, its form and a test print of each layout",
                HTML,
                also=page,
            ),
            "post": _op(
                "Set the printer calibration (form: form_token, offset_x, offset_y, scale; "
                "1,5 or 1.5); journaled; then the page again (303)",
                HTML,
                also={**page, "422": _FORM_AGAIN},
            ),
        },
        "/quan-ly/may-in/can-chinh.pdf": {
            "get": _op(
                "The calibration page of a layout, through the issuer's calibration",
                pdf,
                also=page,
                query=[("layout", "string", True)],
            ),
        },
        # The issuance log as staff see it (docs/audit.md).
        "/giam-sat/nhat-ky-phat-hanh": {
            "get": _op(
                "Supervision: the issuance log's latest checkpoint, witnesses, rechecks, and "
                "how to keep one's own checkpoints",
                HTML,
                also=page,
            ),
        },
        "/quan-ly/van-bang/{id}/bang-chung.json": {
            "get": _op(
                "A diploma's bundle (record, leaf, inclusion proof, checkpoint) to archive; "
                "journalled",
                _json(Bundle),
                also=page,
                params=["id"],
            ),
        },
        "/quan-ly/van-bang/{id}/bang-chung.tlog-proof": {
            "get": _op(
                "The offline proof (c2sp.org/tlog-proof@v1) of one of a diploma's leaves "
                "(?index=), by default its current version's",
                TEXT,
                also=page,
                params=["id"],
                query=[("index", "integer", False)],
            ),
        },
    }


def _search_pages() -> dict[str, Any]:
    """The console's search pages (docs/console.md): each a form that lists what it finds."""
    again = {"303": SEE_OTHER, "400": _FORM_AGAIN}
    return {
        "/quan-ly/quyet-dinh": {
            "get": _op("The decisions, searched and filtered, page by page", HTML, also=again)
        },
        "/quan-ly/van-bang": {
            "get": _op("Find diplomas: name, serial or number; filters", HTML, also=again)
        },
    }


Query = tuple[str, str, bool]  # name, JSON type, required


def _op(
    summary: str,
    ok: dict[str, Any],
    *,
    auth: bool = False,
    body: type[BaseModel] | str | dict[str, Any] | None = None,
    status: str = "200",
    params: list[str] | None = None,
    query: list[Query] | None = None,
    also: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An operation: `ok` is its success answer's content (JSON with its schema, or another
    media type); `also` other answers that are not problems (a 304, a form shown again)."""
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {
            status: {"description": "success", **ok},
            **(also or {}),
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
    parameters = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in params or []
    ] + [
        {"name": name, "in": "query", "required": required, "schema": {"type": kind}}
        for name, kind, required in query or []
    ]
    if parameters:
        op["parameters"] = parameters
    return op


@functools.cache
def document() -> dict[str, Any]:
    registration = _op(
        "Register a graduation decision with all its graduates "
        "(JSON, text/csv, .xlsx, .xls or multipart); with validate_only=true, check it all "
        "and answer 200 with what would be registered, taking nothing",
        _json(DecisionRegistered),
        auth=True,
        body="GraduationDecision",
        status="201",
        query=[("validate_only", "boolean", False)],
        also={
            "200": {
                "description": "validate_only: what would be registered",
                **_json(DecisionRegistered),
            }
        },
    )
    registration["requestBody"]["content"].update(
        {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
            "application/vnd.ms-excel": {"schema": {"type": "string", "format": "binary"}},
        }
    )
    part = _op(
        "Register a supplementary list of graduates under a registered decision (its next "
        "part: the body is a registration's, naming the same decision, kind and regulation); "
        "with validate_only=true, check it all and answer 200, taking nothing",
        _json(DecisionRegistered),
        auth=True,
        body="GraduationDecision",
        status="201",
        params=["id"],
        query=[("validate_only", "boolean", False)],
        also={
            "200": {
                "description": "validate_only: what would be registered",
                **_json(DecisionRegistered),
            }
        },
    )
    part["requestBody"] = registration["requestBody"]
    result = _json("VerificationResult")
    qr_size: list[Query] = [("module_mm", "number", False), ("dpi", "integer", False)]
    print_job = _op(
        "Make the decision's printed document (?document= or the body's `document`: check, "
        "the default, or blank) as a background job of the token's person (a personal token); "
        "202 with the job and its Location; asked again while it is being made, the same job",
        _json(JobOut),
        auth=True,
        body="PrintJobRequest",
        status="202",
        params=["id"],
        query=[("document", "string", False)],
    )
    print_job["requestBody"]["required"] = False
    filters: list[Query] = [("kind", "string", False), ("year", "integer", False)]
    paths: dict[str, dict[str, Any]] = {
        "/api/v1/graduation-decisions": {"post": registration},
        "/api/v1/graduation-decisions/{id}": {
            "get": _op(
                "A graduation decision and its diplomas", _json(Decision), auth=True, params=["id"]
            )
        },
        "/api/v1/graduation-decisions/{id}/parts": {"post": part},
        "/api/v1/graduation-decisions/{id}/print.pdf": {
            "get": _op(
                "A printed page per diploma (?document=check, the check sheet; blank, onto the "
                "blank forms); a decision of more than VANBANG_JOB_ROWS diplomas is the "
                "print-as-job problem (422) naming the print-jobs route",
                _media("application/pdf", binary=True),
                auth=True,
                params=["id"],
                query=[("document", "string", False)],
            )
        },
        "/api/v1/graduation-decisions/{id}/print-jobs": {"post": print_job},
        "/api/v1/graduation-decisions/{id}/digital-diplomas": {
            "post": _op(
                "Make the digital diplomas of a decision under a regulation that has them "
                "(TT10/2026) as a background job of the token's person (the issuer's writers, "
                "a personal token): each diploma version in force rendered as PDF/A-3 with its "
                "signed record attached and signed PAdES with the issuer's organisation "
                "certificate; versions already made are kept; 202 with the job",
                _json(JobOut),
                auth=True,
                status="202",
                params=["id"],
            )
        },
        "/api/v1/diplomas/{id}/digital.pdf": {
            "get": _op(
                "The diploma's latest digital diploma (X-Signature-Level: the PAdES level "
                "reached); not-found until made",
                _media("application/pdf", binary=True),
                auth=True,
                params=["id"],
            )
        },
        "/api/v1/jobs/{id}": {
            "get": _op(
                "A background job's progress and result, to the person who started it",
                _json(JobOut),
                auth=True,
                params=["id"],
            )
        },
        "/api/v1/jobs/{id}/file": {
            "get": _op(
                "The file a finished print job made, to the person who started it; "
                "job-not-finished (409) before",
                _media("application/pdf", binary=True),
                auth=True,
                params=["id"],
            )
        },
        "/api/v1/diplomas/{id}": {
            "get": _op(
                "A register entry with its signature and its lifecycle",
                _json(Diploma),
                auth=True,
                params=["id"],
            )
        },
        "/api/v1/diplomas/by-personal-id": {
            "post": _op(
                "The diplomas within the token's scope whose holder has the personal "
                "identification number in the body (never in a URL); journalled without it",
                _json(PersonalIdMatches),
                auth=True,
                body="PersonalIdLookupRequest",
            )
        },
        "/api/v1/diplomas/{id}/personal-id": {
            "post": _op(
                "The holder's whole personal identification number (the diploma's answer "
                "shows it masked); journalled",
                _json(PersonalIdShown),
                auth=True,
                params=["id"],
            )
        },
        "/api/v1/diplomas/{id}/print.pdf": {
            "get": _op(
                "One diploma's page: its check sheet (document=check, the default), onto "
                "its blank form (document=blank; layout= a layout's name, else the kind's "
                "own) or a preview (document=preview); docs/printing.md",
                _media("application/pdf", binary=True),
                auth=True,
                params=["id"],
                query=[("document", "string", False), ("layout", "string", False)],
            )
        },
        "/api/v1/diplomas/{id}/copies/{copy_id}.pdf": {
            "get": _op(
                "A certified copy as issued: a page per copy with its number in the copy "
                "register, the register's content when copied, the requester, the signing "
                "officer and a QR code of its own (docs/printing.md); 409 copy-not-printable "
                "for an entry recorded before the register kept what a copy prints",
                _media("application/pdf", binary=True),
                auth=True,
                params=["id", "copy_id"],
            )
        },
        "/api/v1/print-layouts": {
            "get": _op(
                "The layouts of the blank forms: page, kinds, languages, whether every "
                "position is confirmed, and the source",
                _json(PrintLayouts),
                auth=True,
            )
        },
        "/api/v1/issuers/{code}/printer-calibration": {
            "get": _op(
                "The issuer's printer calibration (offsets in mm, scale)",
                _json(CalibrationOut),
                auth=True,
                params=["code"],
            ),
            "put": _op(
                "Set the issuer's printer calibration, measured on the calibration page "
                "(its clerks and admins; journaled)",
                _json(CalibrationOut),
                auth=True,
                body="PrinterCalibrationRequest",
                params=["code"],
            ),
        },
        "/api/v1/issuers/{code}/calibration.pdf": {
            "get": _op(
                "The calibration page of a layout (rulers, crosshairs, every field's box) "
                "through the issuer's current calibration",
                _media("application/pdf", binary=True),
                auth=True,
                params=["code"],
                query=[("layout", "string", True)],
            )
        },
        "/api/v1/diplomas/{id}/qr.png": {
            "get": _op(
                "The diploma's QR code (PNG)",
                _media("image/png", binary=True),
                auth=True,
                params=["id"],
                query=qr_size,
            )
        },
        "/api/v1/diplomas/{id}/qr.svg": {
            "get": _op(
                "The diploma's QR code (SVG)",
                _media("image/svg+xml"),
                auth=True,
                params=["id"],
                query=qr_size,
            )
        },
        "/api/v1/diplomas/{id}/revocations": {
            "post": _op(
                "Record a revocation decision (Art. 25)",
                _json(Revocation),
                auth=True,
                body="RevocationRequest",
                status="201",
                params=["id"],
            )
        },
        "/api/v1/diplomas/{id}/corrections": {
            "post": _op(
                "Record a correction decision (Art. 21-24): a new signed version",
                _json(Correction),
                auth=True,
                body="CorrectionRequest",
                status="201",
                params=["id"],
            )
        },
        "/api/v1/diplomas/{id}/reissues": {
            "post": _op(
                "Re-issue for the issuer's own error (Art. 18): new serial, blank and entry",
                _json(Reissue),
                auth=True,
                body="ReissueRequest",
                status="201",
                params=["id"],
            )
        },
        "/api/v1/diplomas/{id}/copies": {
            "post": _op(
                "Issue certified copies from the register (Art. 27-32)",
                _json(CertifiedCopy),
                auth=True,
                body="CopyRequest",
                status="201",
                params=["id"],
            )
        },
        "/api/v1/diplomas/{id}/handovers": {
            "post": _op(
                "Record the diploma's handover (Art. 13): who received it and when, once",
                _json(Handover),
                auth=True,
                body="HandoverRequest",
                status="201",
                params=["id"],
            )
        },
        "/api/v1/issuers/{code}/blanks": {
            "get": _op(
                "The yearly blank-form report per kind",
                _json(BlankReport),
                auth=True,
                params=["code"],
                query=[("year", "integer", True)],
            )
        },
        "/api/v1/issuers/{code}/blanks/receipts": {
            "post": _op(
                "Record a received range of blank forms",
                _json(BlanksReceived),
                auth=True,
                body="BlankReceiptRequest",
                status="201",
                params=["code"],
            )
        },
        "/api/v1/issuers/{code}/blanks/spoiled": {
            "post": _op(
                "Record unused blank forms as spoiled",
                _json(BlanksSpoiled),
                auth=True,
                body="BlankSpoilRequest",
                status="201",
                params=["code"],
            )
        },
        "/api/v1/issuers/{code}/blanks/destructions": {
            "post": _op(
                "Record destruction minutes for spoiled or unused blank forms",
                _json(BlanksDestroyed),
                auth=True,
                body="BlankDestructionRequest",
                status="201",
                params=["code"],
            )
        },
        "/api/v1/issuers/{code}/custody-transfers": {
            "post": _op(
                "Record that the issuer's register passes to another body (docs/custody.md): "
                "an administrator of the receiving body; signed with its key and logged",
                _json(CustodyTransfer),
                auth=True,
                body="CustodyTransferRequest",
                status="201",
                params=["code"],
            )
        },
        "/api/v1/issuers/{code}/custody": {
            "get": _op(
                "Who holds the issuer's register now, and each transfer that brought it there",
                _json(RegisterCustody),
                auth=True,
                params=["code"],
            )
        },
        "/api/v1/issuers/{code}/revocations": {
            "get": _op(
                "An issuer's published revocation decisions",
                _json(PublishedRevocations),
                params=["code"],
            )
        },
        "/api/v1/verify": {
            "get": _op("Check a QR text", result, query=[("token", "string", True)]),
            "post": _op(
                "Check a QR text",
                result,
                body={
                    "type": "object",
                    "required": ["token"],
                    "properties": {"token": {"type": "string"}},
                },
            ),
        },
        "/api/v1/verify-pdf": {
            "post": {
                **_op(
                    "Check a digital diploma (the body the PDF, or a multipart form's `file`; "
                    "at most VANBANG_MAX_PDF_BYTES, never kept): its PAdES signature and "
                    "certificate chain, the certificate in the trust list, the attached "
                    "register record and the QR code, then the register's current status; "
                    "the result shape of /api/v1/verify",
                    result,
                ),
                "requestBody": {"required": True, "content": _PDF_UPLOAD},
            },
        },
        "/api/v1/bulk-verify": {
            "post": _op(
                "A bulk check: the body a CSV, XLSX or ZIP of QR photos (at most 2,000 codes); "
                "the same file back with a result beside each row (?lang=en: English headings)",
                _BULK_FILES,
            ),
        },
        "/api/v1/lookup": {
            "post": _op("Look up by serial and date of birth", result, body="LookupRequest")
        },
        "/": {
            "get": _op(
                "The landing page: check a diploma, staff sign-in, what the service is",
                HTML,
                also={"304": NOT_MODIFIED},
            )
        },
        "/V/{token}": {"get": _op("The page a QR code opens", HTML, params=["token"])},
        "/v/{token}": {"get": _op("The same, lower case", HTML, params=["token"])},
        "/tra-cuu": {
            "get": _op("The lookup form", HTML, also={"304": NOT_MODIFIED}),
            "post": _op(
                "The lookup form's result",
                HTML,
                also={"422": {"description": "the form again, saying what is wrong", **HTML}},
            ),
        },
        "/kiem-tra-hang-loat": {
            "get": _op("The bulk check's form (a file of QR texts, or a ZIP of photos)", HTML),
            "post": _op(
                "A bulk check from the form (multipart: file): the same file back, a result "
                "beside each row (a workbook for a ZIP of photos)",
                _BULK_FILES,
                also={
                    "400": {"description": "the form again, saying what is wrong", **HTML},
                    "413": {"description": "the form again, saying the file is too large", **HTML},
                    "422": {"description": "the form again, saying what is wrong", **HTML},
                },
            ),
        },
        "/kiem-tra-van-bang-so": {
            "get": _op("The digital diploma check's form (a PDF to upload)", HTML),
            "post": {
                **_op(
                    "A digital diploma checked from the form (multipart: file): the result "
                    "page, as a QR code opens it",
                    HTML,
                    also={
                        "413": {
                            "description": "the form again, saying the file is too large",
                            **HTML,
                        },
                        "422": {"description": "the form again, saying it is not a PDF", **HTML},
                    },
                ),
                "requestBody": {"required": True, "content": _PDF_UPLOAD},
            },
        },
        "/static/{name}": {
            "get": _op(
                "A file the pages link (by its plain or its content-hashed name)",
                _media("text/css"),
                params=["name"],
                also={"304": NOT_MODIFIED},
            )
        },
        "/thu-hoi/{code}": {"get": _op("An issuer's revocations (page)", HTML, params=["code"])},
        "/log/checkpoint": {
            "get": _op("The latest signed checkpoint (C2SP tlog-checkpoint)", TEXT)
        },
        "/log/key": {"get": _op("The log's note verifier key", TEXT)},
        "/log/proof": {
            "get": _op(
                "A leaf's offline proof (c2sp.org/tlog-proof@v1): its entry as the extra "
                "data, its index, the inclusion proof and the cosigned checkpoint",
                TEXT,
                query=[("index", "integer", True)],
            )
        },
        "/log/proof/inclusion": {
            "get": _op(
                "Inclusion proof of a leaf, by index or by its base64 leaf hash",
                _json(InclusionProof),
                query=[
                    ("index", "integer", False),
                    ("hash", "string", False),
                    ("size", "integer", False),
                ],
            )
        },
        "/log/proof/consistency": {
            "get": _op(
                "Consistency proof between two tree sizes",
                _json(ConsistencyProof),
                query=[("from", "integer", True), ("to", "integer", False)],
            )
        },
        "/log/leaves": {
            "get": _op(
                "Leaves from ?start= (at most 1000)",
                _json(Leaves),
                query=[("start", "integer", False), ("limit", "integer", False)],
            )
        },
        "/log/tile/{level}/{index}": {
            "get": _op(
                "A hash tile (C2SP tlog-tiles): level 0 to 63, the index in 3-digit groups "
                "(x001/x234/067), `.p/<W>` after it for a partial tile of W hashes; full tiles "
                "are immutable",
                _media("application/octet-stream", binary=True),
                params=["level", "index"],
            )
        },
        "/log/tile/entries/{index}": {
            "get": _op(
                "An entry bundle (C2SP tlog-tiles): the data of the 256 leaves level-0 tile "
                "`index` hashes (fewer after `.p/<W>`), each a big-endian uint16 length and "
                "its bytes",
                _media("application/octet-stream", binary=True),
                params=["index"],
            )
        },
        "/api/v1/diplomas/{id}/bundle": {
            "get": _op(
                "The signed record, its inclusion proof and the checkpoint, for archiving",
                _json(Bundle),
                auth=True,
                params=["id"],
            )
        },
        "/api/v1/diplomas/{id}/proof": {
            "get": _op(
                "The offline proof (c2sp.org/tlog-proof@v1) of one of the diploma's leaves "
                "(?index=), by default its current version's",
                TEXT,
                auth=True,
                params=["id"],
                query=[("index", "integer", False)],
            )
        },
        "/api/v1/audit/issuers/{code}/register": {
            "get": _op(
                "An issuer's register with each entry's lifecycle, page by page",
                _json(RegisterPage),
                auth=True,
                params=["code"],
                query=[*filters, ("after", "string", False), ("limit", "integer", False)],
            )
        },
        "/api/v1/audit/issuers/{code}/register.csv": {
            "get": _op(
                "The register as CSV (UTF-8 with BOM)",
                _media("text/csv"),
                auth=True,
                params=["code"],
                query=filters,
            )
        },
        "/api/v1/audit/issuers/{code}/register.xlsx": {
            "get": _op(
                "The register as an Excel workbook",
                _media(XLSX, binary=True),
                auth=True,
                params=["code"],
                query=filters,
            )
        },
        "/api/v1/audit/issuers/{code}/anomalies": {
            "get": _op(
                "Anomalies of an issuer and those under it",
                _json(Anomalies),
                auth=True,
                params=["code"],
            )
        },
        "/api/v1/audit/issuers/{code}/events": {
            "get": _op(
                "Log events of an issuer and those under it",
                _json(Events),
                auth=True,
                params=["code"],
                query=[("after", "integer", False), ("limit", "integer", False)],
            )
        },
        "/api/v1/audit/journal": {
            "get": _op(
                "The staff journal of the reader's subtree (auditors and admins), oldest first",
                _json(JournalPage),
                auth=True,
                query=[
                    ("issuer", "string", False),
                    ("actor", "string", False),
                    ("action", "string", False),
                    ("after", "string", False),
                    ("cursor", "string", False),
                    ("limit", "integer", False),
                ],
            )
        },
        "/api/v1/national-export": {
            "get": _op(
                "The national diploma database export (auditors and admins): the entries and "
                "events of the scope's issuers (or issuer's subtree) in the mapping's fields, "
                "in log order from the cursor `after`; limit up to 1000",
                _json(NationalExportPage),
                auth=True,
                query=[
                    ("after", "string", False),
                    ("limit", "integer", False),
                    ("issuer", "string", False),
                ],
            )
        },
        "/api/v1/audit/issuers/{code}/reports/{year}": {
            "get": _op(
                "The yearly report of an issuer and those under it (auditors and admins)",
                _json(YearlyReport),
                auth=True,
                params=["code", "year"],
            )
        },
        "/api/v1/me": {"get": _op("Who the token acts as", _json(Me), auth=True)},
        "/api/v1/accounts": {
            "get": _op("The accounts of the admin's subtree", _json(Accounts), auth=True),
            "post": _op(
                "Create an account; answers its temporary password, once",
                _json(AccountWithPassword),
                auth=True,
                body="AccountRequest",
                status="201",
            ),
        },
        "/api/v1/accounts/{id}": {
            "get": _op("One account", _json(AccountView), auth=True, params=["id"])
        },
        "/api/v1/accounts/{id}/disable": {
            "post": _op(
                "Disable an account: its sessions end, its tokens stop",
                _json(AccountView),
                auth=True,
                params=["id"],
            )
        },
        "/api/v1/accounts/{id}/enable": {
            "post": _op("Enable an account", _json(AccountView), auth=True, params=["id"])
        },
        "/api/v1/accounts/{id}/reset-password": {
            "post": _op(
                "A new temporary password (and optionally no second factor); answered once",
                _json(AccountWithPassword),
                auth=True,
                params=["id"],
            )
        },
        **_staff_pages(),
        **_console_pages(),
        **_search_pages(),
        **_receipt_paths(),
        "/.well-known/vanbang/trust-list": {
            "get": _op(
                "The root-signed trust list",
                _media(COSE_SIGN1, binary=True),
                also={"304": NOT_MODIFIED},
            )
        },
        "/problems/{slug}": {
            "get": _op("What a problem type means", _json(ProblemTypeInfo), params=["slug"])
        },
        "/healthz": {"get": _op("Liveness", _json(Health))},
        "/metrics": {
            "get": _op(
                "Prometheus metrics in the text format, for the addresses VANBANG_METRICS_FROM "
                "names (404 for anyone else); docs/operations.md",
                TEXT,
            )
        },
        "/readyz": {"get": _op("Readiness (the database answers)", _json(Readiness))},
        "/openapi.json": {"get": _op("This document", _json("OpenAPIDocument"))},
    }
    paths["/api/v1/graduation-decisions"]["get"] = _op(
        "Find decisions within the token's scope, newest decided first: q (in the number), "
        "kind, year, issuer; a page at a time (cursor, limit up to 200)",
        _json(DecisionList),
        auth=True,
        query=[
            ("q", "string", False),
            ("kind", "string", False),
            ("year", "integer", False),
            ("issuer", "string", False),
            ("cursor", "string", False),
            ("limit", "integer", False),
        ],
    )
    paths["/api/v1/diplomas"] = {
        "get": _op(
            "Find diplomas within the token's scope, newest registered first: q (a name "
            "without diacritics from its start, a serial or a register number), born "
            "(dd/mm/yyyy or yyyy-mm-dd), kind, year (of graduation), state, decision, issuer, "
            "handed_over, registered_before; a page at a time (cursor, limit up to 200)",
            _json(DiplomaList),
            auth=True,
            query=[
                ("q", "string", False),
                ("born", "string", False),
                ("kind", "string", False),
                ("year", "integer", False),
                ("state", "string", False),
                ("decision", "string", False),
                ("issuer", "string", False),
                ("handed_over", "boolean", False),
                ("registered_before", "string", False),
                ("cursor", "string", False),
                ("limit", "integer", False),
            ],
        )
    }
    schemas = {
        **_model_schemas(),
        "VerificationResult": _RESULT,
        "ReceiptCreated": _RECEIPT_CREATED,
        "Receipt": _RECEIPT,
        "Problem": _PROBLEM,
        "OpenAPIDocument": _OPENAPI_DOCUMENT,
    }
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
