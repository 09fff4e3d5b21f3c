"""The log's Merkle tree against RFC 6962 itself: a reference written here from the RFC's
recursive definitions (section 2.1), the certificate-transparency known answers, and every
tree size up to 64 with every index."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

from verifier import merkle
from verifier.errors import NoteError, ProofError
from verifier.note import (
    Checkpoint,
    open_note,
    parse_checkpoint,
    parse_verifier_key,
    sign_note,
    verifier_key,
    verify_checkpoint,
)

T = TypeVar("T")


# RFC 6962, 2.1: the reference, on the leaves' data, with no stored subtrees.
def ref_mth(d: list[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = 1
    while k * 2 < len(d):
        k *= 2
    return hashlib.sha256(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:])).digest()


def ref_path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = 1
    while k * 2 < len(d):
        k *= 2
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [ref_mth(d)]
    k = 1
    while k * 2 < len(d):
        k *= 2
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


def ref_proof(m: int, d: list[bytes]) -> list[bytes]:
    return ref_subproof(m, d, True) if 0 < m < len(d) else []


CT_LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243",
             "5051525354555657", "606162636465666768696a6b6c6d6e6f")]  # fmt: skip
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_CONSISTENCY = {
    (1, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 5): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
}


def _stored(data: list[bytes], seed: int = 1) -> dict[merkle.Node, bytes]:
    """The subtrees a log stores after appending `data` in batches of random sizes."""
    rng = random.Random(seed)
    stored: dict[merkle.Node, bytes] = {}
    size = 0
    while size < len(data):
        batch = data[size : size + rng.randint(1, 9)]
        known = {node: stored[node] for node in merkle.frontier(size)}
        stored.update(merkle.append(size, known, [merkle.leaf_hash(d) for d in batch]))
        size += len(batch)
    return stored


def _computed(computation: Callable[[Any], T], stored: dict[merkle.Node, bytes]) -> T:
    wanted = merkle.plan(computation)
    return merkle.build(computation, {n: stored[n] for n in wanted})


def test_known_answers() -> None:
    stored = _stored(CT_LEAVES)
    for size, expected in enumerate(CT_ROOTS):
        assert _computed(merkle.root(size), stored).hex() == expected
        assert ref_mth(CT_LEAVES[:size]).hex() == expected
    assert merkle.EMPTY_ROOT.hex().startswith("e3b0c442")
    for (old, new), proof in CT_CONSISTENCY.items():
        computed = _computed(merkle.consistency(old, new), stored)
        assert [h.hex() for h in computed] == proof
        merkle.verify_consistency(
            old, new, bytes.fromhex(CT_ROOTS[old]), bytes.fromhex(CT_ROOTS[new]),
            [bytes.fromhex(h) for h in proof],
        )  # fmt: skip


def test_every_size_up_to_64_and_every_index() -> None:
    data = [f"leaf {i}".encode() for i in range(64)]
    stored = _stored(data)
    for size in range(1, 65):
        root = ref_mth(data[:size])
        assert _computed(merkle.root(size), stored) == root
        for index in range(size):
            computation = merkle.inclusion(index, size)
            # O(log n) stored subtrees: at most two per level.
            assert len(merkle.plan(computation)) <= 2 * size.bit_length()
            proof = _computed(computation, stored)
            assert proof == ref_path(index, data[:size])
            leaf = merkle.leaf_hash(data[index])
            merkle.verify_inclusion(leaf, index, size, proof, root)
            with pytest.raises(ProofError):
                merkle.verify_inclusion(merkle.leaf_hash(b"other"), index, size, proof, root)
            if proof:
                bent = [bytes(32), *proof[1:]]
                with pytest.raises(ProofError):
                    merkle.verify_inclusion(leaf, index, size, bent, root)
            if size > 1:
                with pytest.raises(ProofError):
                    merkle.verify_inclusion(leaf, (index + 1) % size, size, proof, root)


def test_consistency_between_every_pair_of_sizes_up_to_64() -> None:
    data = [f"leaf {i}".encode() for i in range(64)]
    stored = _stored(data, seed=2)
    roots = [ref_mth(data[:n]) for n in range(65)]
    for new in range(65):
        for old in range(new + 1):
            proof = _computed(merkle.consistency(old, new), stored)
            assert proof == ref_proof(old, data[:new])
            merkle.verify_consistency(old, new, roots[old], roots[new], proof)
            if 0 < old < new:
                # A rewritten old tree (another root of that size) is caught.
                with pytest.raises(ProofError):
                    merkle.verify_consistency(
                        old, new, ref_mth([b"x", *data[1:old]]), roots[new], proof
                    )
                with pytest.raises(ProofError):
                    merkle.verify_consistency(old, new, roots[old], roots[new - 1], proof)


def test_leaf_data_is_canonical_cbor() -> None:
    from verifier._cbor import canonical

    for diploma in (None, bytes(range(16))):
        for time in (0, 23, 24, 255, 256, 65_535, 65_536, 1_763_800_000, 2**40):
            record_hash = hashlib.sha256(str(time).encode()).digest()
            fields: dict[str, object] = {
                "type": "issue",
                "issuer": "SGDDT-HN",
                "hash": record_hash,
                "time": time,
            }
            if diploma is not None:
                fields["diploma"] = diploma
            encoded = merkle.encode_leaf("issue", "SGDDT-HN", diploma, record_hash, time)
            assert encoded == canonical(fields)


def test_checkpoints_are_signed_notes() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    origin = "vanbang.example/log"
    checkpoint = Checkpoint(origin, 42, bytes(range(32)))
    note = sign_note(checkpoint.body(), origin, key)
    lines = note.split("\n")
    assert lines[:3] == [origin, "42", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="]
    assert lines[3] == ""
    assert lines[4].startswith(f"\u2014 {origin} ")
    verifier = verifier_key(origin, key.public_key())
    assert parse_verifier_key(verifier)[0] == origin
    assert verify_checkpoint(note, verifier, origin) == checkpoint
    # A cosignature by someone else is ignored; a changed body is refused.
    other = Ed25519PrivateKey.generate()
    cosigned = note + sign_note(checkpoint.body(), "witness", other).split("\n\n")[1]
    assert verify_checkpoint(cosigned, verifier) == checkpoint
    with pytest.raises(NoteError):
        verify_checkpoint(note.replace("\n42\n", "\n43\n"), verifier)
    with pytest.raises(NoteError):
        verify_checkpoint(note, verifier, "another/log")
    with pytest.raises(NoteError):
        open_note(note, origin, other.public_key())
    with pytest.raises(NoteError):
        parse_checkpoint("origin\n007\nAAAA\n")
