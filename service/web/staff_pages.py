"""The staff pages' views: each prepares what its template shows (labels, dates in Vietnam
time as dd/mm/yyyy, messages by field) and renders it. Forms show their errors beside each
field and in a summary at the top; nothing here is in English in the Vietnamese pages."""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import qrcode
import qrcode.image.svg
from markupsafe import Markup

from service.domain.clock import VIETNAM
from service.texts import Text
from service.web.render import render
from service.web.texts import ROLES, text
from verifier.result import Lang


@dataclass(frozen=True)
class Person:
    """Who the bar says is signed in."""

    name: str
    role: str
    writes: bool = False  # a clerk or an admin: the console's writing pages are linked
    supervises: bool = False  # an auditor or an admin: the supervision pages are linked


@dataclass(frozen=True)
class Frame:
    """What every staff page needs: its language and the links to switch it, who is signed
    in and the session's form token."""

    lang: Lang
    other_href: str
    person: Person | None = None
    form_token: str = ""
    home_href: str = "/"

    @property
    def lang_query(self) -> str:
        """Appended to the pages' own links and forms, to stay in the chosen language."""
        return "" if self.lang == "vi" else "?lang=en"

    def context(self) -> dict[str, Any]:
        return {
            "other_href": self.other_href,
            "person": self.person,
            "form_token": self.form_token,
            "home_href": self.home_href,
            "lang_query": self.lang_query,
        }


def _in(lang: Lang, pair: Text | tuple[str, str]) -> str:
    return pair[0] if lang == "vi" else pair[1]


def errors_in(lang: Lang, errors: Mapping[str, Text]) -> dict[str, str]:
    return {field: _in(lang, message) for field, message in errors.items()}


def role_title(role: str, lang: Lang) -> str:
    return _in(lang, ROLES[role])


def when(moment: datetime | None, lang: Lang, *, never: str = "") -> str:
    """A moment in Vietnam time, dd/mm/yyyy hh:mm."""
    if moment is None:
        return never
    return f"{moment.astimezone(VIETNAM):%d/%m/%Y %H:%M}"


def sign_in_page(
    frame: Frame,
    *,
    errors: Mapping[str, Text] | None = None,
    username: str = "",
    next_path: str = "",
    notice: Text | None = None,
) -> str:
    lang = frame.lang
    return render(
        "staff/sign_in.html",
        lang,
        **frame.context(),
        errors=errors_in(lang, errors or {}),
        username=username,
        next=next_path,
        notice=_in(lang, notice) if notice else None,
    )


def second_factor_page(
    frame: Frame, *, errors: Mapping[str, Text] | None = None, next_path: str = ""
) -> str:
    return render(
        "staff/second_factor.html",
        frame.lang,
        **frame.context(),
        errors=errors_in(frame.lang, errors or {}),
        next=next_path,
    )


def change_password_page(
    frame: Frame, *, username: str, must_change: bool, errors: Mapping[str, Text] | None = None
) -> str:
    return render(
        "staff/change_password.html",
        frame.lang,
        **frame.context(),
        errors=errors_in(frame.lang, errors or {}),
        username=username,
        must_change=must_change,
    )


def account_page(
    frame: Frame,
    *,
    display_name: str,
    username: str,
    role: str,
    issuer: str | None,
    has_second_factor: bool,
    second_factor_required: bool,
    sessions: int,
    notice: Text | None = None,
) -> str:
    lang = frame.lang
    state = text("on", lang) if has_second_factor else text("off", lang)
    if second_factor_required:
        state = Markup("{} ({})").format(state, text("required", lang))
    return render(
        "staff/account.html",
        lang,
        **frame.context(),
        rows=[
            (text("display_name", lang), display_name),
            (text("username", lang), username),
            (text("role", lang), role_title(role, lang)),
            (text("scope", lang), issuer or text("everywhere", lang)),
        ],
        second_factor_state=state,
        has_second_factor=has_second_factor,
        sessions=sessions,
        notice=_in(lang, notice) if notice else None,
    )


def _qr_data_uri(uri: str) -> str:
    image = qrcode.make(
        uri,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=4,
    )
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def enrol_page(
    frame: Frame,
    *,
    secret: str,
    uri: str,
    has_second_factor: bool,
    required: bool,
    errors: Mapping[str, Text] | None = None,
) -> str:
    return render(
        "staff/enrol.html",
        frame.lang,
        **frame.context(),
        errors=errors_in(frame.lang, errors or {}),
        secret=secret,
        secret_spaced=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_src=_qr_data_uri(uri),
        has_second_factor=has_second_factor,
        required=required,
    )


def recovery_codes_page(frame: Frame, *, codes: Sequence[str], next_href: str) -> str:
    return render(
        "staff/recovery_codes.html",
        frame.lang,
        **frame.context(),
        codes=list(codes),
        next_href=next_href,
    )


@dataclass(frozen=True)
class TokenRow:
    id: str
    label: str
    created: str
    expires: str
    last_used: str
    state: str  # empty: active (a revoke button)


def tokens_page(
    frame: Frame,
    *,
    tokens: Sequence[Any],  # rows with id, label, created_at, expires_at, last_used_at...
    created: str | None = None,
    errors: Mapping[str, Text] | None = None,
    label: str = "",
    days: str = "90",
) -> str:
    lang = frame.lang
    now = datetime.now(UTC)
    rows = []
    for token in tokens:
        state = ""
        if token["revoked_at"] is not None:
            state = str(text("revoked", lang))
        elif token["expires_at"] is not None and token["expires_at"] <= now:
            state = str(text("expired", lang))
        rows.append(
            TokenRow(
                id=str(token["id"]),
                label=token["label"],
                created=when(token["created_at"], lang),
                expires=when(token["expires_at"], lang),
                last_used=when(token["last_used_at"], lang, never=str(text("never", lang))),
                state=state,
            )
        )
    return render(
        "staff/tokens.html",
        lang,
        **frame.context(),
        tokens=rows,
        created=created,
        errors=errors_in(lang, errors or {}),
        label=label,
        days=days,
    )
