"""`vanbang-verify bundle`: checks a diploma's archived bundle offline, for good.

    vanbang-verify bundle bang-chung.json --key log.key
        [--root-key root.pub.pem --trust-list trust-list.cose]

A bundle (GET /api/v1/diplomas/{id}/bundle, or the diploma's page) holds the signed record,
its leaf in the issuance log, the leaf's inclusion proof and the signed checkpoint the proof
leads to. This checks that the checkpoint is signed by the log's key, that the leaf names
the very record (its SHA-256), and that the proof puts the leaf in the checkpoint's tree;
with a root key and a trust list, that an issuer's trusted key signed the record too. Exit
0 when all holds, 1 when something does not (said), 2 on a usage or reading error.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import cbor2

from verifier.errors import ProofError, VerificationError
from verifier.keys import load_public_pem
from verifier.merkle import leaf_hash, verify_inclusion
from verifier.note import verify_checkpoint
from verifier.record import verify_record
from verifier.trust_list import TrustList

MAX_BUNDLE = 1 << 20


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanbang-verify bundle",
        description="Check a diploma's archived bundle: its record is in the issuance log.",
    )
    parser.add_argument("bundle", type=Path, help="the bundle (JSON) downloaded from the service")
    parser.add_argument(
        "--key", required=True, help="the log's verifier key, or a file that holds it"
    )
    parser.add_argument("--root-key", type=Path, help="the root public key (PEM), to check")
    parser.add_argument("--trust-list", type=Path, help="a saved trust list, to check the record")
    return parser


def check_bundle(bundle: dict[str, object], key: str) -> tuple[int, int, str]:
    """(leaf index, tree size, log origin); raises VerificationError when it does not hold,
    ValueError or KeyError when it is not a bundle."""
    record = base64.b64decode(str(bundle["record"]), validate=True)
    leaf = bundle["leaf"]
    proof = bundle["inclusion_proof"]
    if not isinstance(leaf, dict) or not isinstance(proof, dict):
        raise ValueError("not a bundle: leaf and inclusion_proof are objects")
    data = base64.b64decode(str(leaf["data"]), validate=True)
    index, size = int(leaf["index"]), int(proof["tree_size"])
    checkpoint = verify_checkpoint(str(bundle["checkpoint"]), key)
    if checkpoint.size != size:
        raise ProofError(f"the proof is for {size} leaves, the checkpoint of {checkpoint.size}")
    fields = cbor2.loads(data)
    if not isinstance(fields, dict) or fields.get("hash") != hashlib.sha256(record).digest():
        raise ProofError("the leaf does not name this record (its SHA-256 differs)")
    path = [base64.b64decode(str(h), validate=True) for h in proof["proof"]]
    verify_inclusion(leaf_hash(data), index, size, path, checkpoint.root)
    return index, size, checkpoint.origin


def saved_trust(root_key: Path | None, trust_list: Path | None) -> TrustList | None:
    """The saved trust list checked against the root key, when both are given."""
    if root_key is None or trust_list is None:
        return None
    root = load_public_pem(root_key.read_bytes())
    return TrustList.from_bytes(trust_list.read_bytes(), root_key=root)


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    if (args.root_key is None) != (args.trust_list is None):
        print("vanbang-verify: give --root-key and --trust-list together", file=sys.stderr)
        return 2
    key = args.key
    try:
        if "+" not in key:
            key = Path(key).read_text(encoding="utf-8").strip()
        raw = args.bundle.read_bytes()
        if len(raw) > MAX_BUNDLE:
            raise ValueError(f"larger than {MAX_BUNDLE} bytes")
        bundle = json.loads(raw)
        if not isinstance(bundle, dict):
            raise ValueError("not a bundle: a JSON object is expected")
        trust = saved_trust(args.root_key, args.trust_list)
    except (OSError, ValueError, VerificationError) as exc:
        print(f"vanbang-verify: cannot use {exc}", file=sys.stderr)
        return 2
    try:
        index, size, origin = check_bundle(bundle, key)
        if trust is not None:
            verify_record(base64.b64decode(str(bundle["record"])), trust)
    except (ValueError, KeyError, TypeError, binascii.Error, cbor2.CBORDecodeError) as exc:
        print(f"vanbang-verify: not a bundle: {exc}", file=sys.stderr)
        return 2
    except VerificationError as exc:
        print(f"NOT INCLUDED: {exc.code}: {exc}")
        return 1
    signed = "; its signature checked against the trust list" if trust is not None else ""
    print(f"included: the record is leaf {index} of {origin} at {size} leaves{signed}")
    return 0
