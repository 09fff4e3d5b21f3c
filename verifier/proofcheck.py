"""`vanbang-verify proof`: checks an offline proof (c2sp.org/tlog-proof@v1) of a leaf of the
issuance log, without asking anyone.

    vanbang-verify proof van-bang.tlog-proof --key log.key
        [--witness VKEY ... --witnesses-needed N]
        [--record RECORD.cose [--root-key root.pub.pem --trust-list trust-list.cose]]

It checks that the checkpoint is signed by the log's key, that the witnesses of the policy
cosigned it, and that the inclusion proof puts the proof's entry (the leaf: an event, its
issuer, the diploma's id, the SHA-256 of its signed record or statement, its time) at its
index of the checkpoint's tree. With `--record`, that the leaf names that very file (its
SHA-256); with a root key and a saved trust list too, that an issuer's trusted key signed it.
Exit 0 when all holds, 1 when something does not (said), 2 on a usage or reading error.
Vietnamese by default, `--lang en` for English.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cbor2

from verifier.bundlecheck import saved_trust
from verifier.errors import (
    MalformedError,
    ProofError,
    VerificationError,
    WitnessPolicyError,
)
from verifier.events import verify_event
from verifier.logcheck import _key_text, _witness_arguments, _witness_policy
from verifier.merkle import encode_leaf
from verifier.note import note_text
from verifier.proof import MAX_PROOF, Proved, verify_proof
from verifier.record import verify_record
from verifier.trust_list import TrustList


@dataclass(frozen=True)
class Leaf:
    """A vanbang leaf's entry (docs/audit.md "What is logged")."""

    type: str
    issuer: str
    diploma: uuid.UUID | None
    hash: bytes
    time: int


def decode_leaf(entry: bytes) -> Leaf:
    """The entry as vanbang writes it, and only so (its canonical CBOR, re-encoded equal)."""
    try:
        fields = cbor2.loads(entry)
        diploma = fields.get("diploma")
        leaf = Leaf(fields["type"], fields["issuer"], None, fields["hash"], fields["time"])
        same = encode_leaf(leaf.type, leaf.issuer, diploma, leaf.hash, leaf.time) == entry
    except (ValueError, KeyError, TypeError, AttributeError, cbor2.CBORDecodeError):
        same = False
    if not same:
        raise MalformedError("the entry is not a vanbang leaf")
    if diploma is None:
        return leaf
    return Leaf(leaf.type, leaf.issuer, uuid.UUID(bytes=diploma), leaf.hash, leaf.time)


_SAID: dict[str, tuple[str, str]] = {
    "proved": (
        "✔ Có trong nhật ký: mục {index} của nhật ký {origin} (điểm kiểm tra {size} mục)",
        "included: leaf {index} of {origin} (checkpoint of {size} leaves)",
    ),
    "leaf": (
        "  Sự kiện: {type} · đơn vị: {issuer} · văn bằng: {diploma} · lúc: {time}\n"
        "  SHA-256 của bản ghi đã ký: {hash}",
        "  event: {type} · issuer: {issuer} · diploma: {diploma} · at: {time}\n"
        "  SHA-256 of the signed record: {hash}",
    ),
    "witnessed": (
        "✔ Được {count} nhân chứng đồng ký: {names}",
        "cosigned by {count} witness(es): {names}",
    ),
    "record": (
        "✔ Tệp {path} đúng là bản ghi mà mục này nêu (SHA-256 trùng khớp){signed}",
        "the file {path} is the record this leaf names (its SHA-256){signed}",
    ),
    "signed": (
        "; chữ ký của đơn vị được kiểm tra theo danh sách tin cậy",
        "; its issuer's signature checked against the trust list",
    ),
    "not_proved": (
        "✘ KHÔNG CHỨNG MINH ĐƯỢC: bằng chứng không hợp lệ ({code}: {detail})",
        "NOT PROVED: the proof does not hold ({code}: {detail})",
    ),
    "unwitnessed": (
        "✘ KHÔNG ĐỦ ĐỒNG KÝ của nhân chứng: bằng chứng bị từ chối ({code}: {detail})",
        "NOT WITNESSED: the proof is refused ({code}: {detail})",
    ),
    "not_the_record": (
        "✘ Tệp {path} KHÔNG phải bản ghi mà mục này nêu ({code}: {detail})",
        "the file {path} is NOT the record this leaf names ({code}: {detail})",
    ),
}


def _say(what: str, lang: str, **values: object) -> str:
    return _SAID[what][0 if lang == "vi" else 1].format(**values)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanbang-verify proof",
        description="Check an offline proof (c2sp.org/tlog-proof@v1) that a diploma's record "
        "or event is in the issuance log. Exit codes: 0 proved, 1 not, 2 usage errors.",
    )
    parser.add_argument("proof", type=Path, help="the proof (.tlog-proof)")
    parser.add_argument(
        "--key", required=True, help="the log's verifier key, or a file that holds it"
    )
    parser.add_argument(
        "--record", type=Path, help="the signed record or statement (COSE_Sign1) the leaf names"
    )
    parser.add_argument("--root-key", type=Path, help="the root public key (PEM), with --record")
    parser.add_argument("--trust-list", type=Path, help="a saved trust list, with --record")
    parser.add_argument(
        "--lang", choices=["vi", "en"], default="vi", help="language of messages (default vi)"
    )
    _witness_arguments(parser)
    return parser


def check_record(leaf: Leaf, record: bytes, trust: TrustList | None) -> None:
    """The record is the one the leaf names; with a trust list, signed by a trusted key of
    its issuer (a record for an issue, a signed statement for any other event)."""
    if hashlib.sha256(record).digest() != leaf.hash:
        raise ProofError("the leaf names another record (its SHA-256 differs)")
    if trust is not None:
        (verify_record if leaf.type == "issue" else verify_event)(record, trust)


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    lang = args.lang
    if args.record is None and (args.root_key is not None or args.trust_list is not None):
        print("vanbang-verify: --root-key and --trust-list check a --record", file=sys.stderr)
        return 2
    if (args.root_key is None) != (args.trust_list is None):
        print("vanbang-verify: give --root-key and --trust-list together", file=sys.stderr)
        return 2
    try:
        key = _key_text(args.key)
        policy = _witness_policy(args)
        raw = args.proof.read_bytes()
        if len(raw) > MAX_PROOF:
            raise ValueError(f"{args.proof} is larger than {MAX_PROOF} bytes")
        record = None if args.record is None else args.record.read_bytes()
        trust = saved_trust(args.root_key, args.trust_list)
    except (OSError, ValueError, VerificationError) as exc:
        print(f"vanbang-verify: cannot use {exc}", file=sys.stderr)
        return 2
    try:
        proved = verify_proof(note_text(raw), key, policy=policy)
        leaf = decode_leaf(proved.entry)
    except WitnessPolicyError as exc:
        print(_say("unwitnessed", lang, code=exc.code, detail=exc))
        return 1
    except VerificationError as exc:
        print(_say("not_proved", lang, code=exc.code, detail=exc))
        return 1
    _show(proved, leaf, lang, witnessed=policy is not None)
    if record is not None:
        try:
            check_record(leaf, record, trust)
        except VerificationError as exc:
            print(_say("not_the_record", lang, path=args.record, code=exc.code, detail=exc))
            return 1
        signed = _say("signed", lang) if trust is not None else ""
        print(_say("record", lang, path=args.record, signed=signed))
    return 0


def _show(proved: Proved, leaf: Leaf, lang: str, *, witnessed: bool) -> None:
    checkpoint = proved.checkpoint
    print(_say("proved", lang, index=proved.index, origin=checkpoint.origin, size=checkpoint.size))
    print(
        _say(
            "leaf",
            lang,
            type=leaf.type,
            issuer=leaf.issuer,
            diploma=leaf.diploma or "-",
            time=datetime.fromtimestamp(leaf.time, UTC).isoformat(),
            hash=leaf.hash.hex(),
        )
    )
    if witnessed:
        names = ", ".join(c.name for c in proved.cosigned) or "-"
        print(_say("witnessed", lang, count=len(proved.cosigned), names=names))
