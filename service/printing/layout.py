"""Layouts of the blank forms (phôi), as data (service/printing/layouts/*.toml; docs/printing.md,
"The layout format"): the page, each printed field's box in millimetres from the blank's top
left corner, its type size, style, alignment and how far it may shrink, and the QR code's box.
Every position says whether it is confirmed against a real blank or still to be calibrated."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from service.domain.kinds import DiplomaKind
from service.qr.render import QUIET_ZONE

Align = Literal["L", "C", "R"]
Language = Literal["vi", "en"]

# What a field may print, by name (service/printing/values.py says how each is written).
FIELDS = frozenset(
    {
        "holder_name",
        "date_of_birth",
        "place_of_birth",
        "gender",
        "major",
        "classification",
        "mode_of_study",
        "graduation_year",
        "place_of_issue",
        "issue_day",
        "issue_month",
        "issue_year",
        "place_and_date_of_issue",
        "signer_title",
        "signer_deputy_title",
        "signer_name",
        "register_number",
        "serial",
        "issuer_name",
    }
)
STYLES = frozenset({"", "B", "I", "BI"})
LAYOUTS_DIR = Path(__file__).with_name("layouts")


class LayoutError(ValueError):
    """A layout file that cannot be used as it is."""


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def inside(self, width: float, height: float) -> bool:
        return (
            self.x >= 0 and self.y >= 0 and self.x + self.w <= width and self.y + self.h <= height
        )


@dataclass(frozen=True)
class FieldSpec:
    name: str
    box: Box
    size: float  # points
    min_size: float  # the smallest it may shrink to for a long value
    style: str
    align: Align
    upper: bool
    lang: Language
    confirmed: bool
    label: str | None = None  # what the blank prints before the field (drawn without a blank)
    label_x: float | None = None  # where that label starts; it runs to the field's box

    @property
    def label_box(self) -> Box | None:
        if self.label is None or self.label_x is None:
            return None
        return Box(self.label_x, self.box.y, self.box.x - self.label_x - 1, self.box.h)


@dataclass(frozen=True)
class Printed:
    """A text the blank itself carries (header, title, a label of its own): drawn only on a
    document without a blank (the digital diploma, the preview). It may name {kind_title},
    {kind_title_en}, {issuer_name} and {serial}."""

    text: str
    box: Box
    size: float
    style: str
    align: Align


@dataclass(frozen=True)
class QrSpec:
    x: float
    y: float
    side: float  # the square reserved for the code with its quiet zone, mm
    max_version: int  # the largest symbol the box holds at the default module size
    confirmed: bool


@dataclass(frozen=True)
class Layout:
    name: str
    title: str  # what the clerk picks, in Vietnamese
    kinds: tuple[DiplomaKind, ...]
    languages: tuple[Language, ...]
    width: float
    height: float
    page_confirmed: bool
    source: str
    fields: tuple[FieldSpec, ...]
    qr: QrSpec
    blank: tuple[Printed, ...] = ()
    note: Box | None = None  # where a digital diploma says how to check it

    @property
    def bilingual(self) -> bool:
        return len(self.languages) > 1

    def styles(self, *, blank: bool) -> frozenset[str]:
        """The type styles its prints use (with the blank's texts drawn, a preview's too)."""
        used = {f.style for f in self.fields}
        if blank:
            used |= {p.style for p in self.blank}
        return frozenset(used)

    @property
    def confirmed(self) -> bool:
        return self.page_confirmed and self.qr.confirmed and all(f.confirmed for f in self.fields)


def _number(table: dict[str, Any], key: str, where: str) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LayoutError(f"{where}: {key} must be a number of millimetres or points")
    return float(value)


def _field(raw: dict[str, Any], where: str, width: float, height: float) -> FieldSpec:
    known = {"name", "x", "y", "w", "h", "size", "min_size", "style", "align", "upper", "lang"}
    known |= {"label", "label_x"}
    if unknown := set(raw) - known - {"confirmed"}:
        raise LayoutError(f"{where}: unknown keys {sorted(unknown)}")
    name = raw.get("name")
    if name not in FIELDS:
        raise LayoutError(f"{where}: unknown field {name!r}")
    box = Box(*(_number(raw, key, where) for key in ("x", "y", "w", "h")))
    if not box.inside(width, height) or box.w <= 0 or box.h <= 0:
        raise LayoutError(f"{where}: the box of {name} is not inside the page")
    size = _number(raw, "size", where)
    min_size = _number(raw, "min_size", where) if "min_size" in raw else size
    if not 4 <= min_size <= size <= 40:
        raise LayoutError(f"{where}: sizes of {name} must be 4 <= min_size <= size <= 40 pt")
    style = raw.get("style", "")
    align = raw.get("align", "L")
    lang = raw.get("lang", "vi")
    if style not in STYLES or align not in ("L", "C", "R") or lang not in ("vi", "en"):
        raise LayoutError(f"{where}: bad style, align or lang of {name}")
    if not isinstance(raw.get("confirmed", False), bool) or not isinstance(
        raw.get("upper", False), bool
    ):
        raise LayoutError(f"{where}: confirmed and upper are true or false")
    return FieldSpec(
        name=name,
        box=box,
        size=size,
        min_size=min_size,
        style=style,
        align=align,
        upper=raw.get("upper", False),
        lang=lang,
        confirmed=raw.get("confirmed", False),
        **_label(raw, where, box),
    )


def _label(raw: dict[str, Any], where: str, box: Box) -> dict[str, Any]:
    if "label" not in raw:
        return {}
    label, label_x = raw["label"], _number(raw, "label_x", where)
    if not isinstance(label, str) or not 0 <= label_x < box.x - 1:
        raise LayoutError(f"{where}: a label is text, and starts left of its field's box")
    return {"label": label, "label_x": label_x}


PLACEHOLDERS = {"kind_title": "", "kind_title_en": "", "issuer_name": "", "serial": ""}


def _printed(raw: dict[str, Any], where: str, width: float, height: float) -> Printed:
    if unknown := set(raw) - {"text", "x", "y", "w", "h", "size", "style", "align"}:
        raise LayoutError(f"{where}: unknown keys {sorted(unknown)}")
    text = raw.get("text")
    try:
        assert isinstance(text, str)
        text.format(**PLACEHOLDERS)
    except (AssertionError, KeyError, IndexError, ValueError) as error:
        raise LayoutError(f"{where}: text may name only {sorted(PLACEHOLDERS)}") from error
    box = Box(*(_number(raw, key, where) for key in ("x", "y", "w", "h")))
    style, align = raw.get("style", ""), raw.get("align", "C")
    if not box.inside(width, height) or style not in STYLES or align not in ("L", "C", "R"):
        raise LayoutError(f"{where}: a text of the blank outside the page, or a bad style")
    return Printed(text, box, _number(raw, "size", where), style, align)


def parse_layout(name: str, raw: dict[str, Any], *, module_mm: float) -> Layout:
    where = f"layout {name}"
    tops = {"title", "kinds", "languages", "source", "page", "qr", "fields", "blank", "note"}
    if unknown := set(raw) - tops:
        raise LayoutError(f"{where}: unknown keys {sorted(unknown)}")
    page = raw.get("page")
    qr = raw.get("qr")
    if not isinstance(page, dict) or not isinstance(qr, dict):
        raise LayoutError(f"{where}: needs [page] and [qr]")
    if set(qr) - {"x", "y", "side", "max_version", "confirmed"} or set(page) - {
        "width",
        "height",
        "confirmed",
    }:
        raise LayoutError(f"{where}: unknown keys in [page] or [qr]")
    width, height = _number(page, "width", where), _number(page, "height", where)
    try:
        kinds = tuple(DiplomaKind(k) for k in raw["kinds"])
    except (KeyError, TypeError, ValueError) as error:
        raise LayoutError(f"{where}: kinds must name diploma kinds") from error
    languages = tuple(raw.get("languages", ["vi"]))
    if not languages or languages[0] != "vi" or not set(languages) <= {"vi", "en"}:
        raise LayoutError(f"{where}: languages start with vi (Art. 8), then at most en")
    fields = tuple(
        _field(f, f"{where} field {i + 1}", width, height)
        for i, f in enumerate(raw.get("fields", []))
    )
    if any(f.lang not in languages for f in fields):
        raise LayoutError(f"{where}: a field in a language the layout does not have")
    spec = QrSpec(
        x=_number(qr, "x", where),
        y=_number(qr, "y", where),
        side=_number(qr, "side", where),
        max_version=int(_number(qr, "max_version", where)),
        confirmed=bool(qr.get("confirmed", False)),
    )
    if not Box(spec.x, spec.y, spec.side, spec.side).inside(width, height):
        raise LayoutError(f"{where}: the QR box is not inside the page")
    if not 1 <= spec.max_version <= 40:
        raise LayoutError(f"{where}: max_version is a QR version, 1 to 40")
    if qr_side(spec.max_version, module_mm) > spec.side:
        raise LayoutError(
            f"{where}: a version {spec.max_version} code at {module_mm} mm a module does not "
            f"fit the {spec.side} mm QR box"
        )
    title, source = raw.get("title"), raw.get("source")
    if not isinstance(title, str) or not isinstance(source, str):
        raise LayoutError(f"{where}: needs a title and a source")
    return Layout(
        name=name,
        title=title,
        kinds=kinds,
        languages=languages,
        width=width,
        height=height,
        page_confirmed=bool(page.get("confirmed", False)),
        source=source,
        fields=fields,
        qr=spec,
        blank=tuple(
            _printed(t, f"{where} blank text {i + 1}", width, height)
            for i, t in enumerate(raw.get("blank", []))
        ),
        note=_note(raw.get("note"), where, width, height),
    )


def _note(raw: Any, where: str, width: float, height: float) -> Box | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"x", "y", "w", "h"}:
        raise LayoutError(f"{where}: [note] is a box: x, y, w, h")
    box = Box(*(_number(raw, key, where) for key in ("x", "y", "w", "h")))
    if not box.inside(width, height):
        raise LayoutError(f"{where}: the note's box is not inside the page")
    return box


def qr_side(version: int, module_mm: float) -> float:
    """The width of a version's symbol with its quiet zone."""
    return (version * 4 + 17 + 2 * QUIET_ZONE) * module_mm


def load_layouts(directory: Path = LAYOUTS_DIR, *, module_mm: float) -> dict[str, Layout]:
    layouts = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as file:
            layouts[path.stem] = parse_layout(path.stem, tomllib.load(file), module_mm=module_mm)
    return layouts


def default_layout(layouts: dict[str, Layout], kind: DiplomaKind) -> Layout:
    """The kind's Vietnamese-only layout (the first by name)."""
    for layout in layouts.values():
        if kind in layout.kinds and not layout.bilingual:
            return layout
    raise LayoutError(f"no layout for {kind.value}")


@functools.cache
def shipped_layouts(module_mm: float) -> dict[str, Layout]:
    """The layouts shipped with the service, checked for the module size in force."""
    return load_layouts(module_mm=module_mm)
