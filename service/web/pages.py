"""The public pages: the verification result a QR code opens, and the lookup form.

Plain HTML with its CSS inline: no external assets (no CDN, no web fonts), readable on a
phone, Vietnamese by default. Every value is escaped.
"""

from __future__ import annotations

import functools
from datetime import datetime
from html import escape
from typing import Any

from service.domain.kinds import DiplomaKind
from verifier.result import FIELD_LABELS, Lang

_CSS = """
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
sans-serif;color:#1b1f24;background:#f4f5f7}main{max-width:40rem;margin:0 auto;padding:1rem}
header{display:flex;justify-content:space-between;align-items:baseline}h1{font-size:1.2rem;
margin:.5rem 0}a{color:#0b57d0}.verdict{border-radius:.75rem;padding:1rem 1.25rem;margin:1rem 0;
color:#fff}.verdict h2{margin:0;font-size:1.35rem}.verdict p{margin:.25rem 0 0}.valid,.genuine
{background:#17803d}.not_found{background:#5f6b7a}.status_unknown{background:#b26a00}
.corrected{background:#17803d}.replaced{background:#b26a00}
.not_genuine,.revoked{background:#b3261e}.mark{font-size:2rem;line-height:1}section.card{background:#fff;
border-radius:.75rem;padding:.75rem 1.25rem;margin:1rem 0}dl{display:grid;grid-template-columns:
minmax(8rem,auto) 1fr;gap:.25rem 1rem;margin:.5rem 0}dt{color:#5f6b7a}dd{margin:0;font-weight:600}
ol{padding-left:1.25rem}li.failed{color:#b3261e}li.skipped{color:#5f6b7a}form label{display:block;
margin:.75rem 0 .25rem}input{width:100%;padding:.6rem;font-size:1rem;border:1px solid #c4c9d0;
border-radius:.5rem}button{margin-top:1rem;padding:.7rem 1.2rem;font-size:1rem;border:0;
border-radius:.5rem;background:#0b57d0;color:#fff}.error{color:#b3261e}footer{color:#5f6b7a;
font-size:.9rem;margin:2rem 0}
"""
_MARKS = {
    "valid": "✔",
    "genuine": "✔",
    "not_found": "?",
    "status_unknown": "!",
    "not_genuine": "✘",
    "revoked": "✘",
    "corrected": "✔",
    "replaced": "!",
}
_TEXT = {
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
_KIND_EN = {
    DiplomaKind.THCS: "Lower secondary school diploma",
    DiplomaKind.THPT: "Upper secondary school diploma",
    DiplomaKind.TEACHER_INTERMEDIATE: "Teacher-training intermediate diploma",
    DiplomaKind.TEACHER_COLLEGE: "Teacher-training college diploma",
    DiplomaKind.BACHELOR: "Bachelor's degree",
    DiplomaKind.ENGINEER: "Engineer's degree",
    DiplomaKind.MASTER: "Master's degree",
    DiplomaKind.DOCTOR: "Doctoral degree",
    DiplomaKind.CERTIFICATE: "Certificate",
}


def _t(key: str, lang: Lang) -> str:
    vi, en = _TEXT[key]
    return vi if lang == "vi" else en


# The page's fixed texts, escaped once: escape() was a tenth of rendering a result page.
@functools.cache
def _h(key: str, lang: Lang) -> str:
    return escape(_t(key, lang))


@functools.cache
def _label(name: str, lang: Lang) -> str:
    vi, en = FIELD_LABELS[name]
    return escape(vi if lang == "vi" else en)


@functools.lru_cache(maxsize=256)
def _step_item(outcome: str, message: str) -> str:
    return f'<li class="{escape(outcome)}">{escape(message)}</li>'


def _value(name: str, value: Any, lang: Lang) -> str:
    if name == "kind" and value in DiplomaKind.__members__.values():
        kind = DiplomaKind(value)
        return kind.title_vi if lang == "vi" else _KIND_EN[kind]
    if name in ("date_of_birth", "issued_on") and isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
    return str(value)


def _page(title: str, body: str, lang: Lang, other_href: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<header><h1>{_h('title', lang)}</h1>"
        f'<a href="{escape(other_href)}">{_h("other", lang)}</a></header>'
        f"{body}<footer>{_h('footer', lang)}</footer></main></body></html>"
    )


def result_page(
    result: dict[str, Any], *, lang: Lang, issuer_name: str | None, other_href: str
) -> str:
    """`result` is a VerificationResult.to_dict(lang)."""
    verdict = result["verdict"]
    checked = ""
    if result.get("status_checked_at"):
        moment = datetime.fromisoformat(result["status_checked_at"])
        checked = f"<p>{_h('checked_at', lang)} {moment:%d/%m/%Y %H:%M} UTC</p>"
    body = (
        f'<section class="verdict {escape(verdict)}" role="status">'
        f'<p class="mark" aria-hidden="true">{_MARKS.get(verdict, "")}</p>'
        f"<h2>{escape(result['summary'])}</h2>{checked}</section>"
    )
    # What a false code says is not shown as if it could be compared with anything.
    fields = result.get("fields") or {} if verdict != "not_genuine" else {}
    if fields:
        rows = []
        for name in FIELD_LABELS:
            if name in fields:
                value = _value(name, fields[name], lang)
                if name == "issuer" and issuer_name:
                    value = f"{issuer_name} ({value})"
                rows.append(f"<dt>{_label(name, lang)}</dt><dd>{escape(value)}</dd>")
        body += (
            f'<section class="card"><h3>{_h("compare", lang)}</h3>'
            f"<dl>{''.join(rows)}</dl></section>"
        )
    state = result.get("status") or {}
    if state.get("state") == "revoked":
        body += f'<section class="card">{_revocation(state, lang)}</section>'
    elif state.get("state") == "corrected":
        body += f'<section class="card">{_correction(state, lang)}</section>'
    elif state.get("state") == "replaced":
        body += f'<section class="card">{_replacement(state, lang)}</section>'
    steps = "".join(_step_item(s["outcome"], s["message"]) for s in result["steps"])
    body += (
        f'<section class="card"><h3>{_h("steps", lang)}</h3><ol>{steps}</ol>'
        f'<p><a href="/tra-cuu?lang={lang}">{_h("again", lang)}</a></p></section>'
    )
    return _page(result["summary"], body, lang, other_href)


def lookup_page(
    *,
    lang: Lang,
    other_href: str,
    error: str | None = None,
    serial: str = "",
    date_of_birth: str = "",
    issuer: str = "",
) -> str:
    problem = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    body = (
        f'<section class="card"><h2>{_h("lookup", lang)}</h2>'
        f"<p>{_h('lookup_intro', lang)}</p>{problem}"
        f'<form method="post" action="/tra-cuu?lang={lang}">'
        f'<label for="serial">{_h("serial", lang)}</label>'
        f'<input id="serial" name="serial" required maxlength="40" autocomplete="off" '
        f'value="{escape(serial)}">'
        f'<label for="dob">{_h("dob", lang)}</label>'
        f'<input id="dob" name="date_of_birth" type="date" required '
        f'value="{escape(date_of_birth)}">'
        f'<label for="issuer">{_h("issuer", lang)}</label>'
        f'<input id="issuer" name="issuer" maxlength="32" autocomplete="off" '
        f'value="{escape(issuer)}">'
        f'<button type="submit">{_h("submit", lang)}</button></form></section>'
    )
    return _page(_t("lookup", lang), body, lang, other_href)


_GROUNDS_EN = {
    "fraud": "Fraud in admission, study, exams or the application file",
    "ineligible": "Issued to an ineligible person",
    "no_authority": "Issued without authority",
    "altered": "Erased or altered",
    "lent": "Lent to someone else",
    "issuer_error": "The issuer's own error",
}


def _ground(code: str, lang: Lang) -> str:
    from service.domain.lifecycle import RevocationGround

    if lang == "vi" and code in RevocationGround.__members__.values():
        return RevocationGround(code).title_vi
    return _GROUNDS_EN.get(code, code)


def _revocation(state: dict[str, Any], lang: Lang) -> str:
    rows = [
        ("decision", state["decision_number"]),
        ("decided_on", _value("issued_on", state["decided_on"], lang)),
        ("authority", state["authority"]),
        ("ground", _ground(state["ground"], lang)),
        ("reason", state["reason"]),
    ]
    cells = "".join(f"<dt>{_h(k, lang)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)
    return f"<h3>{_h('revocation', lang)}</h3><dl>{cells}</dl>"


def _cells(rows: list[tuple[str, str]]) -> str:
    return "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)


def _correction(state: dict[str, Any], lang: Lang) -> str:
    decision = [
        (_t("decision", lang), state["decision_number"]),
        (_t("decided_on", lang), _value("issued_on", state["decided_on"], lang)),
    ]
    current = [
        (FIELD_LABELS[name][0 if lang == "vi" else 1], _value(name, value, lang))
        for name, value in state["current"].items()
    ]
    return (
        f"<h3>{_h('correction', lang)}</h3><dl>{_cells(decision)}</dl>"
        f"<p>{_h('current', lang)}</p><dl>{_cells(current)}</dl>"
    )


def _replacement(state: dict[str, Any], lang: Lang) -> str:
    rows = [
        (FIELD_LABELS["serial"][0 if lang == "vi" else 1], state["serial"]),
        (FIELD_LABELS["register_number"][0 if lang == "vi" else 1], state["register_number"]),
        (
            FIELD_LABELS["issued_on"][0 if lang == "vi" else 1],
            _value("issued_on", state["issued_on"], lang),
        ),
    ]
    return f"<p>{_h('replacement', lang)}</p><dl>{_cells(rows)}</dl>"


def revocations_page(
    code: str, name: str, revocations: list[dict[str, Any]], *, lang: Lang, other_href: str
) -> str:
    """An issuer's published revocation decisions (Art. 25)."""
    title = f"{_t('revocations', lang)}: {name}"
    items = (
        "".join(
            f'<section class="card"><p><strong>{escape(str(r["holder_name"]))}</strong> · '
            f"{_h('serial', lang)} {escape(str(r['serial']))}</p>"
            f"{_revocation(r, lang)}</section>"
            for r in revocations
        )
        or f"<p>{_h('none', lang)}</p>"
    )
    return _page(title, f"<h2>{escape(title)} ({escape(code)})</h2>{items}", lang, other_href)
