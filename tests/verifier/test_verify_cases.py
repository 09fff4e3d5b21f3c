"""The verify cases of tests/vectors/verify-cases.json, through the library and through
`vanbang-verify`, with the network switched off: offline really means offline."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.qr.render import png
from service.qr.symbol import make_symbol
from verifier import TrustList, TrustListError
from verifier.check import check_token
from verifier.cli import main
from verifier.keys import public_pem

ROOT = Path(__file__).resolve().parents[2]
DATA = json.loads((ROOT / "tests" / "vectors" / "verify-cases.json").read_text("utf-8"))
ROOT_KEY = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(DATA["root_seed"])).public_key()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "root.pub.pem").write_bytes(public_pem(ROOT_KEY))
    (tmp_path / "trust.cose").write_bytes(base64.b64decode(DATA["trust_list"]))
    (tmp_path / "other.cose").write_bytes(base64.b64decode(DATA["trust_list_by_another_root"]))
    return {name: str(tmp_path / name) for name in ("root.pub.pem", "trust.cose", "other.cose")}


def _trust() -> TrustList:
    return TrustList.from_bytes(base64.b64decode(DATA["trust_list"]), root_key=ROOT_KEY)


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: c["name"])
def test_each_case_gives_its_verdict_step_and_reason(case: dict[str, Any]) -> None:
    result = check_token(case["text"], _trust())
    assert result.verdict == case["verdict"]
    failure = result.failure
    if case["step"] is None:
        assert failure is None
        assert result.fields["serial"] == "HN25-012301"
    else:
        assert failure is not None
        assert (failure.step, failure.code) == (case["step"], case["reason"])
        assert failure.detail  # a diagnostic, not only a code
        body = result.to_dict("en")
        failed = [s for s in body["steps"] if s["outcome"] == "failed"]
        assert failed[0]["reason"] == case["reason"]
        assert (
            failed[0]["message"]
            != result.to_dict("vi")["steps"][
                [s["code"] for s in body["steps"]].index(case["step"])
            ]["message"]
        )


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: c["name"])
def test_the_command_line_agrees_offline(
    case: dict[str, Any], files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            case["text"],
            "--root-key",
            files["root.pub.pem"],
            "--trust-list",
            files["trust.cose"],
            "--json",
            "--lang",
            "en",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == case["verdict"]
    assert code == (0 if case["verdict"] == "genuine" else 1)


def test_human_output_names_the_reason(
    files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    compromised = next(c for c in DATA["cases"] if c["reason"] == "key_compromised")
    assert (
        main(
            [
                compromised["text"],
                "--root-key",
                files["root.pub.pem"],
                "--trust-list",
                files["trust.cose"],
            ]
        )
        == 1
    )
    out = capsys.readouterr().out
    assert "Không phải văn bằng thật" in out
    assert "key_compromised" in out
    valid = DATA["cases"][0]
    assert (
        main(
            [
                valid["text"],
                "--root-key",
                files["root.pub.pem"],
                "--trust-list",
                files["trust.cose"],
                "--lang",
                "en",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Genuine (current status not checked)" in out
    assert "Full name: Nguyễn Thị Ngọc Ánh" in out


def test_a_trust_list_from_another_root_is_an_error(
    files: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(TrustListError):
        TrustList.from_bytes(
            base64.b64decode(DATA["trust_list_by_another_root"]), root_key=ROOT_KEY
        )
    code = main(
        [
            DATA["cases"][0]["text"],
            "--root-key",
            files["root.pub.pem"],
            "--trust-list",
            files["other.cose"],
        ]
    )
    assert code == 2
    assert "trust_list_invalid" in capsys.readouterr().err


def test_reading_the_code_from_an_image(
    files: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    valid = DATA["cases"][0]["text"]
    image = tmp_path / "scan.png"
    image.write_bytes(png(make_symbol(valid), module_mm=0.40, dpi=300))
    assert (
        main(
            [
                "--image",
                str(image),
                "--root-key",
                files["root.pub.pem"],
                "--trust-list",
                files["trust.cose"],
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["fields"]["serial"] == "HN25-012301"
    blank = tmp_path / "blank.png"
    blank.write_bytes(_blank_png())
    assert (
        main(
            [
                "--image",
                str(blank),
                "--root-key",
                files["root.pub.pem"],
                "--trust-list",
                files["trust.cose"],
            ]
        )
        == 2
    )
    assert "no QR code" in capsys.readouterr().err


def _blank_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (200, 200), 255).save(out, format="PNG")
    return out.getvalue()


def test_usage_errors_exit_2(files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root-key", files["root.pub.pem"]]) == 2  # neither token nor image
    # A bare token has no host to fetch a trust list from: offline needs --trust-list.
    bare = DATA["cases"][0]["text"].split("/V/")[1]
    assert main([bare, "--root-key", files["root.pub.pem"]]) == 2
    assert main([bare, "--root-key", files["trust.cose"], "--trust-list", files["trust.cose"]]) == 2
    with pytest.raises(SystemExit) as missing:
        main([bare])
    assert missing.value.code == 2
    capsys.readouterr()


def test_the_network_really_is_off() -> None:
    import socket

    with pytest.raises(Exception, match="socket"):
        socket.socket()


def test_readme_documents_every_option() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Verifying offline") :]
    helps = [
        subprocess.run(
            [sys.executable, "-m", "verifier", *args, "--help"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for args in ([], ["trust-list", "fetch"], ["log"], ["pdf"])
    ]
    options = {o for text in helps for o in re.findall(r"(--[a-z][a-z-]+)", text)} - {"--help"}
    assert options
    for option in sorted(options):
        assert option in section, f"{option} is not in the README's vanbang-verify section"
    assert "trust-list fetch" in section


def test_every_step_outcome_and_reason_has_both_languages() -> None:
    from verifier.errors import VerificationError
    from verifier.result import MESSAGES, VERDICTS, Step, Verdict

    def codes(cls: type[VerificationError]) -> set[str]:
        return {cls.code} | {c for sub in cls.__subclasses__() for c in codes(sub)}

    reasons = codes(VerificationError) - {"verification_failed", "trust_list_invalid"}
    reasons |= {"not_in_register", "record_mismatch", "status_unavailable"}
    keys = reasons | {f"{step}.passed" for step in Step} | {"skipped"}
    assert keys <= MESSAGES.keys(), keys - MESSAGES.keys()
    assert set(Verdict) == set(VERDICTS)
    assert all(vi and en and vi != en for vi, en in MESSAGES.values())


def test_skipped_steps_say_why() -> None:
    valid = check_token(DATA["cases"][0]["text"], _trust()).to_dict("en")
    assert valid["steps"][3]["message"] == "Not compared with the register (offline)"
    broken = check_token(DATA["cases"][-1]["text"], _trust()).to_dict("en")
    assert broken["steps"][3]["message"] == "Not checked: an earlier step failed"
