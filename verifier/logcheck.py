"""`vanbang-verify log`: proves that the issuance log only grew since a checkpoint you kept.

    vanbang-verify log --checkpoint saved.txt --url https://vanbang.example --key KEY [--update]
        [--tiles] [--leaf-index N ...]

It checks the saved and the current checkpoint against the log's verifier key (the text of
`/log/key`, or a file holding it), then the consistency proof between them. With a witness
policy (`--witness VKEY`, repeated, and `--witnesses-needed N`, all of them by default) the
current checkpoint must also carry valid cosignatures (c2sp.org/tlog-cosignature) by at least
N of those witnesses, or it is refused (exit 1) and never saved. A smaller tree
(a rollback) or a proof that fails (a fork: history rewritten) exits 1; with `--update` a
good current checkpoint replaces the saved one (a note with anything else in it, a line after
the signatures say, is refused, never saved). It speaks Vietnamese unless `--lang en`.

With `--tiles` the consistency proof is computed from the log's tiles (C2SP tlog-tiles,
verifier/tiles.py) rather than asked of /log/proof/consistency; `--leaf-index N` proves from
the tiles alone that leaf N, its entry read from the entry bundle, is in the current
checkpoint's tree (no saved checkpoint is needed for that).
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import cbor2

from verifier.cosignature import Cosigned, WitnessPolicy
from verifier.errors import NoteError, VerificationError, WitnessPolicyError
from verifier.merkle import leaf_hash, verify_consistency
from verifier.note import Checkpoint, note_text, verify_checkpoint
from verifier.tiles import TileReader, Unreachable, http_fetcher, prove_consistency, prove_inclusion

MAX_ANSWER = 1 << 20


class _Unreachable(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanbang-verify log",
        description="Prove that the issuance log only grew since a saved checkpoint.",
    )
    parser.add_argument(
        "--checkpoint", type=Path, help="the checkpoint you kept (needed but for --leaf-index)"
    )
    parser.add_argument("--url", required=True, help="the service's base URL")
    parser.add_argument(
        "--key", required=True, help="the log's verifier key, or a file that holds it"
    )
    parser.add_argument(
        "--update", action="store_true", help="save the current checkpoint when it is good"
    )
    parser.add_argument(
        "--lang", choices=["vi", "en"], default="vi", help="language of messages (default vi)"
    )
    _tile_options(parser)
    _witness_arguments(parser)
    return parser


def _tile_options(parser: argparse.ArgumentParser) -> None:
    tiles = parser.add_argument_group("proofs from tiles (C2SP tlog-tiles)")
    tiles.add_argument(
        "--tiles",
        action="store_true",
        help="compute the consistency proof from the log's tiles, not /log/proof/consistency",
    )
    tiles.add_argument(
        "--leaf-index",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="prove from the tiles that leaf N is in the current checkpoint; repeatable",
    )


def _witness_arguments(parser: argparse.ArgumentParser) -> None:
    """The witness policy (its own group, so that other options merge apart from it)."""
    group = parser.add_argument_group("witness policy")
    group.add_argument(
        "--witness",
        action="append",
        default=[],
        metavar="VKEY",
        help="a witness's verifier key (or a file holding it) whose cosignature counts; repeatable",
    )
    group.add_argument(
        "--witnesses-needed",
        type=int,
        metavar="N",
        help="how many of the witnesses given must have cosigned (default: all of them)",
    )


def _witness_policy(args: argparse.Namespace) -> WitnessPolicy | None:
    if not args.witness:
        if args.witnesses_needed:
            raise ValueError("--witnesses-needed needs --witness")
        return None
    vkeys = [_key_text(w) for w in args.witness]
    needed = len(vkeys) if args.witnesses_needed is None else args.witnesses_needed
    return WitnessPolicy.parse(vkeys, needed)


def _key_text(value: str) -> str:
    """A key given as itself, or the path of a file that holds it."""
    if "+" in value:
        return value
    return Path(value).read_text(encoding="utf-8").strip()


# What the check says (Vietnamese, English).
_SAID: dict[str, tuple[str, str]] = {
    "consistent": (
        "✔ Nhất quán: nhật ký {origin} chỉ tăng thêm, từ {old} lên {new} mục",
        "consistent: {origin} grew from {old} to {new} leaves",
    ),
    "inconsistent": (
        "✘ KHÔNG NHẤT QUÁN: nhật ký đã bị quay lui hoặc viết lại khác đi ({code}: {detail})",
        "NOT CONSISTENT: {code}: {detail}",
    ),
    "included": (
        "✔ Mục {index} có trong nhật ký {origin} ({size} mục): {entry}; băm lá {hash}",
        "included: leaf {index} is in {origin} at {size} leaves: {entry}; leaf hash {hash}",
    ),
    "not_included": (
        "✘ KHÔNG CHỨNG MINH ĐƯỢC mục {index} có trong nhật ký ({code}: {detail})",
        "NOT INCLUDED: leaf {index} ({code}: {detail})",
    ),
    "bad_checkpoint": (
        "✘ Điểm kiểm tra hiện tại của nhật ký không hợp lệ ({code}: {detail})",
        "the log's current checkpoint does not verify ({code}: {detail})",
    ),
    "unwitnessed": (
        "✘ KHÔNG ĐỦ ĐỒNG KÝ của nhân chứng: điểm kiểm hiện tại bị từ chối ({code}: {detail})",
        "NOT WITNESSED: the current checkpoint is refused ({code}: {detail})",
    ),
    "witnessed": (
        "✔ Được {count} nhân chứng đồng ký: {names}",
        "cosigned by {count} witness(es): {names}",
    ),
    "saved": (
        "Đã lưu điểm kiểm tra {new} mục vào {path}",
        "saved the checkpoint of {new} leaves to {path}",
    ),
}


def _say(what: str, lang: str, **values: object) -> str:
    return _SAID[what][0 if lang == "vi" else 1].format(**values)


def _get(url: str) -> bytes:
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise _Unreachable(f"not an http(s) URL: {url}")
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310  # http(s) only
            data: bytes = response.read(MAX_ANSWER)
    except OSError as exc:
        raise _Unreachable(f"cannot fetch {url}: {exc}") from None
    return data


def current_checkpoint(base_url: str, key: str, origin: str | None) -> tuple[Checkpoint, str]:
    """The log's current checkpoint, verified, and its text. Read as strictly as a saved
    one: what `--update` saves is only ever a note that verified whole (no line after the
    signatures that is not a signature line)."""
    text = note_text(_get(f"{base_url.rstrip('/')}/log/checkpoint"))
    return verify_checkpoint(text, key, origin), text


def witnessed(text: str, policy: WitnessPolicy | None) -> list[Cosigned]:
    """The checkpoint's cosignatures under the policy; raises WitnessPolicyError when too
    few of its witnesses cosigned, or one of them cosigned falsely."""
    if policy is None:
        return []
    try:
        return policy.check(text)
    except NoteError as exc:  # a forged or malformed cosignature by a trusted witness
        raise WitnessPolicyError(str(exc)) from None


def check_log(
    old_text: str,
    base_url: str,
    key: str,
    policy: WitnessPolicy | None = None,
    *,
    tiles: bool = False,
) -> tuple[Checkpoint, Checkpoint, str, list[Cosigned]]:
    """(old, current, current's text, its cosignatures under the policy); raises
    VerificationError on a rollback, a fork, or too few witness cosignatures. With `tiles`,
    the consistency proof is computed from the log's tiles."""
    old = verify_checkpoint(old_text, key)
    base = base_url.rstrip("/")
    new, text = current_checkpoint(base, key, old.origin)
    if new.size < old.size:
        raise VerificationError(f"rollback: the log now has {new.size} leaves, once {old.size}")
    if tiles:
        reader = TileReader(http_fetcher(base), new.size)
        prove_consistency(reader, old.size, old.root, new.root)
    else:
        answer = json.loads(_get(f"{base}/log/proof/consistency?from={old.size}&to={new.size}"))
        proof = [base64.b64decode(h) for h in answer["proof"]]
        verify_consistency(old.size, new.size, old.root, new.root, proof)
    return old, new, text, witnessed(text, policy)


def _entry(entry: bytes) -> str:
    """A leaf's entry as a line: its event, issuer and time when it is a vanbang leaf."""
    try:
        fields = cbor2.loads(entry)
        return f"{fields['type']} {fields['issuer']} {fields['time']}"
    except (ValueError, KeyError, TypeError, cbor2.CBORDecodeError):
        return f"{len(entry)} bytes"


def prove_leaves(
    reader: TileReader, checkpoint: Checkpoint, indices: Sequence[int], lang: str
) -> bool:
    """Each leaf's inclusion in the checkpoint, proved from the tiles and said; whether all
    are in it."""
    ok = True
    for index in indices:
        try:
            entry = prove_inclusion(reader, index, checkpoint.root)
        except VerificationError as exc:
            print(_say("not_included", lang, index=index, code=exc.code, detail=exc))
            ok = False
            continue
        shown = base64.b64encode(leaf_hash(entry)).decode()
        print(
            _say(
                "included",
                lang,
                index=index,
                origin=checkpoint.origin,
                size=checkpoint.size,
                entry=_entry(entry),
                hash=shown,
            )
        )
    return ok


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        key = _key_text(args.key)
        policy = _witness_policy(args)
    except OSError as exc:
        print(f"vanbang-verify: cannot read a key: {exc}", file=sys.stderr)
        return 2
    except (ValueError, VerificationError) as exc:
        print(f"vanbang-verify: {exc}", file=sys.stderr)
        return 2
    if args.checkpoint is None and not args.leaf_index:
        print("vanbang-verify: give --checkpoint (or --leaf-index N)", file=sys.stderr)
        return 2
    try:
        if args.checkpoint is None:
            try:
                new, text = current_checkpoint(args.url, key, None)
                witnessed(text, policy)  # the policy holds for a leaf's checkpoint too
            except WitnessPolicyError as exc:
                print(_say("unwitnessed", args.lang, code=exc.code, detail=exc))
                return 1
            except VerificationError as exc:
                print(_say("bad_checkpoint", args.lang, code=exc.code, detail=exc))
                return 1
            return _leaves(args, new)
        old_text = args.checkpoint.read_text(encoding="utf-8")
        old, new, text, cosigned = check_log(old_text, args.url, key, policy, tiles=args.tiles)
    except (OSError, _Unreachable, ValueError, KeyError) as exc:
        print(f"vanbang-verify: {exc}", file=sys.stderr)
        return 2
    except WitnessPolicyError as exc:
        print(_say("unwitnessed", args.lang, code=exc.code, detail=exc))
        return 1
    except VerificationError as exc:
        print(_say("inconsistent", args.lang, code=exc.code, detail=exc))
        return 1
    print(_say("consistent", args.lang, origin=old.origin, old=old.size, new=new.size))
    if policy is not None:
        names = ", ".join(c.name for c in cosigned) or "-"
        print(_say("witnessed", args.lang, count=len(cosigned), names=names))
    if args.update and new.size != old.size:
        args.checkpoint.write_text(text, encoding="utf-8")
        print(_say("saved", args.lang, new=new.size, path=args.checkpoint))
    return _leaves(args, new)


def _leaves(args: argparse.Namespace, checkpoint: Checkpoint) -> int:
    """--leaf-index: 0 when every leaf asked is proved in the checkpoint, 1 when one is not,
    2 when the tiles cannot be read."""
    if not args.leaf_index:
        return 0
    reader = TileReader(http_fetcher(args.url), checkpoint.size)
    try:
        return 0 if prove_leaves(reader, checkpoint, args.leaf_index, args.lang) else 1
    except Unreachable as exc:
        print(f"vanbang-verify: {exc}", file=sys.stderr)
        return 2
