"""Every text of the public pages, Vietnamese first, in one catalogue: the templates read it as
`t` (`{{ t.lookup }}`), the views through `text()`, `field_label()`, `kind_title()` and
`ground_title()`. The texts are escaped once, here, not on every page."""

from __future__ import annotations

from types import MappingProxyType, SimpleNamespace
from typing import Final

from markupsafe import Markup, escape

from service.domain.kinds import DiplomaKind
from service.domain.lifecycle import RevocationGround
from verifier.result import FIELD_LABELS, Lang

PAGE: Final = MappingProxyType(
    {
        "title": ("Kiểm tra văn bằng", "Verify a diploma"),
        "other": ("English", "Tiếng Việt"),
        "compare": ("Đối chiếu với bản giấy", "Compare with the paper"),
        "steps": ("Các bước đã kiểm tra", "What was checked"),
        "checked_at": ("Tình trạng đọc lúc", "Status read at"),
        "lookup": ("Tra cứu theo số hiệu", "Look up by serial"),
        "lookup_intro": (
            "Nhập số hiệu và ngày sinh in trên văn bằng.",
            "Enter the serial and the date of birth printed on the diploma.",
        ),
        "serial": ("Số hiệu", "Serial"),
        "dob": ("Ngày sinh", "Date of birth"),
        "issuer": ("Mã đơn vị cấp (nếu biết)", "Issuer code (if known)"),
        "submit": ("Tra cứu", "Look up"),
        "again": ("Tra cứu văn bằng khác", "Look up another diploma"),
        "revocation": ("Quyết định thu hồi", "Revocation decision"),
        "decision": ("Số quyết định", "Decision number"),
        "decided_on": ("Ngày quyết định", "Decided on"),
        "authority": ("Cơ quan quyết định", "Decided by"),
        "ground": ("Căn cứ", "Ground"),
        "reason": ("Lý do", "Reason"),
        "revocations": ("Văn bằng bị thu hồi", "Revoked diplomas"),
        "correction": ("Quyết định chỉnh sửa", "Correction decision"),
        "current": (
            "Nội dung hiện hành trong sổ gốc (văn bằng giấy dùng kèm quyết định chỉnh sửa)",
            "Current content of the register (the paper is shown with the correction decision)",
        ),
        "replacement": (
            "Văn bằng này đã được cấp lại do lỗi của cơ quan cấp; văn bằng thay thế:",
            "This diploma was re-issued for the issuer's own error; the replacement:",
        ),
        "none": ("Chưa có quyết định thu hồi nào.", "No revocation decisions."),
        "footer": (
            "Văn bằng được ký số bởi đơn vị cấp; trang này kiểm tra chữ ký và sổ gốc.",
            "Diplomas are digitally signed by their issuers; this page checks the "
            "signature and the register.",
        ),
    }
)
# The names of the signed fields are the verifier's, so that `vanbang-verify` and the pages
# say the same.
FIELDS: Final = FIELD_LABELS
# The Vietnamese titles are the domain's (as printed on the diploma); the English ones are here.
KINDS: Final = MappingProxyType(
    {
        kind: (kind.title_vi, en)
        for kind, en in {
            DiplomaKind.THCS: "Lower secondary school diploma",
            DiplomaKind.THPT: "Upper secondary school diploma",
            DiplomaKind.TEACHER_INTERMEDIATE: "Teacher-training intermediate diploma",
            DiplomaKind.TEACHER_COLLEGE: "Teacher-training college diploma",
            DiplomaKind.BACHELOR: "Bachelor's degree",
            DiplomaKind.ENGINEER: "Engineer's degree",
            DiplomaKind.MASTER: "Master's degree",
            DiplomaKind.DOCTOR: "Doctoral degree",
            DiplomaKind.CERTIFICATE: "Certificate",
        }.items()
    }
)
GROUNDS: Final = MappingProxyType(
    {
        ground: (ground.title_vi, en)
        for ground, en in {
            RevocationGround.FRAUD: "Fraud in admission, study, exams or the application file",
            RevocationGround.INELIGIBLE: "Issued to an ineligible person",
            RevocationGround.NO_AUTHORITY: "Issued without authority",
            RevocationGround.ALTERED: "Erased or altered",
            RevocationGround.LENT: "Lent to someone else",
            RevocationGround.ISSUER_ERROR: "The issuer's own error",
        }.items()
    }
)

_INDEX: Final = {"vi": 0, "en": 1}
# Per language, escaped once: markupsafe leaves a Markup as it is when a template prints it.
_PAGE: Final = {lang: {k: escape(v[i]) for k, v in PAGE.items()} for lang, i in _INDEX.items()}
_FIELDS: Final = {lang: {k: escape(v[i]) for k, v in FIELDS.items()} for lang, i in _INDEX.items()}

_CATALOGUES: Final = {lang: SimpleNamespace(**texts) for lang, texts in _PAGE.items()}
_GROUNDS_BY_CODE: Final[dict[str, tuple[str, str]]] = {g.value: t for g, t in GROUNDS.items()}


def catalogue(lang: Lang) -> SimpleNamespace:
    """The page texts in `lang`, as attributes: what the templates call `t`."""
    return _CATALOGUES[lang]


def text(key: str, lang: Lang) -> Markup:
    return _PAGE[lang][key]


def field_label(name: str, lang: Lang) -> Markup:
    """The label of a signed field (`holder_name` -> "Họ và tên")."""
    return _FIELDS[lang][name]


def kind_title(kind: DiplomaKind, lang: Lang) -> str:
    return KINDS[kind][_INDEX[lang]]


def ground_title(code: str, lang: Lang) -> str:
    """A revocation ground's title; a code this version does not know is shown as it is."""
    titles = _GROUNDS_BY_CODE.get(code)
    return code if titles is None else titles[_INDEX[lang]]
