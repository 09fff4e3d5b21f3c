"""`vanbang-verify`: check a diploma's QR code offline against a cached trust list.

    vanbang-verify TOKEN_OR_URL --root-key root.pub.pem --trust-list trust-list.cose
    vanbang-verify --image scan.png --root-key root.pub.pem --trust-list trust-list.cose
    vanbang-verify trust-list fetch URL -o trust-list.cose [--root-key root.pub.pem]
    vanbang-verify log --checkpoint saved.txt --url BASE --key LOG_KEY [--update] [--tiles] \
        [--witness WITNESS_VKEY ... --witnesses-needed N]
    vanbang-verify log --url BASE --key LOG_KEY --leaf-index N
    vanbang-verify bundle BUNDLE.json --key LOG_KEY [--root-key ROOT --trust-list LIST]
    vanbang-verify proof FILE.tlog-proof --key LOG_KEY [--witness VKEY ... --witnesses-needed N] \
        [--record RECORD.cose [--root-key ROOT --trust-list LIST]]
    vanbang-verify pdf DIPLOMA.pdf --root-key root.pub.pem --trust-list trust-list.cose \
        --ca-root ca-root.pem

Exit codes: 0 genuine (with --online: valid, or corrected and in force), 1 not genuine, not
in the register, re-issued or revoked (the reason is printed), 2 usage or other errors,
including a status that could not be checked. Vietnamese by default, `--lang en` for English.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from verifier.check import check_token
from verifier.display import field_lines, status_lines
from verifier.errors import VerificationError
from verifier.keys import load_public_pem
from verifier.result import (
    REGISTER_STEPS,
    Lang,
    Outcome,
    Step,
    StepResult,
    Verdict,
    VerificationResult,
    message,
)
from verifier.token import PATH
from verifier.trust_list import TrustList

WELL_KNOWN = "/.well-known/vanbang/trust-list"
MAX_TRUST_LIST = 4 * 1024 * 1024


class UsageError(Exception):
    """The command cannot run as asked (exit code 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanbang-verify",
        description="Verify a vanbang diploma QR code offline against a trust list.",
        epilog="Also: vanbang-verify trust-list fetch URL -o FILE [--root-key FILE]; "
        "vanbang-verify log --checkpoint FILE --url BASE --key KEY [--update] [--tiles] "
        "[--leaf-index N] [--witness VKEY ... --witnesses-needed N]; "
        "vanbang-verify bundle FILE --key KEY [--root-key FILE --trust-list FILE]; "
        "vanbang-verify proof FILE --key KEY [--witness VKEY ... --witnesses-needed N] "
        "[--record FILE [--root-key FILE --trust-list FILE]]; "
        "vanbang-verify pdf FILE --root-key FILE --trust-list FILE [--ca-root CERT.pem ...]. "
        "Exit codes: 0 genuine, 1 not genuine, 2 usage or other errors.",
    )
    parser.add_argument(
        "token",
        nargs="?",
        metavar="TOKEN_OR_URL",
        help="the QR text, its URL, or the bare base32 token",
    )
    parser.add_argument("--image", type=Path, help="read the QR code from a photo or scan")
    parser.add_argument(
        "--trust-list",
        type=Path,
        help="a cached trust list (else fetched from the token URL's host)",
    )
    parser.add_argument(
        "--root-key",
        type=Path,
        required=True,
        help="the root public key (PEM) that signs the trust list",
    )
    parser.add_argument(
        "--online",
        metavar="URL",
        help="also ask the service at URL whether the register holds it and its current status",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--lang", choices=["vi", "en"], default="vi", help="language of messages (default vi)"
    )
    return parser


def _fetch_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanbang-verify trust-list fetch",
        description="Download a service's trust list to a file, for offline use.",
    )
    parser.add_argument("url", help="the service's base URL or the trust list's URL")
    parser.add_argument("-o", "--output", type=Path, required=True, help="where to save it")
    parser.add_argument("--root-key", type=Path, help="check it against this root key first")
    return parser


def _pdf_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanbang-verify pdf",
        description="Check a digital diploma (PDF) offline: its PAdES signature and "
        "certificate chain, the certificate in the trust list, the attached register record "
        "and the QR code. Exit codes: 0 genuine, 1 not genuine, 2 usage or other errors.",
    )
    parser.add_argument("file", type=Path, help="the digital diploma (PDF)")
    parser.add_argument(
        "--root-key",
        type=Path,
        required=True,
        help="the root public key (PEM) that signs the trust list",
    )
    parser.add_argument("--trust-list", type=Path, required=True, help="a cached trust list")
    parser.add_argument(
        "--ca-root",
        type=Path,
        action="append",
        default=[],
        help="a CA root certificate (PEM or DER) the signer's chain must reach; repeatable "
        "(none: the chain is not checked, and that step fails)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--lang", choices=["vi", "en"], default="vi", help="language of messages (default vi)"
    )
    return parser


def _download(url: str) -> bytes:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UsageError(f"not an http(s) URL: {url}")
    if not parts.path.endswith(WELL_KNOWN):
        url = f"{parts.scheme}://{parts.netloc}{WELL_KNOWN}".lower()
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310  # http(s) only
            data: bytes = response.read(MAX_TRUST_LIST + 1)
    except OSError as exc:
        raise UsageError(f"cannot fetch {url}: {exc}") from None
    if len(data) > MAX_TRUST_LIST:
        raise UsageError(f"{url} is larger than {MAX_TRUST_LIST} bytes")
    return data


def _root_key(path: Path) -> Ed25519PublicKey:
    try:
        return load_public_pem(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a readable Ed25519 public key ({exc})") from None


def _trust_list(args: argparse.Namespace, text: str) -> TrustList:
    root = _root_key(args.root_key)
    if args.trust_list is not None:
        try:
            data = args.trust_list.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {args.trust_list}: {exc}") from None
    else:
        at = text.upper().rfind(PATH)
        if at < 0:
            raise UsageError("give --trust-list, or a token URL whose host serves the list")
        data = _download(text[:at])
    return TrustList.from_bytes(data, root_key=root)


def _ask_register(result: VerificationResult, base_url: str, text: str) -> VerificationResult:
    """The offline result completed with the register's answer, or `status_unknown` (never
    a guess) when the service cannot be asked."""
    url = base_url.rstrip("/") + "/api/v1/verify"
    request = urllib.request.Request(  # noqa: S310  # the URL the user gave, http(s) only
        url,
        data=json.dumps({"token": text}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    now = datetime.now(UTC)
    try:
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise OSError(f"not an http(s) URL: {base_url}")
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            answer = json.loads(response.read(MAX_TRUST_LIST))
        steps = {s["code"]: s for s in answer["steps"]}
        present, status, logged = (
            StepResult(
                step,
                Outcome(steps[step.value]["outcome"]),
                steps[step.value].get("reason", step.value),
                steps[step.value].get("detail", ""),
            )
            for step in REGISTER_STEPS
        )
        verdict = Verdict(answer["verdict"])
        checked = datetime.fromisoformat(answer["status_checked_at"] or now.isoformat())
        state = answer.get("status")
        if state is not None and not isinstance(state, dict):
            raise TypeError("the register's status is not an object")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        present = StepResult(
            Step.PRESENT_IN_REGISTER, Outcome.SKIPPED, Step.PRESENT_IN_REGISTER, "unavailable"
        )
        status = StepResult(
            Step.CURRENT_STATUS, Outcome.FAILED, "status_unavailable", f"{url}: {exc}"
        )
        return result.with_register(present, status, Verdict.STATUS_UNKNOWN, now)
    return result.with_register(present, status, verdict, checked, state, logged)


def _print(result: VerificationResult, trust: TrustList | None, lang: Lang) -> None:
    """The result as the public page says it: the verdict, the diploma's fields, what the
    register says of it now, then each step (those not run folded into one line)."""
    body = result.to_dict(lang)
    mark = "✔" if result.ok else "✘"
    print(f"{mark} {body['summary']}")
    for label, value in field_lines(result, trust, lang):
        print(f"  {label}: {value}")
    for line in status_lines(result, lang):
        print(f"  {line}")
    skipped = 0
    for step, shown in zip(result.steps, body["steps"], strict=True):
        if step.outcome == Outcome.SKIPPED and not step.detail:
            skipped += 1  # not run, because an earlier step failed
            continue
        symbol = {Outcome.PASSED: "✔", Outcome.FAILED: "✘", Outcome.SKIPPED: "·"}[step.outcome]
        print(f"  {symbol} {shown['message']} [{step.step.value}]")
        if step.outcome == Outcome.FAILED:
            print(f"    {step.code}: {step.detail}")
    if skipped:
        print(f"  · {message('steps_not_run', lang).format(count=skipped)}")


def _verify(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    if (args.token is None) == (args.image is None):
        raise UsageError("give either TOKEN_OR_URL or --image FILE")
    if args.image is not None:
        from verifier.image import read_qr

        text = read_qr(args.image)
    else:
        text = args.token
    trust = _trust_list(args, text)
    result = check_token(text, trust)
    if args.online and result.ok:
        result = _ask_register(result, args.online, text)
    if args.json:
        print(json.dumps(result.to_dict(args.lang), ensure_ascii=False, indent=2))
    else:
        _print(result, trust, args.lang)
    if result.verdict == Verdict.STATUS_UNKNOWN:
        return 2  # asked for the status and could not get it: not an answer
    return 0 if result.ok else 1


def _pdf(argv: Sequence[str]) -> int:
    args = _pdf_parser().parse_args(argv)
    try:
        from verifier.pdfcheck import check_pdf, load_roots
    except ImportError:  # pragma: no cover - depends on how vanbang was installed
        raise UsageError("checking PDFs needs the pdf extra: pip install 'vanbang[pdf]'") from None
    trust = _trust_list(args, "")
    roots = []
    for path in args.ca_root:
        try:
            roots.extend(load_roots(path.read_bytes()))
        except (OSError, ValueError) as exc:
            raise UsageError(f"{path}: not a readable certificate ({exc})") from None
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc}") from None
    result = check_pdf(data, trust, roots).result
    if args.json:
        print(json.dumps(result.to_dict(args.lang), ensure_ascii=False, indent=2))
    else:
        _print(result, trust, args.lang)
    return 0 if result.ok else 1


def _fetch(argv: Sequence[str]) -> int:
    args = _fetch_parser().parse_args(argv)
    data = _download(args.url)
    if args.root_key is not None:
        trust = TrustList.from_bytes(data, root_key=_root_key(args.root_key))
        print(
            f"trust list checked: {len(trust.issuers)} issuers, {len(trust.keys)} keys",
            file=sys.stderr,
        )
    args.output.write_bytes(data)
    print(f"saved {len(data)} bytes to {args.output}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:2] == ["trust-list", "fetch"]:
            return _fetch(argv[2:])
        if argv[:1] == ["log"]:
            from verifier.logcheck import main as log_main

            return log_main(argv[1:])
        if argv[:1] == ["pdf"]:
            return _pdf(argv[1:])
        if argv[:1] == ["bundle"]:
            from verifier.bundlecheck import main as bundle_main

            return bundle_main(argv[1:])
        if argv[:1] == ["proof"]:
            from verifier.proofcheck import main as proof_main

            return proof_main(argv[1:])
        return _verify(argv)
    except UsageError as exc:
        print(f"vanbang-verify: {exc}", file=sys.stderr)
        return 2
    except VerificationError as exc:  # the trust list or the image, not the diploma
        print(f"vanbang-verify: {exc.code}: {exc}", file=sys.stderr)
        return 2
