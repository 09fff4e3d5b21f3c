"""The log as C2SP tlog-tiles (verifier/tiles.py says what a tile is): hash tiles read
from the stored tree, which keeps every perfect subtree (a tile at level L is 256 adjacent
subtrees of tree level 8·L, one range of primary keys), and entry bundles of the leaves'
data, the same bytes /log/leaves serves as `data`. Only tiles within the latest
checkpoint's tree are served. A full tile never changes once the tree holds it: each
process keeps the most recently asked ones in memory and serves them without the database."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import asyncpg

from service import texts
from service.db.queries import Q
from service.problems import NOT_FOUND, Problem
from service.tlog import store
from verifier.tiles import HEIGHT, WIDTH, Tile, available_width, bundle

# 8 KiB a hash tile, about 30 KiB an entry bundle (leaves are some 110 bytes): some 2,000
# hash tiles, or 500 bundles, a process.
MAX_CACHED_BYTES = 16 << 20


class TileCache:
    """The full tiles last served, at most `max_bytes` of them, least recently used dropped
    first."""

    def __init__(self, max_bytes: int = MAX_CACHED_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._tiles: OrderedDict[Tile, bytes] = OrderedDict()

    def get(self, tile: Tile) -> bytes | None:
        data = self._tiles.get(tile)
        if data is not None:
            self._tiles.move_to_end(tile)
        return data

    def put(self, tile: Tile, data: bytes) -> None:
        old = self._tiles.pop(tile, None)
        self.size += len(data) - (0 if old is None else len(old))
        self._tiles[tile] = data
        while self.size > self.max_bytes:
            _, dropped = self._tiles.popitem(last=False)
            self.size -= len(dropped)


async def tile_bytes(pool: asyncpg.Pool[Any], cache: TileCache, tile: Tile) -> bytes:
    """A hash tile's hashes, or an entry bundle, when the latest checkpoint's tree holds it;
    else a 404 problem."""
    cached = cache.get(tile) if tile.full else None
    if cached is not None:
        return cached
    level = 0 if tile.level is None else tile.level
    async with pool.acquire() as conn:
        latest = await store.latest_checkpoint(conn)
        size = 0 if latest is None else latest.size
        if tile.width > available_width(level, tile.index, size):
            raise Problem(
                NOT_FOUND,
                *texts.TILE_BEYOND_TREE.format(size=size),
                headers={"Cache-Control": "no-cache"},
            )
        # The subtrees at this tile level: 256^level leaves each.
        first, end = tile.index * WIDTH, tile.index * WIDTH + tile.width
        if tile.level is None:
            rows = await conn.fetch(Q.log_tile_entries, first, end)
        elif tile.level == 0:
            rows = await conn.fetch(Q.log_tile_leaf_hashes, first, end)
        else:
            rows = await conn.fetch(Q.log_tile_nodes, HEIGHT * tile.level, first, end)
    if len(rows) != tile.width:
        raise LookupError(f"the log lacks part of tile {tile.path}")
    if tile.level is None:
        data = bundle([bytes(r["data"]) for r in rows])
    else:
        data = b"".join(bytes(r["hash"]) for r in rows)
    if tile.full:
        cache.put(tile, data)
    return data
