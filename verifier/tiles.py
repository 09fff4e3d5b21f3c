"""The issuance log as C2SP tlog-tiles serves it, and proofs computed from the tiles alone.

A tile at level L holds up to 256 consecutive hashes of the tree's level 8·L: the n-th tile
at level L holds the hashes of the perfect subtrees of 256^L leaves starting at leaf
(n·256 + i)·256^L, for i from 0 (level 0: the leaf hashes). A tile is full at 256 hashes
(8,192 bytes); the rightmost tile of a level in a tree of s leaves is partial, of
floor(s / 256^L) mod 256 hashes, at `<L>/<N>.p/<W>`. An entry bundle at `entries/<N>` holds
the log entries whose leaf hashes are level-0 tile N, each as a big-endian uint16 length
and its bytes. Tile indices are written in 3-digit groups, all but the last prefixed `x`:
1234067 is `x001/x234/067`.

Any perfect subtree of a tree is the hash of at most 128 adjacent hashes of one tile, so the
subtrees a proof needs (verifier.merkle.plan) come from O(log n) tiles. Nothing read from
tiles is trusted: a proof built from them is verified against a signed checkpoint's root
(verifier.merkle.verify_inclusion and verify_consistency), and an entry must hash to its
leaf hash in the level-0 tile.
"""

from __future__ import annotations

import re
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from verifier import merkle
from verifier.errors import ProofError

HEIGHT = 8  # tree levels per tile
WIDTH = 1 << HEIGHT  # hashes in a full tile
MAX_LEVEL = 63
MAX_ENTRY = 0xFFFF  # an entry's length is a uint16
MAX_BUNDLE = WIDTH * (2 + MAX_ENTRY)
_GROUP = re.compile("[0-9]{3}")
_NUMBER = re.compile("0|[1-9][0-9]*")


@dataclass(frozen=True)
class Tile:
    """A hash tile (`level` 0 to 63) or an entry bundle (`level` None), and its width:
    WIDTH for a full one."""

    level: int | None
    index: int
    width: int = WIDTH

    @property
    def full(self) -> bool:
        return self.width == WIDTH

    @property
    def path(self) -> str:
        """The tile's path under the log's prefix, e.g. `tile/1/x001/234.p/17`."""
        kind = "entries" if self.level is None else str(self.level)
        partial = "" if self.full else f".p/{self.width}"
        return f"tile/{kind}/{encode_index(self.index)}{partial}"


def encode_index(index: int) -> str:
    """1234067 -> `x001/x234/067`; 0 -> `000`."""
    if index < 0:
        raise ValueError("a tile index is not negative")
    groups = [f"{index % 1000:03d}"]
    index //= 1000
    while index:
        groups.append(f"x{index % 1000:03d}")
        index //= 1000
    return "/".join(reversed(groups))


def parse_tile_path(path: str) -> Tile:
    """`<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]` (what follows `tile/`) as a Tile; raises
    ValueError unless it is written exactly as C2SP tlog-tiles writes it (no leading zeros,
    a level up to 63, a partial width from 1 to 255, the index's groups canonical)."""
    parts = path.split("/")
    width = WIDTH
    if len(parts) >= 3 and parts[-2].endswith(".p"):
        if not _NUMBER.fullmatch(parts[-1]) or not 1 <= int(parts[-1]) < WIDTH:
            raise ValueError("a partial tile's width is 1 to 255, without leading zeros")
        width = int(parts[-1])
        parts = [*parts[:-2], parts[-2][:-2]]
    if len(parts) < 2 or len(parts) > 8:
        raise ValueError("a tile path is <L>/<N>[.p/<W>] or entries/<N>[.p/<W>]")
    kind, groups = parts[0], parts[1:]
    if kind == "entries":
        level = None
    elif _NUMBER.fullmatch(kind) and int(kind) <= MAX_LEVEL:
        level = int(kind)
    else:
        raise ValueError("a tile's level is 0 to 63, without leading zeros, or `entries`")
    index = 0
    for position, group in enumerate(groups):
        last = position == len(groups) - 1
        digits = group if last else group.removeprefix("x")
        if (not last and not group.startswith("x")) or not _GROUP.fullmatch(digits):
            raise ValueError("a tile index is 3-digit groups, all but the last after an x")
        index = index * 1000 + int(digits)
    if len(groups) > 1 and groups[0] == "x000":
        raise ValueError("a tile index has no leading zero group")
    return Tile(level, index, width)


def available_width(level: int, index: int, size: int) -> int:
    """How many hashes of tile `index` at `level` a tree of `size` leaves has: WIDTH when it
    is full, 0 when the tree does not reach it."""
    covered = size >> (HEIGHT * level)  # the complete subtrees at this tile level
    return max(0, min(WIDTH, covered - index * WIDTH))


def tiles_of(size: int) -> list[Tile]:
    """Every hash tile of a tree of `size` leaves, level by level, each the widest the tree
    has (full, or the partial one at the edge); no empty tile."""
    found = []
    for level in range(MAX_LEVEL + 1):
        covered = size >> (HEIGHT * level)
        if covered == 0:
            break
        found += [Tile(level, n) for n in range(covered // WIDTH)]
        if covered % WIDTH:
            found.append(Tile(level, covered // WIDTH, covered % WIDTH))
    return found


def parse_bundle(data: bytes, width: int) -> list[bytes]:
    """The `width` entries of an entry bundle; raises ProofError unless it is exactly that."""
    entries, at = [], 0
    while at < len(data):
        if at + 2 > len(data):
            raise ProofError("the entry bundle ends inside an entry's length")
        length = int.from_bytes(data[at : at + 2], "big")
        if at + 2 + length > len(data):
            raise ProofError("the entry bundle ends inside an entry")
        entries.append(data[at + 2 : at + 2 + length])
        at += 2 + length
    if len(entries) != width:
        raise ProofError(f"the entry bundle holds {len(entries)} entries, not {width}")
    return entries


def bundle(entries: list[bytes]) -> bytes:
    """Entries as an entry bundle."""
    parts = []
    for entry in entries:
        if len(entry) > MAX_ENTRY:
            raise ValueError(f"an entry of a bundle is at most {MAX_ENTRY} bytes")
        parts += [len(entry).to_bytes(2, "big"), entry]
    return b"".join(parts)


class TileReader:
    """The tree of `size` leaves read from its tiles, each fetched once by `fetch` (given a
    tile's path, it answers its bytes). Only tiles the size implies are asked for: a full
    tile where the tree fills it, else the partial one of the width the size gives."""

    def __init__(self, fetch: Callable[[str], bytes], size: int) -> None:
        self.fetch = fetch
        self.size = size
        self._tiles: dict[tuple[int, int], list[bytes]] = {}

    def tile(self, level: int, index: int) -> list[bytes]:
        """The hashes of the widest tile the tree has at (level, index)."""
        key = (level, index)
        if key not in self._tiles:
            width = available_width(level, index, self.size)
            if width == 0:
                raise ProofError(f"a tree of {self.size} leaves has no tile {level}/{index}")
            data = self.fetch(Tile(level, index, width).path)
            if len(data) != width * merkle.HASH_SIZE:
                raise ProofError(f"tile {level}/{index} is {len(data)} bytes, not {width} hashes")
            self._tiles[key] = [data[i : i + 32] for i in range(0, len(data), 32)]
        return self._tiles[key]

    def node(self, node: merkle.Node) -> bytes:
        """The perfect subtree (tree level, index): 2^r hashes of one tile, hashed up."""
        level, index = node
        tile_level, rest = divmod(level, HEIGHT)
        first = index << rest  # its first hash at the tile's level
        hashes = self.tile(tile_level, first // WIDTH)
        at = first % WIDTH
        row = hashes[at : at + (1 << rest)]
        if len(row) != 1 << rest:
            raise ProofError(f"the tiles do not hold subtree {node}")
        while len(row) > 1:
            row = [merkle.node_hash(row[i], row[i + 1]) for i in range(0, len(row), 2)]
        return row[0]

    def compute(self, computation: Callable[..., object]) -> object:
        wanted = merkle.plan(computation)
        return merkle.build(computation, {n: self.node(n) for n in wanted})

    def root(self) -> bytes:
        value = self.compute(merkle.root(self.size))
        assert isinstance(value, bytes)
        return value

    def inclusion_proof(self, index: int) -> list[bytes]:
        if not 0 <= index < self.size:
            raise ProofError(f"leaf {index} is outside a tree of {self.size}")
        value = self.compute(merkle.inclusion(index, self.size))
        assert isinstance(value, list)
        return value

    def consistency_proof(self, old: int) -> list[bytes]:
        if not 0 <= old <= self.size:
            raise ProofError(f"a tree of {self.size} cannot extend one of {old}")
        value = self.compute(merkle.consistency(old, self.size))
        assert isinstance(value, list)
        return value

    def entry(self, index: int) -> bytes:
        """Leaf `index`'s entry from its bundle, checked against the level-0 tile."""
        if not 0 <= index < self.size:
            raise ProofError(f"leaf {index} is outside a tree of {self.size}")
        width = available_width(0, index // WIDTH, self.size)
        entries = parse_bundle(self.fetch(Tile(None, index // WIDTH, width).path), width)
        entry = entries[index % WIDTH]
        if merkle.leaf_hash(entry) != self.tile(0, index // WIDTH)[index % WIDTH]:
            raise ProofError(f"entry {index} does not hash to its leaf hash in tile 0")
        return entry


def prove_inclusion(reader: TileReader, index: int, root: bytes) -> bytes:
    """Leaf `index`'s entry, once its inclusion proof, computed from the tiles, leads to
    `root` (the verified checkpoint's, of `reader.size` leaves); else ProofError."""
    entry = reader.entry(index)
    proof = reader.inclusion_proof(index)
    merkle.verify_inclusion(merkle.leaf_hash(entry), index, reader.size, proof, root)
    return entry


def prove_consistency(reader: TileReader, old: int, old_root: bytes, new_root: bytes) -> None:
    """That the tree of `reader.size` leaves with `new_root` extends the one of `old` leaves
    with `old_root`, by a consistency proof computed from the new tree's tiles."""
    proof = reader.consistency_proof(old)
    merkle.verify_consistency(old, reader.size, old_root, new_root, proof)


class Unreachable(OSError):
    """A tile could not be fetched."""


def http_fetcher(base_url: str, timeout: float = 15) -> Callable[[str], bytes]:
    """Fetches `<base>/log/<tile path>` over http(s), gzip accepted (entry bundles are
    compressed by the server), at most a bundle's largest size."""
    base = base_url.rstrip("/")
    if urlsplit(base).scheme.lower() not in ("http", "https"):
        raise Unreachable(f"not an http(s) URL: {base_url}")

    def fetch(path: str) -> bytes:
        url = f"{base}/log/{path}"
        request = urllib.request.Request(  # noqa: S310  # http(s) only, checked above
            url, headers={"Accept-Encoding": "gzip, identity"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                data: bytes = response.read(MAX_BUNDLE + 1)
                encoding = response.headers.get("Content-Encoding", "identity").lower()
        except OSError as exc:
            raise Unreachable(f"cannot fetch {url}: {exc}") from None
        if encoding == "gzip":
            data = _gunzip(data, url)
        elif encoding != "identity":
            raise Unreachable(f"{url}: an encoding not asked for ({encoding})")
        if len(data) > MAX_BUNDLE:
            raise Unreachable(f"{url} is larger than any tile")
        return data

    return fetch


def _gunzip(data: bytes, url: str) -> bytes:
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflate.decompress(data, MAX_BUNDLE + 1)
    except zlib.error as exc:
        raise Unreachable(f"{url}: not gzip ({exc})") from None
    if not inflate.eof:
        raise Unreachable(f"{url}: a gzip stream cut short, or larger than any tile")
    return out
