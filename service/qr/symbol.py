"""QR symbols for token URLs, at error correction M, in alphanumeric mode.

The `qrcode` library gives the function patterns, the codewords and the reference behaviour;
what it does slowly is done here once per version or with numpy:
- the version comes from the capacity table for the text's length (no trial encodes);
- the data modules of a version and their placement order are computed once and cached;
- all eight masks are applied and scored at once with numpy, by the same penalty rules
  (ISO/IEC 18004 N1-N4) and the same tie-break as `qrcode`, so the symbol is the one
  `qrcode` would choose (tests/service/test_qr.py compares them).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import qrcode
from numpy.typing import NDArray
from qrcode import base, util
from qrcode.constants import ERROR_CORRECT_M

Matrix = NDArray[np.bool_]
ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
MAX_VERSION = 40


class SymbolError(ValueError):
    """The text cannot be a QR symbol here (not alphanumeric, or too long)."""


@dataclass(frozen=True)
class Symbol:
    version: int
    mask: int
    modules: Matrix  # size x size, True = dark, without the quiet zone

    @property
    def size(self) -> int:
        return int(self.modules.shape[0])


def version_for(length: int) -> int:
    """The smallest version whose capacity at M holds `length` alphanumeric characters."""
    for version in range(1, MAX_VERSION + 1):
        count_bits = util.length_in_bits(util.MODE_ALPHA_NUM, version)
        needed = 4 + count_bits + 11 * (length // 2) + 6 * (length % 2)
        if needed <= util.BIT_LIMIT_TABLE[ERROR_CORRECT_M][version]:
            return version
    raise SymbolError(f"{length} characters do not fit any QR version at level M")


@dataclass(frozen=True)
class _Layout:
    base: Matrix  # function patterns; format and version areas light, as qrcode scores them
    rows: NDArray[np.intp]  # data modules in placement order
    cols: NDArray[np.intp]
    masks: NDArray[np.bool_]  # (8, data modules): where each mask inverts
    info_rows: NDArray[np.intp]  # format (and version) information modules
    info_cols: NDArray[np.intp]
    info_bits: NDArray[np.bool_]  # (8, info modules): their values under each mask


def _blank(version: int) -> qrcode.QRCode:
    """qrcode's grid for `version` with the finder, alignment and timing patterns set."""
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M)
    size = version * 4 + 17
    code.modules_count = size
    code.modules = [[None] * size for _ in range(size)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(size - 7, 0)
    code.setup_position_probe_pattern(0, size - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    return code


@functools.cache
def _layout(version: int) -> _Layout:
    code = _blank(version)
    size = code.modules_count
    before = [row[:] for row in code.modules]
    code.setup_type_info(True, 0)
    if version >= 7:
        code.setup_type_number(True)
    info = [
        (r, c)
        for r in range(size)
        for c in range(size)
        if before[r][c] is None and code.modules[r][c] is not None
    ]
    grid = code.modules
    # The data placement order of ISO/IEC 18004 7.7.3, as qrcode's map_data walks it.
    order = []
    row, step = size - 1, -1
    for right in range(size - 1, 0, -2):
        col = right - 1 if right <= 6 else right
        while True:
            for c in (col, col - 1):
                if grid[row][c] is None:
                    order.append((row, c))
            row += step
            if row < 0 or row >= size:
                row -= step
                step = -step
                break
    base = np.array([[bool(v) for v in line] for line in grid], dtype=bool)
    rows = np.array([r for r, _ in order], dtype=np.intp)
    cols = np.array([c for _, c in order], dtype=np.intp)
    masks = np.array(
        [[bool(util.mask_func(m)(int(r), int(c))) for r, c in order] for m in range(8)], dtype=bool
    )
    info_bits = []
    for mask in range(8):
        code = _blank(version)
        code.setup_type_info(False, mask)
        if version >= 7:
            code.setup_type_number(False)
        info_bits.append([bool(code.modules[r][c]) for r, c in info])
    return _Layout(
        base=base,
        rows=rows,
        cols=cols,
        masks=masks,
        info_rows=np.array([r for r, _ in info], dtype=np.intp),
        info_cols=np.array([c for _, c in info], dtype=np.intp),
        info_bits=np.array(info_bits, dtype=bool),
    )


def _runs_penalty(stack: NDArray[np.bool_]) -> NDArray[np.int64]:
    """N1: each run of 5 or more same-coloured modules in a row costs its length - 2."""
    count, size, _ = stack.shape
    # Every row ends in a separator (2), so runs never cross rows or masks; then one pass.
    padded = np.full((count, size, size + 1), 2, dtype=np.int8)
    padded[:, :, :size] = stack
    flat = padded.reshape(-1)
    change = np.ones(flat.size, dtype=bool)
    change[1:] = flat[1:] != flat[:-1]
    starts = np.flatnonzero(change)
    lengths = np.diff(np.append(starts, flat.size))
    keep = (flat[starts] != 2) & (lengths >= 5)
    owner = starts[keep] // (size * (size + 1))
    return np.bincount(owner, weights=lengths[keep] - 2, minlength=count).astype(np.int64)


_FINDER_A = np.array([1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], dtype=bool)
_FINDER_B = _FINDER_A[::-1].copy()


def _penalties(stack: NDArray[np.bool_]) -> NDArray[np.int64]:
    """qrcode's lost_point for each matrix of the stack (8, size, size)."""
    size = stack.shape[1]
    n1 = _runs_penalty(stack) + _runs_penalty(stack.transpose(0, 2, 1))
    blocks = (
        (stack[:, :-1, :-1] == stack[:, 1:, :-1])
        & (stack[:, :-1, :-1] == stack[:, :-1, 1:])
        & (stack[:, :-1, :-1] == stack[:, 1:, 1:])
    )
    n2 = 3 * blocks.sum(axis=(1, 2))
    n3 = np.zeros(stack.shape[0], dtype=np.int64)
    for view in (stack, stack.transpose(0, 2, 1)):
        windows = np.lib.stride_tricks.sliding_window_view(view, 11, axis=2)
        found = (windows == _FINDER_A).all(axis=3) | (windows == _FINDER_B).all(axis=3)
        n3 += 40 * found.sum(axis=(1, 2))
    dark = stack.sum(axis=(1, 2)) / float(size * size)
    n4 = 10 * (np.abs(dark * 100 - 50) / 5).astype(np.int64)
    return n1 + n2 + n3 + n4  # type: ignore[no-any-return]


# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1 (ISO/IEC 18004 7.5.2).
_EXP = np.zeros(512, dtype=np.int32)
_LOG = np.zeros(256, dtype=np.int32)
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
_EXP[255:510] = _EXP[:255]


@functools.cache
def _ec_table(ec_count: int) -> NDArray[np.uint8]:
    """Row f: the generator polynomial's coefficients (after the leading 1) times f."""
    generator = [1]
    for i in range(ec_count):  # multiply by (x + a^i)
        nxt = [0] * (len(generator) + 1)
        for j, coefficient in enumerate(generator):
            nxt[j] ^= coefficient
            if coefficient:
                nxt[j + 1] ^= int(_EXP[_LOG[coefficient] + i])
        generator = nxt
    tail = np.array(generator[1:], dtype=np.int32)
    table = np.zeros((256, ec_count), dtype=np.uint8)
    nonzero = tail != 0
    for factor in range(1, 256):
        row = np.zeros(ec_count, dtype=np.int32)
        row[nonzero] = _EXP[_LOG[factor] + _LOG[tail[nonzero]]]
        table[factor] = row
    return table


_ALNUM_VALUE = {ch: i for i, ch in enumerate(util.ALPHA_NUM.decode())}


def codewords(text: str, version: int) -> NDArray[np.uint8]:
    """Data and error-correction codewords, interleaved: what qrcode's create_data gives,
    with the Reed-Solomon division done for all blocks at once."""
    blocks = base.rs_blocks(version, ERROR_CORRECT_M)
    data_count = sum(b.data_count for b in blocks)
    count_bits = util.length_in_bits(util.MODE_ALPHA_NUM, version)
    acc, nbits = util.MODE_ALPHA_NUM, 4
    acc, nbits = (acc << count_bits) | len(text), nbits + count_bits
    values = [_ALNUM_VALUE[ch] for ch in text]
    for i in range(0, len(values) - 1, 2):
        acc, nbits = (acc << 11) | (values[i] * 45 + values[i + 1]), nbits + 11
    if len(values) % 2:
        acc, nbits = (acc << 6) | values[-1], nbits + 6
    capacity = data_count * 8
    terminator = min(4, capacity - nbits)
    acc, nbits = acc << terminator, nbits + terminator
    if nbits % 8:
        acc, nbits = acc << (8 - nbits % 8), nbits + (8 - nbits % 8)
    data = bytearray(acc.to_bytes(nbits // 8, "big"))
    pads = (util.PAD0, util.PAD1)
    data.extend(pads[i % 2] for i in range(data_count - len(data)))

    longest = max(b.data_count for b in blocks)
    ec_count = blocks[0].total_count - blocks[0].data_count
    # Left-padded with zeros to one length: leading zeros leave a remainder unchanged.
    messages = np.zeros((len(blocks), longest), dtype=np.uint8)
    present = np.zeros((len(blocks), longest), dtype=bool)
    offset = 0
    for index, block in enumerate(blocks):
        messages[index, longest - block.data_count :] = np.frombuffer(
            bytes(data[offset : offset + block.data_count]), dtype=np.uint8
        )
        present[index, : block.data_count] = True
        offset += block.data_count
    table = _ec_table(ec_count)
    remainder = np.zeros((len(blocks), ec_count), dtype=np.uint8)
    for column in range(longest):
        factor = messages[:, column] ^ remainder[:, 0]
        remainder[:, :-1] = remainder[:, 1:]
        remainder[:, -1] = 0
        remainder ^= table[factor]
    # Interleave: data codewords column by column (short blocks end early), then EC.
    ordered = np.zeros((len(blocks), longest), dtype=np.uint8)
    offset = 0
    for index, block in enumerate(blocks):
        ordered[index, : block.data_count] = np.frombuffer(
            bytes(data[offset : offset + block.data_count]), dtype=np.uint8
        )
        offset += block.data_count
    interleaved_data = ordered.T[present.T]
    return np.concatenate([interleaved_data, remainder.T.reshape(-1)])


def make_symbol(text: str) -> Symbol:
    if not set(text) <= ALPHANUMERIC:
        raise SymbolError("the text is not all QR alphanumeric characters")
    version = version_for(len(text))
    layout = _layout(version)
    bits = np.zeros(layout.rows.size, dtype=bool)
    unpacked = np.unpackbits(codewords(text, version)).astype(bool)[: bits.size]
    bits[: unpacked.size] = unpacked
    stack = np.repeat(layout.base[np.newaxis], 8, axis=0)
    stack[:, layout.rows, layout.cols] = bits ^ layout.masks
    mask = int(np.argmin(_penalties(stack)))  # the first of equal scores, as qrcode does
    modules = stack[mask]
    modules[layout.info_rows, layout.info_cols] = layout.info_bits[mask]
    return Symbol(version=version, mask=mask, modules=modules)
