"""The catalogue of texts (service/texts.py): both languages everywhere, every placeholder
filled where a text is used, and no Vietnamese written anywhere else in service/."""

from __future__ import annotations

import ast
import datetime
import re
import string
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from service import texts
from service.domain.kinds import DiplomaKind
from service.domain.lifecycle import CorrectionGround, RevocationGround
from service.problems import CATALOGUE, FORBIDDEN, Problem
from service.texts import Text

SERVICE = Path(texts.__file__).resolve().parent
CATALOGUE_FILE = SERVICE / "texts.py"

# Letters with Vietnamese diacritics (and any other Latin letter outside ASCII, or a combining
# mark): what a Vietnamese text cannot be written without.
VIETNAMESE = re.compile("[\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]")

# What may stay outside the catalogue, by file: a literal string, or the name of the top-level
# assignment that holds it. None of it is said to people in a message.
OUTSIDE_THE_CATALOGUE: dict[str, dict[str, str]] = {
    "formats/tabular.py": {
        # What the service reads: the Vietnamese column headers of the clerks' lists. A
        # format, not wording: changing one would stop their files from being read.
        "COLUMNS": "the headers a CSV or XLSX list may carry",
    },
    "domain/graduates.py": {
        "_GENDERS": "genders as clerks write them",
        "_YES_NO": "yes and no as clerks write them",
        "Việt Nam": "the default nationality, a value stored in the register",
    },
    "cli/__init__.py": {
        # The command line's help is English; these are examples of Vietnamese values.
        "full name, e.g. 'Sở GDĐT Hà Nội'": "an example issuer name",
        "e.g. 45/QĐ-SGDĐT": "an example decision number",
        "blank forms (phôi)": "the legal term, in an English help",
    },
    "cli/qr.py": {"/QĐ-SGDĐT": "the demo's decision number, data"},
    "openapi.py": {
        "Diploma register and verification service (Circular 21/2019/TT-BGDĐT).": (
            "the circular's official number"
        ),
    },
    # The problem types' descriptions are English documentation for developers.
    "problems.py": {"DUPLICATE_SERIAL": "names the Vietnamese term"},
}
# Texts of the catalogue whose languages do not take the same values: the English says more.
UNEVEN_PLACEHOLDERS = {"BLANK_SPOILED_OR_DESTROYED", "MISSING_COLUMN", "CSV_ENCODING"}


def _entries() -> Iterator[tuple[str, Text | str]]:
    """Every text of the catalogue: (name, Text or Vietnamese-only str), mappings' entries
    named NAME[key]."""
    for name, value in vars(texts).items():
        if not name.isupper():  # Text, Final, Mapping...
            continue
        if isinstance(value, Text | str):
            yield name, value
        elif isinstance(value, Mapping):
            for key, item in value.items():
                assert isinstance(item, Text | str), f"{name}[{key!r}]"
                yield f"{name}[{key!r}]", item


ENTRIES = dict(_entries())
TEXTS = {name: value for name, value in ENTRIES.items() if isinstance(value, Text)}


def _fields(template: str) -> dict[str, str]:
    """The placeholders of a template: {name: format spec}."""
    fields = {}
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        assert name.isidentifier(), f"{template!r}: {{{name}}} is not a keyword placeholder"
        assert conversion is None, f"{template!r}: no !r or !s in a text"
        assert "{" not in (spec or ""), f"{template!r}: no nested placeholders"
        fields[name] = spec or ""
    return fields


def _languages(value: Text | str) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, Text) else (value,)


def _placeholders(value: Text | str) -> set[str]:
    return {name for language in _languages(value) for name in _fields(language)}


def test_the_catalogue_holds_texts() -> None:
    assert len(TEXTS) > 150
    assert "CLERK_OWN_ISSUER" in TEXTS
    assert "PAGE['title']" in TEXTS


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_every_text_is_written_in_both_languages(name: str) -> None:
    value = ENTRIES[name]
    for language in _languages(value):
        assert language.strip(), name
        assert language == language.strip(), f"{name}: stray spaces"
    if isinstance(value, Text):
        assert value.vi != value.en, f"{name}: the English is the Vietnamese"
        assert not VIETNAMESE.search(value.en) or name == "PAGE['other']", (
            f"{name}: Vietnamese in the English"
        )


def _sample(spec: str) -> object:
    if "%" in spec:
        return datetime.date(2025, 6, 30)
    if spec:
        return 1_000_000
    return "X"


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_every_placeholder_is_a_valid_format_field(name: str) -> None:
    value = ENTRIES[name]
    # A value for each placeholder that suits its format spec in every language.
    specs: dict[str, str] = {}
    for language in _languages(value):
        for field, spec in _fields(language).items():
            specs[field] = specs.get(field) or spec
    values = {field: _sample(spec) for field, spec in specs.items()}
    for language in _languages(value):
        rendered = language.format(**values)
        assert "{" not in rendered, f"{name}: {rendered!r}"
        assert "}" not in rendered, f"{name}: {rendered!r}"
    if isinstance(value, Text) and name not in UNEVEN_PLACEHOLDERS:
        assert set(_fields(value.vi)) == set(_fields(value.en)), (
            f"{name}: the languages take different values"
        )


def test_a_text_formats_dates_the_vietnamese_way() -> None:
    text = texts.DECISION_REGISTERED.format(number="45/QĐ", date=datetime.date(2025, 6, 3))
    assert text == Text(
        "Quyết định 45/QĐ ngày 03/06/2025 đã được đăng ký",
        "Decision 45/QĐ of 2025-06-03 is already registered",
    )


def test_a_text_fills_a_problem_and_a_field_error() -> None:
    problem = Problem(FORBIDDEN, *texts.CLERK_OWN_ISSUER)
    assert problem.render("vi", "/x", None)["detail"] == "Chỉ được ghi sổ cho đơn vị của mình"
    assert problem.render("en", "/x", None)["detail"] == texts.CLERK_OWN_ISSUER.en
    assert problem.render("en", "/x", None)["title"] == "Not allowed"


def test_the_catalogues_tables_match_what_they_name() -> None:
    assert set(texts.PROBLEM_TITLES) == set(CATALOGUE)
    assert set(texts.KINDS) == {k.value for k in DiplomaKind}
    assert set(texts.REVOCATION_GROUNDS) == {g.value for g in RevocationGround}
    assert set(texts.CORRECTION_GROUNDS) == {g.value for g in CorrectionGround}
    assert DiplomaKind.THPT.title_vi == "Bằng tốt nghiệp trung học phổ thông"
    assert RevocationGround.LENT.title_vi == "Để người khác sử dụng"


def test_the_catalogue_imports_nothing_of_service() -> None:
    """So that anything, domain/ included, may import it."""
    tree = ast.parse(CATALOGUE_FILE.read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert imported <= {"__future__", "collections.abc", "types", "typing"}


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SERVICE.rglob("*.py")):
        if path != CATALOGUE_FILE:
            relative = path.relative_to(SERVICE).as_posix()
            yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring constants: documentation, not something said to people."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _assigned_names(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.Assign):
        return {t.id for t in statement.targets if isinstance(t, ast.Name)}
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return {statement.target.id}
    return set()


def test_no_vietnamese_is_written_outside_the_catalogue() -> None:
    """Every Vietnamese text of service/ is in texts.py (templates are not Python: their
    texts come from the catalogue too, as `t.<key>`)."""
    stray = []
    for relative, tree in _sources():
        allowed = OUTSIDE_THE_CATALOGUE.get(relative, {})
        docstrings = _docstrings(tree)
        for statement in tree.body:
            if _assigned_names(statement) & allowed.keys():
                continue
            for node in ast.walk(statement):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and node.value not in allowed
                    and VIETNAMESE.search(node.value)
                ):
                    stray.append(f"service/{relative}:{node.lineno}: {node.value!r}")
    assert not stray, "Vietnamese outside service/texts.py:\n" + "\n".join(stray)


def test_every_allowance_is_still_needed() -> None:
    sources = dict(_sources())
    for relative, allowed in OUTSIDE_THE_CATALOGUE.items():
        tree = sources[relative]
        names = {n for s in tree.body for n in _assigned_names(s)}
        literals = {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
        for entry in allowed:
            assert entry in names or entry in literals, f"service/{relative}: {entry!r}"


def _uses() -> Iterator[tuple[str, str, ast.AST | None]]:
    """Each use of a catalogue text in service/: (where, name, the Call of its .format or
    None when it is used as it is)."""
    for relative, tree in _sources():
        parents = {
            id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "texts"
            ):
                parent = parents.get(id(node))
                grandparent = parents.get(id(parent)) if parent is not None else None
                formatted = (
                    isinstance(parent, ast.Attribute)
                    and parent.attr == "format"
                    and isinstance(grandparent, ast.Call)
                    and grandparent.func is parent
                )
                where = f"service/{relative}:{node.lineno}"
                yield where, node.attr, grandparent if formatted else None


def test_every_use_fills_every_placeholder() -> None:
    """`texts.NAME` with placeholders is used as `texts.NAME.format(every=..., one=...)`; one
    without is used as it is: no `{serial}` reaches a person."""
    for where, name, call in _uses():
        value = getattr(texts, name)
        if not isinstance(value, Text | str):
            continue  # a table (PAGE, KINDS...) or the Text class
        needed = _placeholders(value)
        if not needed:
            assert call is None, f"{where}: texts.{name} has nothing to format"
            continue
        assert isinstance(call, ast.Call), f"{where}: texts.{name} needs .format({needed})"
        assert not call.args, f"{where}: texts.{name}.format takes keywords"
        given = {k.arg for k in call.keywords}
        assert None not in given, f"{where}: texts.{name}.format(**...) cannot be checked"
        assert given == needed, f"{where}: texts.{name}.format({given}) for {needed}"


def test_every_text_is_used() -> None:
    used = {name for _, name, _ in _uses()}
    for _, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "service.texts":
                used.update(alias.name for alias in node.names)
    public = {name for name in vars(texts) if name.isupper() and not name.startswith("_")}
    assert public - used == set()


def test_the_verifier_names_the_kinds_as_the_pages_do() -> None:
    """`vanbang-verify` stands alone (it cannot read this catalogue), so it keeps the kinds'
    names itself: the same, word for word."""
    from verifier.result import KIND_LABELS

    assert {code: Text(*names) for code, names in KIND_LABELS.items()} == dict(texts.KINDS)
