"""The digital diploma's document before its PAdES signature: one PDF/A-3B page, the diploma
rendered by its layout's preview (service/printing/blank.py with the blank drawn), its QR
code, a line saying how to check it, and the signed register record (COSE_Sign1) attached as
an associated file, with the offline proof of the version's leaf in the issuance log when it
is there. The same diploma version (and proof) always renders to the same bytes: its dates
are the record's, and fpdf2's file identifier is a digest of the content."""

from __future__ import annotations

from datetime import datetime

from service import texts
from service.printing.blank import BlankPrint, layout_chooser
from service.printing.calibration import NONE
from service.printing.fonts import FONT, finish
from service.printing.layout import Layout
from service.qr.tokens import Row

# The attachments' names, as the verifier looks for them (vanbang-verify pdf).
from verifier.pdfcheck import corrected_name as corrected_name
from verifier.pdfcheck import proof_name as proof_name
from verifier.pdfcheck import record_name as record_name
from verifier.proof import MEDIA_TYPE as PROOF_MIME

# The file format of a digital diploma, in one place (the issue's choice, pending TT10's own
# word on it: ../shared/docs/domain.md).
COMPLIANCE = "PDF/A-3B"
RECORD_MIME = "application/cose"


def diploma_document(
    row: Row,
    qr_text: str,
    record: bytes,
    *,
    layout: Layout,
    issuer_name: str,
    module_mm: float,
    issued_at: datetime,
    corrected: bytes | None = None,
    version: int = 1,
    proof: str | None = None,
) -> bytes:
    """The unsigned PDF/A-3B document of one diploma version: `record` is the record its QR
    code binds (as registered); a corrected version attaches its own signed record too; and
    `proof`, the offline proof of the version's leaf in the issuance log, when it is there."""
    document = BlankPrint(
        layout_chooser({layout.name: layout}, layout.name),
        issuer_names={row["issuer_code"]: issuer_name},
        calibration=NONE,
        module_mm=module_mm,
        title=texts.DIGITAL_TITLE.format(serial=row["serial"]),
        draw_blank=True,
        compliance=COMPLIANCE,
        # One page of one layout: only its styles are embedded (and the note's italic).
        styles=layout.styles(blank=True) | {"I"},
    )
    pdf = document.pdf
    pdf.set_creation_date(issued_at)
    pdf.set_author(issuer_name)
    pdf.set_lang("vi-VN")
    document.add(row, qr_text)
    note = layout.note
    if note is not None:
        pdf.set_font(FONT, "I", 7)
        pdf.set_xy(note.x, note.y)
        pdf.multi_cell(note.w, 3.2, texts.DIGITAL_NOTE.format(issuer=issuer_name))

    def attach(data: bytes, name: str, mime_type: str, desc: str) -> None:
        pdf.embed_file(
            bytes=data,
            basename=name,
            mime_type=mime_type,
            associated_file_relationship="Source",
            desc=desc,
            modification_date=issued_at,
            creation_date=issued_at,
        )

    serial = row["serial"]
    attach(record, record_name(serial), RECORD_MIME, texts.DIGITAL_RECORD.format(serial=serial))
    if corrected is not None:
        said = texts.DIGITAL_CORRECTED.format(serial=serial, version=version)
        attach(corrected, corrected_name(serial, version), RECORD_MIME, said)
    if proof is not None:
        said = texts.DIGITAL_PROOF.format(serial=serial, version=version)
        attach(proof.encode(), proof_name(serial, version), PROOF_MIME, said)
    return finish(pdf)
