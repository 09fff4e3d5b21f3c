"""Pure rules: numbering patterns, language choice, tabular parsing, regulations, ids, settings."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from service.domain.ids import uuid7
from service.domain.kinds import DiplomaKind, IssuerKind
from service.domain.numbering import PatternError, check_pattern, format_register_number
from service.domain.regulations import DEFAULT_REGULATION, REGULATIONS
from service.formats.tabular import column_letter, parse_csv
from service.problems import Problem, pick_language
from service.settings import SETTINGS, Settings, SettingsError


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("{n}/{year}", "7/2026"), ("{n:04d}/{kind}-{year}", "0007/THPT-2026"), ("SGD-{n}", "SGD-7")],
)
def test_register_number_patterns(pattern: str, expected: str) -> None:
    assert format_register_number(check_pattern(pattern), 7, 2026, DiplomaKind.THPT) == expected


@pytest.mark.parametrize("pattern", ["{year}", "{x}{n}", "{n!r}", "{n:>5}", "{year:4}", "{", ""])
def test_bad_register_number_patterns(pattern: str) -> None:
    with pytest.raises(PatternError):
        check_pattern(pattern)


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "vi"),
        ("", "vi"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("vi,en;q=0.8", "vi"),
        ("fr", "vi"),
        ("fr,en;q=0.5", "en"),
        ("en;q=0.4,vi;q=0.6", "vi"),
        ("en;q=bogus", "vi"),
    ],
)
def test_language_choice(header: str | None, lang: str) -> None:
    assert pick_language(header) == lang


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


CSV = (
    "\ufeffSố quyết định;Ngày quyết định;Số hiệu;Họ và tên;Ngày sinh;Giới tính\n"
    "1/QĐ;14/07/2025;A1;Lê An;01/02/2007;Nam\n"
    ";;;;;\n"
    ";;A2;Lê Bình;03/04/2007;Nữ\n"
)


def test_csv_with_bom_semicolons_vietnamese_headers_and_blank_rows() -> None:
    data, locator = parse_csv(CSV.encode(), max_rows=10)
    assert data == {
        "decision": {"number": "1/QĐ", "date": "14/07/2025"},
        "graduates": [
            {"serial": "A1", "full_name": "Lê An", "date_of_birth": "01/02/2007", "gender": "Nam"},
            {"serial": "A2", "full_name": "Lê Bình", "date_of_birth": "03/04/2007", "gender": "Nữ"},
        ],
    }
    assert locator.graduate_rows == [2, 4]


def test_csv_row_limit_and_syntax() -> None:
    with pytest.raises(Problem) as too_many:
        parse_csv(CSV.encode(), max_rows=1)
    assert too_many.value.type.slug == "payload-too-large"
    with pytest.raises(Problem) as broken:
        parse_csv(b'serial,full_name,date_of_birth,gender\n"A1,Le An\n', max_rows=10)
    assert broken.value.type.slug == "malformed-body"


def test_circular_21_covers_every_kind_and_names_real_issuer_kinds() -> None:
    tt21 = REGULATIONS[DEFAULT_REGULATION]
    vocational = {k for k in DiplomaKind if k.value.startswith("vocational_")}
    assert set(tt21.kinds) == set(DiplomaKind) - vocational  # TT10/2026 brought them in
    assert tt21.confirmed
    thpt = tt21.rule(DiplomaKind.THPT)
    assert thpt is not None
    assert thpt.issuers == {IssuerKind.PROVINCIAL_DEPARTMENT}
    assert thpt.deadline_days == 75
    bachelor = tt21.rule(DiplomaKind.BACHELOR)
    assert bachelor is not None
    assert bachelor.deadline_days == 30
    tt10 = REGULATIONS["TT10/2026"]
    assert not tt10.confirmed
    assert tt10.rule(DiplomaKind.THCS) is None  # replaced by a note in the school record
    assert tt10.absent[DiplomaKind.THCS].reason == "school_record"
    assert set(tt10.kinds) | set(tt10.absent) == set(DiplomaKind)
    thpt10 = tt10.rule(DiplomaKind.THPT)
    assert thpt10 is not None
    assert thpt10.issuers == {IssuerKind.SCHOOL}


def test_uuid7_is_a_time_ordered_uuid() -> None:
    first = uuid7()
    assert first.version == 7
    assert first.variant == uuid.RFC_4122
    ids = {uuid7() for _ in range(1000)}
    assert len(ids) == 1000


def test_settings_from_environment() -> None:
    default = Settings.from_env({})
    assert default.embedded_database
    assert default.demo
    assert default.log_format == "console"
    production = Settings.from_env(
        {
            "VANBANG_ENV": "production",
            "DATABASE_URL": "postgresql://db/vanbang",
            "VANBANG_PUBLIC_URL": "https://vanbang.example.vn/",
        }
    )
    assert not production.demo
    assert production.log_format == "json"
    assert production.public_url == "https://vanbang.example.vn"
    assert production.keys_dir == Path(".vanbang/keys")
    assert default.qr_module_mm == 0.40
    assert Settings.from_env({"VANBANG_QR_MODULE_MM": "0.25"}).qr_module_mm == 0.25
    assert Settings.from_env({"VANBANG_QR_MODULE_MM": "2"}).qr_module_mm == 2.0
    for bad in (
        {"VANBANG_PORT": "0"},
        {"VANBANG_ENV": "staging"},
        {"VANBANG_LOG_FORMAT": "xml"},
        {"VANBANG_PUBLIC_URL": "vanbang.vn"},
        {"VANBANG_DEMO": "maybe"},
        {"VANBANG_MAX_BODY_BYTES": "12"},
        {"VANBANG_QR_MODULE_MM": "0.2"},
        {"VANBANG_QR_MODULE_MM": "2.5"},
        {"VANBANG_QR_MODULE_MM": "nan"},
        {"VANBANG_QR_MODULE_MM": "0,5"},
    ):
        with pytest.raises(SettingsError):
            Settings.from_env(bad)


def test_every_setting_and_command_is_documented() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for doc in SETTINGS:
        row = f"| `{doc.variable}` | {doc.default} | {doc.meaning} |"
        assert row in readme, f"README's row for {doc.variable} differs from service/settings.py"
    commands = _commands()
    assert "vanbang key rotate" in commands
    for command in commands:
        assert command in readme, f"{command} missing from README"


def _commands() -> list[str]:
    """Every `vanbang` command and sub-command, read from the parser itself."""
    import argparse

    from service.cli import build_parser

    def walk(parser: argparse.ArgumentParser, prefix: str) -> list[str]:
        found = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    below = walk(sub, f"{prefix} {name}")
                    found += below or [f"{prefix} {name}"]
        return found

    return walk(build_parser(), "vanbang")


def test_every_list_column_is_documented() -> None:
    from service.formats.tabular import COLUMNS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "register.md").read_text("utf-8")
    for name, (_, label) in COLUMNS.items():
        assert f"| `{name}` | {label} |" in doc, f"column {name} missing from docs/register.md"


def test_uuid7_batches_are_distinct_version_7_ids() -> None:
    from service.domain.ids import uuid7s

    ids = uuid7s(1000)
    assert len(set(ids)) == 1000
    assert {u.version for u in ids} == {7}
    assert {u.variant for u in ids} == {uuid.RFC_4122}
    assert len({u.int >> 80 for u in ids}) == 1  # one millisecond for the batch


def test_a_clerks_today_is_vietnams_day() -> None:
    """A date typed on a form is a Vietnamese day: at 18:00 UTC it is already tomorrow in
    Vietnam, and "not in the future" must say so (the forms fill in Vietnam's today)."""
    from datetime import UTC, date, datetime

    from service.domain.clock import vietnam_day

    assert vietnam_day(datetime(2026, 12, 2, 16, 59, tzinfo=UTC)) == date(2026, 12, 2)
    assert vietnam_day(datetime(2026, 12, 2, 17, 0, tzinfo=UTC)) == date(2026, 12, 3)
