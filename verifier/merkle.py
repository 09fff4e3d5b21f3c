"""The Merkle tree of the issuance log, as RFC 6962 / RFC 9162 define it: a leaf's hash is
SHA-256(0x00 || data), a node's SHA-256(0x01 || left || right), and the tree over n leaves
splits at the largest power of two below n.

Proofs are built from hashes of *perfect* subtrees: the 2^level leaves starting at
index * 2^level. A log keeps those (a leaf is the subtree at level 0), so any root or proof
needs O(log n) of them. `plan` lists the subtrees a computation needs, so that a server
reads them in one query; `build` then computes it from them. Verifying needs none of this:
`verify_inclusion` and `verify_consistency` follow RFC 9162, 2.1.3.2 and 2.1.4.2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import TypeVar

from verifier._cbor import head
from verifier.errors import ProofError

Node = tuple[int, int]  # (level, index): the leaves index * 2^level .. (index + 1) * 2^level - 1
EMPTY_ROOT = hashlib.sha256(b"").digest()
HASH_SIZE = 32
T = TypeVar("T")


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than size (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


class _Tree:
    """RFC 6962's recursive definitions over stored perfect subtrees, fetched by `get`."""

    def __init__(self, get: Callable[[Node], bytes]) -> None:
        self.get = get

    def mth(self, start: int, end: int) -> bytes:
        size = end - start
        if size == 0:
            return EMPTY_ROOT
        if size & (size - 1) == 0 and start % size == 0:
            level = size.bit_length() - 1
            return self.get((level, start >> level))
        k = _split(size)
        return node_hash(self.mth(start, start + k), self.mth(start + k, end))

    def path(self, index: int, start: int, end: int) -> list[bytes]:
        if end - start == 1:
            return []
        k = _split(end - start)
        if index < start + k:
            return [*self.path(index, start, start + k), self.mth(start + k, end)]
        return [*self.path(index, start + k, end), self.mth(start, start + k)]

    def subproof(self, m: int, start: int, end: int, complete: bool) -> list[bytes]:
        if m == end - start:
            return [] if complete else [self.mth(start, end)]
        k = _split(end - start)
        if m <= k:
            return [*self.subproof(m, start, start + k, complete), self.mth(start + k, end)]
        return [*self.subproof(m - k, start + k, end, False), self.mth(start, start + k)]


def plan(compute: Callable[[_Tree], object]) -> list[Node]:
    """The stored subtrees `compute` reads, in the order it reads them."""
    wanted: dict[Node, None] = {}

    def record(node: Node) -> bytes:
        wanted[node] = None
        return b"\x00" * 32

    compute(_Tree(record))
    return list(wanted)


def build(compute: Callable[[_Tree], T], nodes: Mapping[Node, bytes]) -> T:
    return compute(_Tree(nodes.__getitem__))


# What a log computes; each takes the tree and gives the answer.
def root(size: int) -> Callable[[_Tree], bytes]:
    return lambda tree: tree.mth(0, size)


def inclusion(index: int, size: int) -> Callable[[_Tree], list[bytes]]:
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    return lambda tree: tree.path(index, 0, size)


def consistency(old: int, new: int) -> Callable[[_Tree], list[bytes]]:
    if not 0 <= old <= new:
        raise ValueError(f"no consistency proof from {old} to {new}")
    if old in (0, new):
        return lambda tree: []
    return lambda tree: tree.subproof(old, 0, new, True)


def frontier(size: int) -> list[Node]:
    """The perfect subtrees that make up a tree of `size` leaves, largest first: all an
    append needs to know of the tree so far."""
    nodes = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size & (1 << level):
            nodes.append((level, start >> level))
            start += 1 << level
    return nodes


def append(size: int, known: dict[Node, bytes], hashes: list[bytes]) -> dict[Node, bytes]:
    """The subtrees completed by appending leaf `hashes` to a tree of `size` leaves, given at
    least its frontier in `known` (which gains them too)."""
    new: dict[Node, bytes] = {}
    for offset, leaf in enumerate(hashes):
        index = size + offset
        known[(0, index)] = new[(0, index)] = leaf
        level, position = 0, index
        while position & 1:  # a right child completes its parent
            parent = node_hash(known[(level, position - 1)], known[(level, position)])
            level, position = level + 1, position >> 1
            known[(level, position)] = new[(level, position)] = parent
    return new


def _hashes(what: str, *hashes: bytes) -> None:
    """Every hash of a proof, leaf or root is a SHA-256 output: anything else is refused
    before any hashing, so that no input of another length can ever be taken for a node."""
    for value in hashes:
        if not isinstance(value, bytes) or len(value) != HASH_SIZE:
            raise ProofError(f"{what} holds a value that is not a {HASH_SIZE}-byte hash")


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: list[bytes], expected_root: bytes
) -> None:
    """RFC 9162, 2.1.3.2: raises ProofError unless `leaf` (a leaf hash) is at `index` of the
    tree of `size` leaves whose root is `expected_root`. The leaf, the root and every proof
    element must be 32 bytes."""
    _hashes("the leaf hash or root", leaf, expected_root)
    _hashes("the inclusion proof", *proof)
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is outside a tree of {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("the inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0 or r != expected_root:
        raise ProofError("the inclusion proof does not lead to the root")


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> None:
    """RFC 9162, 2.1.4.2: raises ProofError unless the tree of `new` leaves with `new_root`
    extends the tree of `old` leaves with `old_root`. Both roots and every proof element must
    be 32 bytes, and the root of an empty tree is SHA-256 of nothing: a tree grown from size 0
    has nothing to prove, but its root is still a hash."""
    _hashes("a root", old_root, new_root)
    _hashes("the consistency proof", *proof)
    if not 0 <= old <= new:
        raise ProofError(f"a tree of {new} cannot extend one of {old}")
    if old == 0 and old_root != EMPTY_ROOT:
        raise ProofError("the root of an empty tree is SHA-256 of the empty string")
    if old == new:
        if proof or old_root != new_root:
            raise ProofError("the same size with another root, or a needless proof")
        return
    if old == 0:
        if proof:
            raise ProofError("an empty tree's consistency proof is empty")
        return
    if not proof:
        raise ProofError("the consistency proof is empty")
    path = list(proof)
    if old & (old - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0 or fr != old_root or sr != new_root:
        raise ProofError("the consistency proof does not match the two roots")


def _text(value: str) -> bytes:
    data = value.encode()
    return head(3, len(data)) + data


# The keys in canonical order (RFC 8949 4.2.1, bytewise order of the encoded keys: for text
# keys under 24 bytes, shorter first, then bytewise).
_HASH, _TIME, _TYPE, _ISSUER, _DIPLOMA = (
    _text(k) for k in ("hash", "time", "type", "issuer", "diploma")
)


def encode_leaf(
    event_type: str, issuer: str, diploma_id: bytes | None, record_hash: bytes, time: int
) -> bytes:
    """A log leaf's data: canonical CBOR of the event type, the issuer code, the diploma's id
    (16 bytes; absent for blank-form events), the SHA-256 of the signed record or statement,
    and the event's time in seconds. No personal data: the hashed records are salted.

    Written out by hand, as the map's shape is fixed: the sequencer encodes every leaf, and
    this is several times faster than a general encoder (the tests compare the two)."""
    if time < 0:
        raise ValueError("a leaf's time is not before 1970")
    parts = [
        head(5, 4 if diploma_id is None else 5),
        _HASH,
        head(2, len(record_hash)),
        record_hash,
        _TIME,
        head(0, time),
        _TYPE,
        _text(event_type),
        _ISSUER,
        _text(issuer),
    ]
    if diploma_id is not None:
        parts += [_DIPLOMA, head(2, len(diploma_id)), diploma_id]
    return b"".join(parts)
