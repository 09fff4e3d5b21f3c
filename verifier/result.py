"""The result of checking a diploma: one shape for every path (this library, `vanbang-verify`
and, with the register's status added, the public verification API).

A result is an overall verdict and the steps checked, each with a stable machine code, an
outcome and a message in Vietnamese or English. Offline, the current status cannot be read:
the verdict is then `genuine` (the signature and key hold), never `valid`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

Lang = Literal["vi", "en"]


class Verdict(StrEnum):
    VALID = "valid"  # genuine, and the register says it stands
    GENUINE = "genuine"  # genuine; current status not checked (offline)
    CORRECTED = "corrected"  # genuine and in force, its civil status corrected (Art. 21-24)
    REPLACED = "replaced"  # genuine, but re-issued on a new blank for the issuer's error
    REVOKED = "revoked"  # genuine, but revoked by a decision (Art. 25)
    NOT_FOUND = "not_found"  # genuine signature, but no such record in the register
    STATUS_UNKNOWN = "status_unknown"  # genuine; the register could not be asked
    NOT_GENUINE = "not_genuine"  # a check of the token itself failed


class Step(StrEnum):
    # In the order they are checked and listed.
    TOKEN_DECODED = "token_decoded"  # noqa: S105  # a step name, not a secret
    SIGNATURE_VALID = "signature_valid"
    KEY_TRUSTED_AT_ISSUANCE = "key_trusted_at_issuance"
    PRESENT_IN_REGISTER = "present_in_register"
    CURRENT_STATUS = "current_status"
    LOG_INCLUDED = "log_included"  # the record is a leaf of the public issuance log
    # A digital diploma's PDF (verifier.pdfcheck), checked before the register steps:
    PDF_SIGNATURE_VALID = "pdf_signature_valid"  # PAdES signature intact, document unchanged
    CERTIFICATE_TRUSTED = "certificate_trusted"  # its chain to a CA root, valid when it signed
    CERTIFICATE_LISTED = "certificate_listed"  # the trust list publishes it for an issuer
    RECORD_VALID = "record_valid"  # the attached register record, signed by that issuer
    QR_MATCHES_RECORD = "qr_matches_record"  # the QR drawn on the page is the record's token


REGISTER_STEPS = (Step.PRESENT_IN_REGISTER, Step.CURRENT_STATUS, Step.LOG_INCLUDED)
PDF_STEPS = (
    Step.PDF_SIGNATURE_VALID,
    Step.CERTIFICATE_TRUSTED,
    Step.CERTIFICATE_LISTED,
    Step.RECORD_VALID,
    Step.QR_MATCHES_RECORD,
)
# The signature step's code when the register recognised the token's exact bytes as a token
# it issued, instead of verifying the signature (verifier.check.check_recognised).
RECOGNISED = "recognised"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # not checked: an earlier step failed, or offline


# (Vietnamese, English) for each step outcome and each failure code.
MESSAGES: dict[str, tuple[str, str]] = {
    "token_decoded.passed": ("Đọc được mã", "The code was read"),
    "signature_valid.passed": ("Chữ ký số đúng", "The digital signature is correct"),
    RECOGNISED: (
        "Đúng từng byte mã QR do sổ gốc ký và cấp; chữ ký không cần kiểm lại",
        "Byte for byte the QR code the register signed and issued; its signature was not "
        "checked again",
    ),
    "key_trusted_at_issuance.passed": (
        "Khóa ký được tin cậy vào ngày cấp",
        "The signing key was trusted when it was issued",
    ),
    "present_in_register.passed": (
        "Có trong sổ gốc, đúng bản ghi đã ký",
        "In the register, the very record that was signed",
    ),
    "current_status.passed": ("Văn bằng đang có hiệu lực", "The diploma is in force"),
    "log_included.passed": (
        "Có trong nhật ký cấp văn bằng công khai",
        "In the public issuance log",
    ),
    "log_included.skipped.pending": (
        "Đang được ghi vào nhật ký cấp văn bằng (vài giây)",
        "Being entered in the issuance log (a few seconds)",
    ),
    "log_included.skipped.offline": (
        "Chưa đối chiếu nhật ký cấp văn bằng (ngoại tuyến)",
        "Not compared with the issuance log (offline)",
    ),
    "pdf_signature_valid.passed": (
        "Chữ ký số PAdES trên tệp đúng; tệp không bị sửa từ khi ký",
        "The PDF's PAdES signature is correct; the file is unchanged since it was signed",
    ),
    "certificate_trusted.passed": (
        "Chứng thư số của người ký nối tới gốc tin cậy và có hiệu lực lúc ký",
        "The signer's certificate chains to a trusted root and was valid when it signed",
    ),
    "certificate_listed.passed": (
        "Chứng thư số là của đơn vị cấp có trong danh sách tin cậy",
        "The certificate is an issuer's, published in the trust list",
    ),
    "record_valid.passed": (
        "Bản ghi sổ gốc đính kèm đúng chữ ký của đơn vị đã ký tệp",
        "The attached register record is signed by the issuer that signed the file",
    ),
    "qr_matches_record.passed": (
        "Mã QR trên văn bằng khớp với bản ghi sổ gốc đính kèm",
        "The QR code on the diploma matches the attached register record",
    ),
    "qr_matches_record.skipped.not_decoded": (
        "Chưa đọc mã QR trên trang (cần pdftoppm và zbarimg); đã kiểm tra bản ghi đính kèm",
        "The QR code on the page was not read (pdftoppm and zbarimg are needed); the "
        "attached record was checked",
    ),
    "not_a_pdf": ("Tệp không phải là PDF đọc được", "The file is not a readable PDF"),
    "no_pdf_signature": ("Tệp không có chữ ký số", "The file has no digital signature"),
    "pdf_signature_invalid": (
        "Chữ ký số không khớp với nội dung tệp: tệp đã bị sửa",
        "The signature does not match the file's content: the file was altered",
    ),
    "pdf_changed": (
        "Tệp đã bị thay đổi sau khi ký",
        "The file was changed after it was signed",
    ),
    "no_ca_root": (
        "Chưa đối chiếu chuỗi chứng thư với gốc tin cậy nào (không có --ca-root)",
        "The certificate chain was not checked against any root (no --ca-root given)",
    ),
    "certificate_untrusted": (
        "Chứng thư số không nối tới gốc tin cậy, hoặc không có hiệu lực lúc ký",
        "The certificate does not chain to a trusted root, or was not valid when it signed",
    ),
    "timestamp_invalid": (
        "Dấu thời gian trên chữ ký không hợp lệ",
        "The signature's timestamp is not valid",
    ),
    "certificate_not_listed": (
        "Chứng thư số không thuộc đơn vị cấp nào trong danh sách tin cậy",
        "The certificate is no issuer's in the trust list",
    ),
    "no_record": (
        "Tệp không có bản ghi sổ gốc đính kèm",
        "The file has no register record attached",
    ),
    "certificate_issuer_mismatch": (
        "Bản ghi sổ gốc thuộc đơn vị khác với đơn vị đã ký tệp",
        "The register record is another issuer's than the one that signed the file",
    ),
    "qr_mismatch": (
        "Mã QR trên văn bằng không khớp với bản ghi sổ gốc đính kèm",
        "The QR code on the diploma does not match the attached register record",
    ),
    "not_in_register": ("Không có trong sổ gốc", "Not in the register"),
    # A certified copy's QR code: its entry in the copy register, then the diploma's status.
    "copy_in_register": (
        "Có trong sổ cấp bản sao, đúng bản sao đã ký; văn bằng có trong sổ gốc",
        "In the copy register, the very copy that was signed; the diploma is in the register",
    ),
    "copy_not_in_register": (
        "Không có bản sao này trong sổ cấp bản sao",
        "This copy is not in the copy register",
    ),
    "revoked": ("Đã bị thu hồi theo quyết định", "Revoked by a decision"),
    "corrected": (
        "Còn hiệu lực, đã được chỉnh sửa theo quyết định",
        "In force, corrected by a decision",
    ),
    "replaced": (
        "Đã được thay bằng văn bằng cấp lại",
        "Replaced by a re-issued diploma",
    ),
    "record_mismatch": (
        "Sổ gốc có bản ghi khác với mã này",
        "The register holds a different record for this code",
    ),
    "status_unavailable": (
        "Không kiểm tra được tình trạng hiện tại",
        "The current status could not be checked",
    ),
    "token_decoded.skipped.by_serial": (
        "Tra cứu theo số hiệu, không có mã QR",
        "Looked up by serial, without a QR code",
    ),
    "signature_valid.skipped.no_record": (
        "Không có bản ghi để kiểm tra chữ ký",
        "No record whose signature could be checked",
    ),
    "key_trusted_at_issuance.skipped.no_record": (
        "Không có bản ghi để kiểm tra khóa ký",
        "No record whose signing key could be checked",
    ),
    "present_in_register.skipped.unavailable": (
        "Không hỏi được máy chủ",
        "The service could not be asked",
    ),
    "present_in_register.skipped.offline": (
        "Chưa đối chiếu sổ gốc (ngoại tuyến)",
        "Not compared with the register (offline)",
    ),
    "current_status.skipped.offline": (
        "Chưa kiểm tra tình trạng hiện tại (ngoại tuyến)",
        "Current status not checked (offline)",
    ),
    "skipped": ("Không kiểm tra vì bước trước không đạt", "Not checked: an earlier step failed"),
    "steps_not_run": (
        "{count} bước sau không kiểm tra vì bước trước không đạt",
        "{count} later steps not checked: an earlier step failed",
    ),
    "malformed": ("Mã không đúng định dạng", "The code is not well-formed"),
    "checkpoint_invalid": (
        "Điểm kiểm của nhật ký không hợp lệ",
        "The log checkpoint is not valid",
    ),
    "proof_invalid": ("Bằng chứng Merkle không đúng", "The Merkle proof does not hold"),
    "witness_policy_unmet": (
        "Không đủ nhân chứng đồng ký điểm kiểm của nhật ký",
        "Too few witnesses cosigned the log's checkpoint",
    ),
    "unsupported_algorithm": (
        "Thuật toán ký không được chấp nhận",
        "The signature algorithm is not accepted",
    ),
    "unknown_key": (
        "Khóa ký không có trong danh sách tin cậy",
        "The signing key is not in the trust list",
    ),
    "signature_invalid": ("Chữ ký số không khớp với nội dung", "The signature does not match"),
    "issuer_mismatch": (
        "Khóa ký không thuộc đơn vị cấp ghi trên mã",
        "The key does not belong to the issuer the code names",
    ),
    "key_not_valid_at_issuance": (
        "Khóa ký không có hiệu lực vào thời điểm cấp",
        "The key was not valid when the diploma was issued",
    ),
    "key_compromised": (
        "Khóa ký đã bị lộ trước thời điểm cấp",
        "The key was compromised before the diploma was issued",
    ),
}
VERDICTS: dict[Verdict, tuple[str, str]] = {
    Verdict.VALID: ("Văn bằng thật và còn hiệu lực", "Genuine and valid"),
    Verdict.GENUINE: (
        "Văn bằng thật (chưa kiểm tra tình trạng hiện tại)",
        "Genuine (current status not checked)",
    ),
    Verdict.CORRECTED: (
        "Văn bằng thật, còn hiệu lực, đã được chỉnh sửa",
        "Genuine and valid, with a correction",
    ),
    Verdict.REPLACED: (
        "Văn bằng đã được thay bằng văn bằng cấp lại",
        "Replaced by a re-issued diploma",
    ),
    Verdict.REVOKED: ("Văn bằng đã bị thu hồi", "Revoked"),
    Verdict.NOT_FOUND: ("Không có văn bằng này trong sổ gốc", "Not found in the register"),
    Verdict.STATUS_UNKNOWN: (
        "Văn bằng thật, nhưng không kiểm tra được tình trạng hiện tại",
        "Genuine, but its current status could not be checked",
    ),
    # Said so that nobody reads it as "could not check": the check ran, and failed.
    Verdict.NOT_GENUINE: (
        "Không phải văn bằng thật: mã QR này không do đơn vị cấp phát hành, hoặc đã bị sửa",
        "Not genuine: this QR code was not issued by the issuer, or it has been altered",
    ),
}


# How a person reads each field (Vietnamese, English), in the order a diploma shows them.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "kind": ("Loại văn bằng", "Kind"),
    "holder_name": ("Họ và tên", "Full name"),
    "date_of_birth": ("Ngày sinh", "Date of birth"),
    "place_of_birth": ("Nơi sinh", "Place of birth"),
    "major": ("Ngành", "Major"),
    "classification": ("Xếp loại", "Classification"),
    "graduation_year": ("Năm tốt nghiệp", "Graduation year"),
    "serial": ("Số hiệu", "Serial"),
    "register_number": ("Số vào sổ gốc", "Register number"),
    "issuer": ("Đơn vị cấp", "Issuer"),
    "issued_on": ("Ngày cấp", "Issued on"),
    # A certified copy's QR code: the copy register's entry (Art. 27-32).
    "copy_number": ("Số bản sao (sổ cấp bản sao)", "Copy number (copy register)"),
    "copied_on": ("Ngày cấp bản sao", "Copy issued on"),
}
# Shown after the issuer when its register passed to another body (docs/custody.md).
CUSTODIAN_LABEL: tuple[str, str] = (
    "Đơn vị đang quản lý sổ gốc",
    "Current custodian of the register",
)
CUSTODIAN_VALUE: tuple[str, str] = (
    "{name} ({code}), từ ngày {since} theo {legal_basis}",
    "{name} ({code}), since {since} under {legal_basis}",
)


# The kinds of diploma by their codes in a token (Vietnamese, English), as the service's
# catalogue names them (tests/service/test_texts.py holds the two equal).
KIND_LABELS: dict[str, tuple[str, str]] = {
    "thcs": ("Bằng tốt nghiệp trung học cơ sở", "Lower secondary school diploma"),
    "thpt": ("Bằng tốt nghiệp trung học phổ thông", "Upper secondary school diploma"),
    "teacher_intermediate": (
        "Bằng tốt nghiệp trung cấp sư phạm",
        "Teacher-training intermediate diploma",
    ),
    "teacher_college": ("Bằng tốt nghiệp cao đẳng sư phạm", "Teacher-training college diploma"),
    "bachelor": ("Bằng cử nhân", "Bachelor's degree"),
    "engineer": ("Bằng kỹ sư", "Engineer's degree"),
    "master": ("Bằng thạc sĩ", "Master's degree"),
    "doctor": ("Bằng tiến sĩ", "Doctoral degree"),
    "certificate": ("Chứng chỉ", "Certificate"),
    "vocational_secondary": ("Bằng trung học nghề", "Vocational secondary diploma"),
    "vocational_intermediate": ("Bằng tốt nghiệp trung cấp", "Vocational intermediate diploma"),
    "vocational_college": ("Bằng tốt nghiệp cao đẳng", "Vocational college diploma"),
    "vocational_certificate": ("Chứng chỉ sơ cấp", "Vocational elementary certificate"),
}


def message(key: str, lang: Lang) -> str:
    vi, en = MESSAGES[key]
    return vi if lang == "vi" else en


@dataclass(frozen=True)
class StepResult:
    step: Step
    outcome: Outcome
    code: str  # the step's own code when it passed or was skipped, else the failure code
    # A failure's diagnostic in English; for a skipped step, why it was skipped
    # ("offline", "by_serial", "no_record", "unavailable"; empty: an earlier step failed).
    detail: str

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        if self.outcome == Outcome.FAILED:
            return {
                "code": self.step.value,
                "outcome": self.outcome.value,
                "message": message(self.code, lang),
                "reason": self.code,
                "detail": self.detail,
            }
        # A step that did not fail shows no detail, so there are few such texts and each is
        # made once (a server renders the same six for every valid diploma).
        detail = self.detail if self.outcome == Outcome.SKIPPED else ""
        return dict(_shown(self.step, self.outcome, self.code, detail, lang))


@functools.lru_cache(maxsize=512)
def _shown(step: Step, outcome: Outcome, code: str, detail: str, lang: Lang) -> dict[str, Any]:
    if outcome == Outcome.SKIPPED:
        # Why it was skipped (offline, by serial...), else: an earlier step failed.
        reason = f"{step}.skipped.{detail}"
        text = message(reason if reason in MESSAGES else "skipped", lang)
    else:
        # Passed with a qualification (corrected) has a message of its own.
        text = message(code if code != step else f"{step}.passed", lang)
        if code == RECOGNISED:  # software can tell a recognised token from a verified one
            return {"code": step.value, "outcome": outcome.value, "message": text, "reason": code}
    return {"code": step.value, "outcome": outcome.value, "message": text}


@dataclass(frozen=True)
class VerificationResult:
    verdict: Verdict
    steps: tuple[StepResult, ...]
    fields: dict[str, Any] = field(default_factory=dict)  # what the token says, if decoded
    kid: str | None = None
    status_checked_at: datetime | None = None
    # What the register says of it: {"state": "in_force"} or {"state": "revoked", decision...}
    status: dict[str, Any] | None = None
    # When the issuer's register passed to another body: who holds it now (the trust list's
    # last custody of the issuer): code, name, since (its legal date), legal_basis.
    custodian: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """Genuine, and not found missing from the register: valid, corrected and in force,
        or genuine with the status not (or not yet) read."""
        return self.verdict in (
            Verdict.VALID,
            Verdict.CORRECTED,
            Verdict.GENUINE,
            Verdict.STATUS_UNKNOWN,
        )

    def with_register(
        self,
        present: StepResult,
        status: StepResult,
        verdict: Verdict,
        checked_at: datetime,
        state: dict[str, Any] | None = None,
        logged: StepResult | None = None,
    ) -> VerificationResult:
        """This offline result completed with what the register (and its log) says."""
        offline = tuple(s for s in self.steps if s.step not in REGISTER_STEPS)
        if logged is None:
            logged = StepResult(Step.LOG_INCLUDED, Outcome.SKIPPED, Step.LOG_INCLUDED, "")
        return VerificationResult(
            verdict,
            (*offline, present, status, logged),
            self.fields,
            self.kid,
            checked_at,
            state,
            self.custodian,
        )

    @property
    def failure(self) -> StepResult | None:
        return next((s for s in self.steps if s.outcome == Outcome.FAILED), None)

    def to_dict(self, lang: Lang = "vi") -> dict[str, Any]:
        vi, en = VERDICTS[self.verdict]
        return {
            "verdict": self.verdict.value,
            "summary": vi if lang == "vi" else en,
            "steps": [s.to_dict(lang) for s in self.steps],
            "status_checked_at": (
                self.status_checked_at.isoformat() if self.status_checked_at else None
            ),
            "fields": self.fields,
            "kid": self.kid,
            "status": self.status,
            **({"custodian": self.custodian} if self.custodian is not None else {}),
        }
