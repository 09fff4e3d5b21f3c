"""verifier/tiles.py: C2SP tlog-tiles paths as the spec writes them (its examples, from
../shared/vectors), the tiles a tree of each size has, entry bundles, and proofs computed
from tiles checked against a tree built here with plain hashlib."""

from __future__ import annotations

import hashlib
import re

import pytest

from tests.external_vectors import load
from verifier import merkle
from verifier.errors import ProofError
from verifier.tiles import (
    WIDTH,
    Tile,
    TileReader,
    available_width,
    bundle,
    encode_index,
    parse_bundle,
    parse_tile_path,
    prove_consistency,
    prove_inclusion,
    tiles_of,
)


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 2.1, over leaf hashes."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return _sha(b"\x01" + _mth(leaves[:k]) + _mth(leaves[k:]))


def _tiles(entries: list[bytes]) -> dict[str, bytes]:
    """Every tile of the tree of `entries` by its path, from hashlib alone."""
    leaves = [_sha(b"\x00" + e) for e in entries]
    served = {}
    level, row = 0, leaves
    while row:
        for start in range(0, len(row), WIDTH):
            part = row[start : start + WIDTH]
            width = "" if len(part) == WIDTH else f".p/{len(part)}"
            served[f"tile/{level}/{encode_index(start // WIDTH)}{width}"] = b"".join(part)
            if level == 0:
                served[f"tile/entries/{encode_index(start // WIDTH)}{width}"] = bundle(
                    entries[start : start + WIDTH]
                )
        level += 1
        row = [_mth(row[i : i + WIDTH]) for i in range(0, len(row) - WIDTH + 1, WIDTH)]
    return served


def test_the_specs_examples() -> None:
    spec = load("c2sp-examples.json")["tlog_tiles"]
    for index, path in spec["tile_index_encoding"].items():
        assert encode_index(int(index)) == path
        assert parse_tile_path(f"0/{path}") == Tile(0, int(index))
        assert parse_tile_path(f"entries/{path}.p/7") == Tile(None, int(index), 7)
    assert spec["full_tile_bytes"] == WIDTH * merkle.HASH_SIZE
    for key in ("tree_70000", "tree_256"):
        assert sorted(_described(spec[key])) == sorted(_counted(int(key.removeprefix("tree_"))))


def _described(text: str) -> list[tuple[int, int, int]]:
    """The spec's prose ("273 full level-0 tiles, a partial level-0 tile of width 112, ...")
    as (level, width, count)."""
    text = re.sub(r"\b(a|one) full", "1 full", text).replace(" and ", ", ")
    found = []
    for part in text.split(", "):
        full = re.fullmatch(r"(\d+) full level-(\d+) tiles?", part)
        partial = re.fullmatch(r"(?:a|one) partial level-(\d+) tile of width (\d+)", part)
        if full:
            found.append((int(full[2]), WIDTH, int(full[1])))
        else:
            assert partial, part
            found.append((int(partial[1]), int(partial[2]), 1))
    return found


def _counted(size: int) -> list[tuple[int, int, int]]:
    counts: dict[tuple[int, int], int] = {}
    for tile in tiles_of(size):
        assert tile.level is not None
        counts[tile.level, tile.width] = counts.get((tile.level, tile.width), 0) + 1
    return [(level, width, n) for (level, width), n in counts.items()]


@pytest.mark.parametrize(
    "path",
    [
        "00/000",  # a level with a leading zero
        "64/000",
        "-1/000",
        "0/1",  # not 3 digits
        "0/0001",
        "0/x001",  # the last group has no x
        "0/001/000",  # a group before the last without its x
        "0/x000/001",  # a leading zero group
        "0/000.p/0",
        "0/000.p/256",
        "0/000.p/01",
        "0/000.p/",
        "0/000.p",
        "0/000/",
        "leaves/000",
        "0",
        "",
        "0/x001/x002/x003/x004/x005/x006/x007/008",
        "0/\u0661\u0662\u0663",  # Arabic-Indic digits are not ASCII
    ],
)
def test_paths_not_written_as_the_spec_says_are_refused(path: str) -> None:
    with pytest.raises(ValueError, match="tile"):
        parse_tile_path(path)


def test_paths_round_trip() -> None:
    for tile in [Tile(0, 0), Tile(3, 1_234_067, 17), Tile(None, 999), Tile(None, 1000, 1)]:
        assert tile.path.startswith("tile/")
        assert parse_tile_path(tile.path.removeprefix("tile/")) == tile


def test_the_tiles_of_a_tree_at_the_boundaries() -> None:
    assert tiles_of(0) == []
    assert tiles_of(1) == [Tile(0, 0, 1)]
    assert tiles_of(256) == [Tile(0, 0), Tile(1, 0, 1)]
    assert tiles_of(257) == [Tile(0, 0), Tile(0, 1, 1), Tile(1, 0, 1)]
    assert available_width(0, 1, 256) == 0
    assert available_width(1, 0, 65536) == WIDTH
    assert available_width(2, 0, 65536) == 1


def test_bundles() -> None:
    entries = [b"", b"a", bytes(300)]
    assert parse_bundle(bundle(entries), 3) == entries
    for bad, width in [(bundle(entries)[:-1], 3), (bundle(entries), 2), (b"\x00", 1)]:
        with pytest.raises(ProofError):
            parse_bundle(bad, width)
    with pytest.raises(ValueError, match="at most 65535 bytes"):
        bundle([bytes(0x10000)])


@pytest.mark.parametrize("size", [1, 2, 255, 256, 257, 511, 512, 513, 1000])
def test_proofs_from_tiles_match_a_hashlib_tree(size: int) -> None:
    entries = [f"entry {i}".encode() for i in range(size)]
    served = _tiles(entries)
    root = _mth([_sha(b"\x00" + e) for e in entries])
    reader = TileReader(served.__getitem__, size)
    assert reader.root() == root
    for index in sorted({0, size // 3, size - 1, min(255, size - 1)}):
        assert prove_inclusion(reader, index, root) == entries[index]
    for old in sorted({1, size // 2, min(256, size), size} - {0}):
        old_root = _mth([_sha(b"\x00" + e) for e in entries[:old]])
        prove_consistency(reader, old, old_root, root)
        with pytest.raises(ProofError):
            prove_consistency(reader, old, _sha(b"another"), root)


def test_tiles_that_lie_are_caught() -> None:
    entries = [f"entry {i}".encode() for i in range(300)]
    served = _tiles(entries)
    root = _mth([_sha(b"\x00" + e) for e in entries])
    other = dict(served, **{"tile/entries/001.p/44": bundle([b"x", *entries[257:]])})
    with pytest.raises(ProofError, match="does not hash"):
        prove_inclusion(TileReader(other.__getitem__, 300), 256, root)
    forged = [_sha(b"forged") + served["tile/0/000"][32:]]
    lying = dict(served, **{"tile/0/000": forged[0]})
    with pytest.raises(ProofError):
        prove_inclusion(TileReader(lying.__getitem__, 300), 5, root)
    short = dict(served, **{"tile/0/001.p/44": served["tile/0/001.p/44"][:-1]})
    with pytest.raises(ProofError, match="not 44 hashes"):
        TileReader(short.__getitem__, 300).root()
    with pytest.raises(ProofError, match="outside"):
        TileReader(served.__getitem__, 300).entry(300)
