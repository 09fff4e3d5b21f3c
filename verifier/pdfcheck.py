"""Checking a digital diploma's PDF offline (`vanbang-verify pdf`; the `pdf` extra: pyHanko).

A digital diploma carries two signatures (docs/digital-diplomas.md): the issuer's PAdES
signature over the whole file, with its X.509 certificate, and the register's Ed25519
signature on the record attached to it. Each step here is one of `PDF_STEPS`:

1. `pdf_signature_valid`: pyHanko finds the signature intact and the file unchanged since
   (it covers the whole file, or what follows it is only what pyHanko accepts as long-term
   validation updates: the DSS and document timestamps).
2. `certificate_trusted`: the signer's chain reaches one of the roots given (none given: not
   checked, and the step fails saying so), valid at the signing time: the signature
   timestamp's when there is one (itself checked against the same roots), else the time the
   signer claims; revocation from what the file embeds (never fetched).
3. `certificate_listed`: the trust list publishes that certificate for an issuer.
4. `record_valid`: the attached register record (and a corrected version's beside it)
   verifies against the trust list, and is the issuer's whose certificate signed the file.
5. `qr_matches_record`: the QR code drawn on the page, read by rendering the page with
   poppler's pdftoppm and decoding it with zbarimg (through pipes, no file written), is a
   genuine token of that very record. The QR is vector paths: without those two tools it
   is not read, the step is skipped saying so, and the record alone stands for it. The page
   is rendered only once the steps before passed, so poppler only ever reads documents a
   listed issuer signed.

Any step failed makes the document not genuine; a step that needs a failed one is skipped.
"""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms, pem, x509
from pyhanko.pdf_utils.generic import ArrayObject, DictionaryObject
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.status import (
    PdfSignatureStatus,
    SignatureCoverageLevel,
    SignatureStatus,
)
from pyhanko_certvalidator import ValidationContext

from verifier.check import check_token, public_fields, with_custodian
from verifier.errors import MalformedError, VerificationError
from verifier.record import verify_record
from verifier.result import (
    PDF_STEPS,
    REGISTER_STEPS,
    Outcome,
    Step,
    StepResult,
    Verdict,
    VerificationResult,
)
from verifier.token import KEYS, record_digest
from verifier.trust_list import TrustList

RECORD_PREFIX = "ban-ghi-so-goc-"
_CORRECTED = re.compile(r"ban-ghi-dinh-chinh-(\d+)-(.+)\.cose")
# What the result shows of a record: the fields a token carries, as the QR check shows them.
_SHOWN = (
    *(name for name in KEYS.values() if name not in ("v", "issued_at", "record_digest")),
    "version",
)
QR_DPI = 200
RENDER_TIMEOUT_SECONDS = 30


def record_name(serial: str) -> str:
    """The attached file holding a diploma's signed record as registered."""
    return f"{RECORD_PREFIX}{serial}.cose"


def proof_name(serial: str, version: int) -> str:
    """The offline proof (c2sp.org/tlog-proof@v1) of the version's leaf in the issuance log:
    its issue for version 1, else the correction that made it (vanbang-verify proof)."""
    return f"bang-chung-nhat-ky-{version}-{serial}.tlog-proof"


def corrected_name(serial: str, version: int) -> str:
    """The signed record of a corrected version (2, 3, ...), beside the registered one."""
    return f"ban-ghi-dinh-chinh-{version}-{serial}.cose"


def load_roots(data: bytes) -> list[x509.Certificate]:
    """The certificates in a PEM file (one or more) or one DER certificate."""
    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


@dataclass(frozen=True)
class CheckedPdf:
    """The offline result, and what a register needs to look the diploma up: the signed
    record as registered and the version the document is of (1 unless corrected)."""

    result: VerificationResult
    record: bytes | None
    version: int


class _Steps:
    """The steps as they are decided; any left undecided are skipped (an earlier failed)."""

    def __init__(self) -> None:
        self._done: dict[Step, StepResult] = {}

    def passed(self, step: Step, detail: str = "") -> None:
        self._done[step] = StepResult(step, Outcome.PASSED, step.value, detail)

    def failed(self, step: Step, code: str, detail: str) -> None:
        self._done[step] = StepResult(step, Outcome.FAILED, code, detail)

    def skipped(self, step: Step, why: str) -> None:
        self._done[step] = StepResult(step, Outcome.SKIPPED, step.value, why)

    def ok(self, step: Step) -> bool:
        return step in self._done and self._done[step].outcome == Outcome.PASSED

    def all(self, *, offline: bool) -> tuple[StepResult, ...]:
        shown = [
            self._done.get(step, StepResult(step, Outcome.SKIPPED, step.value, ""))
            for step in PDF_STEPS
        ]
        why = "offline" if offline else ""
        register = [StepResult(s, Outcome.SKIPPED, s.value, why) for s in REGISTER_STEPS]
        return (*shown, *register)

    @property
    def any_failed(self) -> bool:
        return any(s.outcome == Outcome.FAILED for s in self._done.values())


def check_pdf(
    data: bytes,
    trust_list: TrustList,
    roots: Sequence[x509.Certificate],
    *,
    read_qr: bool = True,
) -> CheckedPdf:
    """Checks a digital diploma's PDF offline, step by step. pyHanko's validator runs an
    event loop of its own: call this from a thread without one (asyncio.to_thread)."""
    steps = _Steps()
    status, signing_time = _signature(data, roots, steps)
    issuer = None
    if status is not None:
        _chain(status, roots, signing_time, steps)
        issuer = trust_list.issuer_of_certificate(status.signing_cert.dump())
        if issuer is None:
            subject = status.signing_cert.subject.human_friendly
            steps.failed(Step.CERTIFICATE_LISTED, "certificate_not_listed", subject)
        else:
            steps.passed(Step.CERTIFICATE_LISTED, issuer)
    fields: dict[str, Any] = {}
    kid = None
    registered = None
    version = 1
    if steps.ok(Step.PDF_SIGNATURE_VALID):
        try:
            registered, shown, kid, version = _records(_attachments(data), trust_list)
        except Exception as exc:  # a record that fails its checks, or an unreadable one
            if not isinstance(exc, VerificationError):
                exc = MalformedError(f"the attachments cannot be read: {exc}")
            steps.failed(Step.RECORD_VALID, exc.code, str(exc))
        else:
            fields = public_fields({k: shown[k] for k in _SHOWN if k in shown})
            _record_issuer(fields["issuer"], issuer, trust_list, steps)
    if steps.ok(Step.RECORD_VALID) and steps.ok(Step.CERTIFICATE_LISTED) and registered:
        if read_qr:
            _qr(data, registered, fields, trust_list, steps)
        else:
            steps.skipped(Step.QR_MATCHES_RECORD, "not_decoded")
    verdict = Verdict.NOT_GENUINE if steps.any_failed else Verdict.GENUINE
    result = VerificationResult(verdict, steps.all(offline=verdict == Verdict.GENUINE), fields, kid)
    return CheckedPdf(with_custodian(result, trust_list), registered, version)


def _signature(
    data: bytes, roots: Sequence[x509.Certificate], steps: _Steps
) -> tuple[PdfSignatureStatus | None, datetime | None]:
    """pyHanko's status of the document's (first) signature, and the time it was validated
    at; None when there is no signature to judge (the step failed)."""
    if not data.startswith(b"%PDF-"):
        steps.failed(Step.PDF_SIGNATURE_VALID, "not_a_pdf", "the file does not start with %PDF-")
        return None, None
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
        if not signatures:
            steps.failed(Step.PDF_SIGNATURE_VALID, "no_pdf_signature", "no signature field")
            return None, None
        signature = signatures[0]
        stamped = _timestamp_time(signature.signer_info)
        moment = stamped or signature.self_reported_timestamp or datetime.now(UTC)
        status = asyncio.run(_validate(reader, signature, roots, moment))
    except Exception as exc:  # a malformed PDF can fail anywhere in the parser
        steps.failed(Step.PDF_SIGNATURE_VALID, "not_a_pdf", f"{type(exc).__name__}: {exc}")
        return None, None
    if not (status.intact and status.valid):
        steps.failed(Step.PDF_SIGNATURE_VALID, "pdf_signature_invalid", status.summary())
        return None, None
    unchanged = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level is not None
        and status.modification_level <= ModificationLevel.LTA_UPDATES
        and status.docmdp_ok
    )
    if not unchanged:
        steps.failed(Step.PDF_SIGNATURE_VALID, "pdf_changed", status.summary())
        return None, None
    if not data.rstrip().endswith(b"%%EOF"):  # bytes a reader ignores, but not the signer's
        steps.failed(Step.PDF_SIGNATURE_VALID, "pdf_changed", "bytes after the last %%EOF")
        return None, None
    steps.passed(Step.PDF_SIGNATURE_VALID)
    return status, moment


async def _validate(
    reader: PdfFileReader,
    signature: Any,
    roots: Sequence[x509.Certificate],
    moment: datetime,
) -> PdfSignatureStatus:
    """The signer's chain judged at `moment`, the timestamp's now, each against `roots`,
    with the revocation data the file embeds and nothing fetched."""
    settings: dict[str, Any] = {
        "trust_roots": list(roots),
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
    }
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        signer = dss.as_validation_context(
            {**settings, "moment": moment, "retroactive_revinfo": True}
        )
        stamps = dss.as_validation_context(settings)
    except NoDSSFoundError:
        signer = ValidationContext(**settings, moment=moment, retroactive_revinfo=True)
        stamps = ValidationContext(**settings)
    return await async_validate_pdf_signature(
        signature, signer_validation_context=signer, ts_validation_context=stamps
    )


def _timestamp_time(signer_info: cms.SignerInfo) -> datetime | None:
    """The time of the signature's RFC 3161 timestamp, when it has one."""
    unsigned = signer_info["unsigned_attrs"]
    if not isinstance(unsigned, cms.CMSAttributes):
        return None
    for attribute in unsigned:
        if attribute["type"].native == "signature_time_stamp_token":
            token = attribute["values"][0]["content"]
            info = token["encap_content_info"]["content"].parsed
            moment: datetime = info["gen_time"].native
            return moment
    return None


def _chain(
    status: PdfSignatureStatus,
    roots: Sequence[x509.Certificate],
    moment: datetime | None,
    steps: _Steps,
) -> None:
    step = Step.CERTIFICATE_TRUSTED
    when = f"at {moment.isoformat() if moment else 'now'}"
    stamp: SignatureStatus | None = status.timestamp_validity
    if not roots:
        steps.failed(step, "no_ca_root", "no CA root given: the chain was not checked")
    elif stamp is not None and not (stamp.intact and stamp.valid and stamp.trusted):
        steps.failed(step, "timestamp_invalid", stamp.summary())
    elif not status.trusted or status.revoked:
        problem = status.trust_problem_indic
        steps.failed(step, "certificate_untrusted", f"{when}: {problem or status.summary()}")
    else:
        source = "the signature timestamp" if stamp is not None else "the signer's stated time"
        steps.passed(step, f"{when} ({source})")


def _attachments(data: bytes) -> dict[str, bytes]:
    """The document's embedded files by name (the catalog's EmbeddedFiles name tree)."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    found: dict[str, bytes] = {}
    names = reader.root.get("/Names")
    tree = names.get("/EmbeddedFiles") if isinstance(names, DictionaryObject) else None
    pending = [tree] if isinstance(tree, DictionaryObject) else []
    while pending:
        node = pending.pop()
        kids = node.get("/Kids")
        if isinstance(kids, ArrayObject):
            pending.extend(k.get_object() for k in kids)
        pairs = node.get("/Names")
        if isinstance(pairs, ArrayObject):
            items = list(pairs)  # each a name or a (reference to a) file specification
            for name, spec in zip(items[::2], items[1::2], strict=False):
                files = spec.get_object().get("/EF")
                if isinstance(files, DictionaryObject) and "/F" in files:
                    found[str(name)] = files["/F"].get_object().data
    return found


def _records(
    files: dict[str, bytes], trust_list: TrustList
) -> tuple[bytes, dict[str, Any], str, int]:
    """The registered record's bytes, the fields of the latest version attached, its key id
    and its version; raises a VerificationError for the first that does not hold."""
    registered = [n for n in files if n.startswith(RECORD_PREFIX) and n.endswith(".cose")]
    if len(registered) != 1:
        raise _NoRecord(f"{len(registered)} registered records attached, not one")
    signed = files[registered[0]]
    record = verify_record(signed, trust_list)
    serial = record.fields["serial"]
    if registered[0] != record_name(serial):
        raise MalformedError(f"{registered[0]} holds the record of serial {serial}")
    latest, version = record, 1
    for name, content in files.items():
        match = _CORRECTED.fullmatch(name)
        if match is None or int(match[1]) <= version:
            continue
        corrected = verify_record(content, trust_list)
        same = all(corrected.fields[k] == record.fields[k] for k in ("issuer", "kind", "serial"))
        if not same or corrected.fields.get("version") != int(match[1]) or match[2] != serial:
            raise MalformedError(f"{name} is not a corrected version of serial {serial}")
        latest, version = corrected, int(match[1])
    return signed, dict(latest.fields), latest.kid.hex(), version


class _NoRecord(VerificationError):
    code = "no_record"


def _record_issuer(record_issuer: str, signer: str | None, trust: TrustList, s: _Steps) -> None:
    """The record is the issuer's whose certificate signed the file (or, once its register
    passed to another body, that custodian's)."""
    custody = trust.custodian(record_issuer)
    allowed = {record_issuer} | ({custody.custodian} if custody else set())
    if signer is not None and signer not in allowed:
        s.failed(
            Step.RECORD_VALID,
            "certificate_issuer_mismatch",
            f"the record is {record_issuer}'s, the file was signed with {signer}'s certificate",
        )
    else:
        s.passed(Step.RECORD_VALID)


def _qr(
    data: bytes, registered: bytes, fields: dict[str, Any], trust: TrustList, steps: _Steps
) -> None:
    step = Step.QR_MATCHES_RECORD
    texts = read_page_qr(data)
    if texts is None:
        steps.skipped(step, "not_decoded")
        return
    if len(texts) != 1:
        steps.failed(step, "qr_mismatch", f"{len(texts)} QR codes on the first page, not one")
        return
    token = check_token(texts[0], trust)
    failure = token.failure
    if failure is not None:
        steps.failed(step, failure.code, f"the QR code: {failure.detail}")
        return
    expected = {
        "record_digest": record_digest(registered).hex(),
        "serial": fields["serial"],
        "issuer": fields["issuer"],
    }
    wrong = sorted(k for k, v in expected.items() if token.fields.get(k) != v)
    if wrong:
        steps.failed(step, "qr_mismatch", f"the QR code's {', '.join(wrong)} differ")
    else:
        steps.passed(step)


def read_page_qr(data: bytes) -> list[str] | None:
    """The QR texts on the document's first page, rendered by pdftoppm and read by zbarimg
    through pipes; None when either tool is missing or fails."""
    pdftoppm, zbarimg = shutil.which("pdftoppm"), shutil.which("zbarimg")
    if pdftoppm is None or zbarimg is None:
        return None
    try:
        page = subprocess.run(  # noqa: S603  # fixed arguments, the document on stdin
            [pdftoppm, "-r", str(QR_DPI), "-f", "1", "-l", "1", "-png", "-"],
            input=data,
            capture_output=True,
            timeout=RENDER_TIMEOUT_SECONDS,
            check=True,
        ).stdout
        found = subprocess.run(  # noqa: S603  # fixed arguments, the image on stdin
            [zbarimg, "-q", "--raw", "-Sdisable", "-Sqrcode.enable", "png:-"],
            input=page,
            capture_output=True,
            timeout=RENDER_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if found.returncode == 4:  # zbarimg: no code found
        return []
    if found.returncode != 0:
        return None
    return [line for line in found.stdout.decode("utf-8", "replace").splitlines() if line]
