"""The public pages' texts, escaped for the templates: the pairs are the catalogue's
(service/texts.py, Vietnamese first); the templates read them as `t` (`{{ t.lookup }}`), the
views through `text()`, `field_label()`, `kind_title()` and `ground_title()`. The texts are
escaped once, here, not on every page."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from markupsafe import Markup, escape

from service.domain.kinds import DiplomaKind
from service.domain.lifecycle import RevocationGround
from service.texts import CONSOLE_PAGE as _CONSOLE_PAGE
from service.texts import KINDS as _KINDS_BY_VALUE
from service.texts import PAGE as _PUBLIC_PAGE
from service.texts import REVOCATION_GROUNDS as _GROUNDS_BY_CODE
from service.texts import ROLES as _ROLES
from service.texts import STAFF_PAGE as _STAFF_PAGE
from service.texts import SUPERVISION_PAGE as _SUPERVISION_PAGE
from verifier.result import FIELD_LABELS, Lang

# The names of the signed fields are the verifier's, so that `vanbang-verify` and the pages
# say the same.
FIELDS: Final = FIELD_LABELS
# The catalogue's titles, by the enums themselves.
KINDS: Final = MappingProxyType({kind: _KINDS_BY_VALUE[kind.value] for kind in DiplomaKind})
GROUNDS: Final = MappingProxyType(
    {ground: _GROUNDS_BY_CODE[ground.value] for ground in RevocationGround}
)

# What the templates read as `t`: the public pages' texts, the staff pages' and the console's.
assert not _PUBLIC_PAGE.keys() & _STAFF_PAGE.keys(), "a text key in both PAGE and STAFF_PAGE"
assert not (_PUBLIC_PAGE.keys() | _STAFF_PAGE.keys()) & _CONSOLE_PAGE.keys(), (
    "a text key of CONSOLE_PAGE also in PAGE or STAFF_PAGE"
)
assert not (_PUBLIC_PAGE.keys() | _STAFF_PAGE.keys() | _CONSOLE_PAGE.keys()) & (
    _SUPERVISION_PAGE.keys()
), "a text key of SUPERVISION_PAGE also in another page's texts"
PAGE: Final = MappingProxyType(
    {**_PUBLIC_PAGE, **_STAFF_PAGE, **_CONSOLE_PAGE, **_SUPERVISION_PAGE}
)
ROLES: Final = _ROLES

_INDEX: Final = {"vi": 0, "en": 1}
# Per language, escaped once: markupsafe leaves a Markup as it is when a template prints it.
_PAGE: Final = {lang: {k: escape(v[i]) for k, v in PAGE.items()} for lang, i in _INDEX.items()}
_FIELDS: Final = {lang: {k: escape(v[i]) for k, v in FIELDS.items()} for lang, i in _INDEX.items()}


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
