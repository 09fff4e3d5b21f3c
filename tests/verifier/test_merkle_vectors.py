"""Every RFC 6962 / RFC 9162 proof vector of transparency-dev/merkle (../shared/vectors): the
happy paths verify, every mutation (a changed index or size, a bit flipped, a hash added or
dropped, empty or 12-byte "hashes", sizes near 2^64) is refused with a ProofError.

One vector is accepted upstream and refused here on purpose (STRICTER): vanbang requires
every root to be a 32-byte hash even where nothing is computed from it."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.external_vectors import files
from verifier import merkle
from verifier.errors import ProofError

FOLDER = "transparency-dev-merkle/testdata"
STRICTER = {
    "additional/sizes-are-equal-one-and-proof-is-empty.json": (
        "two equal 12-byte 'roots' of a tree of one: transparency-dev compares them as they "
        "are, vanbang refuses a root that is not a 32-byte hash"
    ),
}


def _b64(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


@pytest.mark.parametrize("path", files(f"{FOLDER}/inclusion"))
def test_inclusion_vector(path: Path) -> None:
    v = json.loads(path.read_text("utf-8"))
    proof = [_b64(h) for h in v["proof"] or []]
    args = (_b64(v["leafHash"]), v["leafIdx"], v["treeSize"], proof, _b64(v["root"]))
    if v["wantErr"]:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(*args)
    else:
        merkle.verify_inclusion(*args)


@pytest.mark.parametrize("path", files(f"{FOLDER}/consistency"))
def test_consistency_vector(path: Path) -> None:
    v = json.loads(path.read_text("utf-8"))
    proof = [_b64(h) for h in v["proof"] or []]
    args = (v["size1"], v["size2"], _b64(v["root1"]), _b64(v["root2"]), proof)
    stricter = path.relative_to(path.parents[1]).as_posix() in STRICTER
    if stricter:
        assert not v["wantErr"], "upstream refuses it now: drop it from STRICTER"
    if v["wantErr"] or stricter:
        with pytest.raises(ProofError):
            merkle.verify_consistency(*args)
    else:
        merkle.verify_consistency(*args)


def test_hashes_of_another_length_are_refused() -> None:
    """The independent check's findings: a tree grown from size 0 with a 12-byte "root", and
    inclusion with a leaf, root or proof element that is not 32 bytes."""
    twelve = b"don't care 2"
    assert len(twelve) == 12
    with pytest.raises(ProofError, match="32-byte"):
        merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, twelve, [])
    with pytest.raises(ProofError, match="32-byte"):
        merkle.verify_consistency(0, 0, twelve, twelve, [])
    with pytest.raises(ProofError, match="empty tree"):
        merkle.verify_consistency(0, 0, bytes(32), bytes(32), [])
    merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, bytes(32), [])
    leaf = merkle.leaf_hash(b"a")
    other = merkle.leaf_hash(b"b")
    root = merkle.node_hash(leaf, other)
    merkle.verify_inclusion(leaf, 0, 2, [other], root)
    for bad in (b"", twelve, root + b"\x00"):
        with pytest.raises(ProofError, match="32-byte"):
            merkle.verify_inclusion(bad, 0, 1, [], bad)
        with pytest.raises(ProofError, match="32-byte"):
            merkle.verify_inclusion(leaf, 0, 2, [bad], root)
        with pytest.raises(ProofError, match="32-byte"):
            merkle.verify_inclusion(leaf, 0, 1, [], bad)
