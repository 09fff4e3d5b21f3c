"""verifier/ stands alone: it imports nothing from the service, aiohttp or asyncpg."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import verifier

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("service", "aiohttp", "asyncpg")

# Run in a fresh interpreter (isolated: no PYTHONPATH, no user site), which refuses the
# forbidden packages: imports every module named, then reports which tried to import one
# (even inside a try/except ImportError), and what of them ended up loaded anyway.
_CHILD = r"""
import importlib, importlib.abc, json, sys

root, forbidden, names = sys.argv[1], set(sys.argv[2].split(",")), sys.argv[3:]
sys.path.insert(0, root)
attempts = []


class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in forbidden:
            attempts.append(name)
            raise ModuleNotFoundError(f"the verifier may not import {name}", name=name)
        return None


sys.meta_path.insert(0, Refuse())
refused = {}
for name in names:
    before = len(attempts)
    try:
        importlib.import_module(name)
    except Exception as exc:
        refused[name] = [*attempts[before:], f"{type(exc).__name__}: {exc}"]
    else:
        if len(attempts) > before:
            refused[name] = attempts[before:]
print(json.dumps({
    "refused": refused,
    "loaded": sorted(m for m in sys.modules if m.partition(".")[0] in forbidden),
    "imported": sorted(m for m in sys.modules if m.partition(".")[0] == "verifier"),
    "verifier": sys.modules["verifier"].__file__,
}))
"""


def _modules() -> list[str]:
    """Every module of the verifier package, a new one included; not its __main__, which
    runs the command when imported (its imports are checked below, with the source)."""
    found = pkgutil.walk_packages(verifier.__path__, prefix="verifier.")
    return ["verifier", *sorted(m.name for m in found if not m.name.endswith(".__main__"))]


# The `pdf` extra's module: pyHanko requires aiohttp and imports it with its timestamp client
# (pyhanko.sign.timestamps), so aiohttp comes in as pyHanko's, never as the verifier's own
# (the source test below holds that no verifier module names it).
PYHANKO = "verifier.pdfcheck"


def _child(forbidden: tuple[str, ...], modules: list[str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-I", "-c", _CHILD, str(ROOT), ",".join(forbidden), *modules],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    assert Path(report["verifier"]).parent == Path(verifier.__file__).parent
    return report


def test_every_verifier_module_imports_nothing_from_the_service() -> None:
    modules = _modules()
    assert {"verifier.cli", "verifier.check", "verifier.image", "verifier.token"} < set(modules)
    plain = [m for m in modules if m != PYHANKO]
    report = _child(FORBIDDEN, plain)
    assert report["refused"] == {}
    assert report["loaded"] == []
    assert set(plain) <= set(report["imported"])
    report = _child(tuple(f for f in FORBIDDEN if f != "aiohttp"), [PYHANKO])
    assert report["refused"] == {}
    assert report["loaded"] == []


def test_no_import_in_the_verifiers_source_names_the_service() -> None:
    """Also the imports that only run when a function is called (verifier.image's), and
    __main__'s."""
    files = sorted(Path(verifier.__file__).parent.rglob("*.py"))
    assert len(files) == len(_modules()) + 1  # the modules, and __main__
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), str(file))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.partition(".")[0] not in FORBIDDEN, f"{file}:{node.lineno}: {name}"


def test_public_api_is_small_sorted_and_deliberate() -> None:
    assert verifier.__all__ == sorted(verifier.__all__)
    assert set(verifier.__all__) == {
        "Custody",  # who holds a transferred register, since when (docs/custody.md)
        "IssuerMismatchError",
        "KeyCompromisedError",
        "KeyNotValidError",
        "MalformedError",
        "SignatureError",
        "TrustList",
        "TrustListError",
        "TrustedCertificate",  # an issuer's X.509 document-signing certificate (PAdES)
        "TrustedIssuer",
        "TrustedKey",
        "UnknownKeyError",
        "UnsupportedAlgorithmError",
        "VerificationError",
        "Verified",
        "kid_for",
        "load_public_pem",
        "token_from_text",
        "verify_record",
        "verify_token",
    }
    for name in verifier.__all__:
        assert getattr(verifier, name) is not None
