"""Writes docs/examples/graduation-decision.{json,csv,xlsx}: one THPT graduation decision of the
Hanoi education department with 30 graduates, the same list in the three accepted formats.

Run: .venv/bin/python scripts/make_examples.py
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parent.parent / "docs" / "examples"

DECISION = {
    "number": "2150/QĐ-SGDĐT",
    "date": date(2025, 7, 14),
    "signer": {"name": "Nguyễn Văn Minh", "title": "Giám đốc"},
}
DIPLOMA = {
    "kind": "thpt",
    "regulation": "TT21/2019",
    "graduation_year": 2025,
    "place_of_issue": "Hà Nội",
    "issued_on": date(2025, 8, 15),
    "signer": {"name": "Phạm Thị Thu Hằng", "title": "Phó Giám đốc", "on_behalf_of": "Giám đốc"},
}
# (full name, date of birth, place of birth, gender, ethnicity)
PEOPLE = [
    ("Nguyễn Thị Ngọc Ánh", "2007-03-12", "Hà Nội", "female", "Kinh"),
    ("Trần Đức Anh", "2007-01-05", "Nam Định", "male", "Kinh"),
    ("Lê Hoàng Bảo Châu", "2007-11-23", "Hà Nội", "female", "Kinh"),
    ("Phạm Quốc Cường", "2007-06-30", "Thái Bình", "male", "Kinh"),
    ("Hoàng Thị Diệu Linh", "2007-09-02", "Lạng Sơn", "female", "Tày"),
    ("Vũ Minh Đức", "2007-02-14", "Hải Dương", "male", "Kinh"),
    ("Đặng Thùy Dương", "2007-08-08", "Hà Nội", "female", "Kinh"),
    ("Bùi Văn Giang", "2007-04-19", "Hòa Bình", "male", "Mường"),
    ("Đỗ Ngọc Hà", "2007-12-01", "Hà Nội", "female", "Kinh"),
    ("Hồ Sỹ Hải", "2007-05-27", "Nghệ An", "male", "Kinh"),
    ("Ngô Thị Hồng Hạnh", "2007-07-07", "Bắc Ninh", "female", "Kinh"),
    ("Dương Trọng Hiếu", "2007-10-10", "Hà Nội", "male", "Kinh"),
    ("Lý Gia Huy", "2007-03-03", "Hà Nội", "male", "Hoa"),
    ("Trịnh Thu Hương", "2007-01-29", "Thanh Hóa", "female", "Kinh"),
    ("Mai Xuân Khánh", "2007-06-16", "Ninh Bình", "male", "Kinh"),
    ("Phan Khánh Linh", "2007-09-21", "Hà Nội", "female", "Kinh"),
    ("Tạ Quang Lộc", "2007-02-02", "Phú Thọ", "male", "Kinh"),
    ("Lương Thị Mai", "2007-11-11", "Cao Bằng", "female", "Nùng"),
    ("Châu Nhật Minh", "2007-04-04", "Hà Nội", "male", "Kinh"),
    ("Kiều Bảo Ngọc", "2007-08-18", "Hà Nội", "female", "Kinh"),
    ("Đinh Công Nguyên", "2007-12-24", "Hà Nam", "male", "Kinh"),
    ("Tôn Nữ Phương Nhi", "2007-05-05", "Thừa Thiên Huế", "female", "Kinh"),
    ("Quách Tuấn Phong", "2007-07-30", "Hưng Yên", "male", "Kinh"),
    ("Cao Thị Quỳnh", "2007-10-02", "Vĩnh Phúc", "female", "Kinh"),
    ("Âu Dương Sơn", "2007-03-25", "Hà Nội", "male", "Kinh"),
    ("Nông Thị Thảo", "2007-06-09", "Tuyên Quang", "female", "Tày"),
    ("Triệu Văn Thắng", "2007-01-17", "Hà Giang", "male", "Dao"),
    ("Khúc Thị Thanh Thúy", "2007-09-13", "Hải Phòng", "female", "Kinh"),
    ("Vương Đình Trung", "2007-02-26", "Hà Nội", "male", "Kinh"),
    ("Nguyễn Hoàng Yến", "2007-11-30", "Hà Nội", "female", "Kinh"),
]


def graduates() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i, (name, born, place, gender, ethnicity) in enumerate(PEOPLE):
        out.append(
            {
                "serial": f"HN25-{12301 + i:06d}",
                "full_name": name,
                "date_of_birth": date.fromisoformat(born),
                "place_of_birth": place,
                "gender": gender,
                "ethnicity": ethnicity,
                "nationality": "Việt Nam",
                "student_id": f"01{2500 + i * 37:08d}",
                "mode_of_study": "Giáo dục phổ thông" if i % 10 else "Giáo dục thường xuyên",
            }
        )
    return out


def _iso(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    return value


DECISION_COLUMNS = {
    "decision_number": DECISION["number"],
    "decision_date": DECISION["date"],
    "decision_signer_name": DECISION["signer"]["name"],  # type: ignore[index]
    "decision_signer_title": DECISION["signer"]["title"],  # type: ignore[index]
    "kind": DIPLOMA["kind"],
    "regulation": DIPLOMA["regulation"],
    "graduation_year": DIPLOMA["graduation_year"],
    "place_of_issue": DIPLOMA["place_of_issue"],
    "issued_on": DIPLOMA["issued_on"],
    "signer_name": DIPLOMA["signer"]["name"],  # type: ignore[index]
    "signer_title": DIPLOMA["signer"]["title"],  # type: ignore[index]
    "signer_on_behalf_of": DIPLOMA["signer"]["on_behalf_of"],  # type: ignore[index]
}
GRADUATE_COLUMNS = [
    "serial",
    "full_name",
    "date_of_birth",
    "place_of_birth",
    "gender",
    "ethnicity",
    "nationality",
    "student_id",
    "mode_of_study",
]


def write_json() -> None:
    data = {
        "decision": _iso(DECISION),
        "diploma": _iso(DIPLOMA),
        "graduates": [_iso(g) for g in graduates()],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    (OUT / "graduation-decision.json").write_text(text, encoding="utf-8")


def write_csv() -> None:
    """English headers, Vietnamese dates (DD/MM/YYYY), decision columns on every row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*DECISION_COLUMNS, *GRADUATE_COLUMNS])
    for g in graduates():
        cells = [*DECISION_COLUMNS.values(), *(g[c] for c in GRADUATE_COLUMNS)]
        writer.writerow([f"{c:%d/%m/%Y}" if isinstance(c, date) else c for c in cells])
    (OUT / "graduation-decision.csv").write_text(buffer.getvalue(), encoding="utf-8")


def write_xlsx() -> None:
    """Vietnamese headers and values, real date cells, decision columns on the first row only."""
    from service.formats.tabular import COLUMNS

    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Danh sách tốt nghiệp"
    names = [*DECISION_COLUMNS, *GRADUATE_COLUMNS]
    sheet.append([COLUMNS[n][1] for n in names])
    for i, g in enumerate(graduates()):
        decision = list(DECISION_COLUMNS.values()) if i == 0 else [None] * len(DECISION_COLUMNS)
        cells = [g[c] for c in GRADUATE_COLUMNS]
        cells[GRADUATE_COLUMNS.index("gender")] = "Nữ" if g["gender"] == "female" else "Nam"
        sheet.append([*decision, *cells])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    workbook.properties.creator = "vanbang"
    # openpyxl writes naive datetimes as UTC.
    stamp = datetime(2025, 7, 14)  # noqa: DTZ001
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.save(OUT / "graduation-decision.xlsx")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    write_json()
    write_csv()
    write_xlsx()
    print(f"wrote {OUT}/graduation-decision.{{json,csv,xlsx}}")
