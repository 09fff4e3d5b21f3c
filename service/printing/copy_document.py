"""The certified copy from the register (bản sao từ sổ gốc, Circular 21 Art. 27-32) as the
requester takes it away: one A4 page per copy issued, each the same, with the issuer's and
the national heading, the copy's number in the copy register (N/YEAR/BS), the register's
content at the moment of copying, to whom it was issued, the officer who signs and seals it,
and a QR code of its own that verifies the copy and shows whether the diploma is still in
force (docs/printing.md, "The certified copy").

The content is the copy register's, not the diploma's row as it stands now: a copy printed
again after a later correction is the copy that was issued."""

from __future__ import annotations

from datetime import date
from typing import Any

from fpdf import FPDF

from service import texts
from service.domain.kinds import DiplomaKind
from service.printing.fonts import FONT, add_fonts, finish
from service.printing.lines import fits, line
from service.printing.vector import MODULE_MM, draw_qr
from service.qr.symbol import make_symbol

LEFT = 20.0
WIDTH = 170.0
LABEL_WIDTH = 62.0


def _day(value: str) -> str:
    return f"{date.fromisoformat(value):%d/%m/%Y}"


def content_lines(content: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of each printed field of the register's content, in the copy's order."""
    signer = content.get("signer_name") or ""
    if content.get("signer_title"):
        signer = f"{content['signer_title']}: {signer}"
    values = {
        "kind": DiplomaKind(content["kind"]).title_vi,
        "full_name": content["full_name"],
        "date_of_birth": _day(content["date_of_birth"]),
        "place_of_birth": content.get("place_of_birth"),
        "gender": texts.GENDERS_PRINTED.get(content.get("gender") or "", content.get("gender")),
        "major": content.get("major"),
        "classification": content.get("classification"),
        "mode_of_study": content.get("mode_of_study"),
        "graduation_year": str(content["graduation_year"]),
        "serial": content["serial"],
        "register_number": content["register_number"],
        "place_and_date_of_issue": f"{content['place_of_issue']}, {_day(content['issued_on'])}",
        "signer": signer,
    }
    return [(label, str(values[name])) for name, label in texts.COPY_LABELS.items() if values[name]]


def signer_title(copy: dict[str, Any]) -> list[str]:
    """The signature block's title lines: "KT. HEAD" above the deputy's title, upper case."""
    if copy["signer_on_behalf_of"]:
        return [f"KT. {copy['signer_on_behalf_of'].upper()}", copy["signer_title"].upper()]
    return [copy["signer_title"].upper()]


# The electronic extract's format, with the digital diploma's (service/digital/document.py).
EXTRACT_COMPLIANCE = "PDF/A-3B"
STATEMENT_MIME = "application/cose"


def extract_statement_name(number: str) -> str:
    """The extract's attached signed entry of the copy register."""
    return "muc-so-cap-ban-sao-" + number.replace("/", "-") + ".cose"


class CopyDocument:
    """The pages of one certified copy (an entry of the copy register). An electronic
    extract (form "extract") is one PDF/A-3B page, dated as its entry, with the entry's
    signed statement attached; its PAdES signature comes after (service/docsign)."""

    def __init__(self, copy: dict[str, Any], qr_text: str, *, module_mm: float = MODULE_MM):
        self.copy = copy
        self.qr_text = qr_text
        self.module_mm = module_mm
        self.extract = copy["form"] == "extract"
        pdf = FPDF(
            format="A4", unit="mm", enforce_compliance=EXTRACT_COMPLIANCE if self.extract else None
        )
        pdf.set_auto_page_break(auto=False)
        pdf.set_creator("vanbang")
        pdf.set_title(texts.COPY_TITLE.format(number=copy["number"]))
        add_fonts(pdf)
        if self.extract:
            # The same entry always renders the same bytes (fpdf2's file id is a digest).
            pdf.set_creation_date(copy["recorded_at"])
            pdf.set_author(copy["issuer_name"])
            pdf.set_lang("vi-VN")
        self.pdf = pdf

    def output(self) -> bytes:
        symbol = make_symbol(self.qr_text)
        for _ in range(1 if self.extract else self.copy["copies"]):
            self._page(symbol)
        if self.extract:
            self.pdf.embed_file(
                bytes=self.copy["signed"],
                basename=extract_statement_name(self.copy["number"]),
                mime_type=STATEMENT_MIME,
                associated_file_relationship="Source",
                desc=texts.EXTRACT_STATEMENT.format(number=self.copy["number"]),
                modification_date=self.copy["recorded_at"],
                creation_date=self.copy["recorded_at"],
            )
        return finish(self.pdf)

    def _page(self, symbol: Any) -> None:
        pdf, copy, content = self.pdf, self.copy, self.copy["content"]
        pdf.add_page()
        # The heading: the issuer on the left, the nation and its motto on the right.
        pdf.set_font(FONT, "B", 10)
        y = _wrapped(pdf, copy["issuer_name"].upper(), 12, 15, 86, 5, align="C")
        pdf.set_font(FONT, "", 10)
        line(pdf, texts.COPY_NUMBER.format(number=copy["number"]), 12, y + 2, 86, 5, align="C")
        pdf.set_font(FONT, "B", 10)
        line(pdf, texts.COPY_NATION, 98, 15, 100, 5, align="C")
        line(pdf, texts.COPY_MOTTO, 98, 20, 100, 5, align="C")
        pdf.set_font(FONT, "B", 15)
        heading = texts.COPY_EXTRACT_HEADING if copy["form"] == "extract" else texts.COPY_HEADING
        line(pdf, heading, LEFT, 42, WIDTH, 9, align="C")
        pdf.set_font(FONT, "I", 10.5)
        intro = texts.COPY_INTRO.format(issuer=copy["issuer_name"])
        y = _wrapped(pdf, intro, LEFT, 55, WIDTH, 6) + 3
        for label, value in content_lines(content):
            pdf.set_font(FONT, "", 11)
            line(pdf, label + ":", LEFT + 5, y, LABEL_WIDTH, 7)
            pdf.set_font(FONT, "B", 11)
            y = max(y + 7.5, _wrapped(pdf, value, LEFT + 5 + LABEL_WIDTH, y, 103, 7) + 0.5)
        pdf.set_font(FONT, "I", 9.5)
        y = _wrapped(pdf, texts.COPY_VERSION.format(version=copy["version"]), LEFT, y + 3, WIDTH, 5)
        pdf.set_font(FONT, "", 11)
        relation = texts.COPY_RELATIONS.get(copy["relation"], copy["relation"])
        requester = texts.COPY_REQUESTER.format(name=copy["requester_name"], relation=relation)
        y = _wrapped(pdf, requester, LEFT, y + 3, WIDTH, 6.5)
        line(pdf, texts.COPY_COUNT.format(copies=copy["copies"]), LEFT, y, WIDTH, 6.5)
        y += 12
        # The signature block on the right, the QR code on the left, side by side.
        copied_on: date = copy["issued_on"]
        place_date = texts.COPY_PLACE_DATE.format(
            place=content["place_of_issue"],
            day=copied_on.day,
            month=copied_on.month,
            year=copied_on.year,
        )
        pdf.set_font(FONT, "I", 10.5)
        line(pdf, place_date, 100, y, 95, 6, align="C")
        pdf.set_font(FONT, "B", 10.5)
        sy = y + 6
        for title in signer_title(copy):
            sy = _wrapped(pdf, title, 100, sy, 95, 5.5, align="C")
        pdf.set_font(FONT, "I", 9)
        signature = texts.EXTRACT_SIGNATURE if self.extract else texts.COPY_SIGNATURE
        line(pdf, signature, 100, sy, 95, 5, align="C")
        pdf.set_font(FONT, "B", 11)
        line(pdf, copy["signer_name"], 100, sy + 30, 95, 6, align="C")
        side = draw_qr(pdf, symbol, LEFT - 4 * self.module_mm, y, self.module_mm)
        pdf.set_font(FONT, "", 8)
        what = texts.COPY_FORMS_PRINTED[copy["form"]]
        note = texts.COPY_QR_NOTE.format(what=what, number=copy["number"])
        if self.extract:
            note += " " + texts.EXTRACT_NOTE.format(issuer=copy["issuer_name"])
        _wrapped(pdf, note, LEFT - 1, y + side + 1, max(side, 60.0), 4)


def _wrapped(
    pdf: FPDF, text: str, x: float, y: float, width: float, height: float, *, align: Any = "L"
) -> float:
    """`text` in lines `height` tall in a box `width` wide; answers where the next line goes."""
    if fits(pdf, text, width):
        line(pdf, text, x, y, width, height, align=align)
        return y + height
    pdf.set_xy(x, y)
    pdf.multi_cell(width, height, text, align=align)
    return float(pdf.get_y())
