"""QR codes for certificates, built fast enough for batches of thousands of pages.

Byte mode, error correction M, always mask 4: the mask reportlab's search picks most often for
verification URLs and the lowest penalty on average; any mask decodes, the search cost half of
the render time. Function patterns, format bits and module order come from reportlab once per
version; per code only the codewords (Reed-Solomon over GF(256)) are computed and placed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import groupby, zip_longest

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel, QRRSBlock, QRUtil
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

QR_LEVEL = QRErrorCorrectLevel.M
QR_MASK = 4
QR_QUIET = 2  # modules of white margin around the code

_GF_EXP = [0] * 512
_GF_LOG = [0] * 256
_x = 1
for _i in range(255):
    _GF_EXP[_i] = _GF_EXP[_i + 255] = _x
    _GF_LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
del _x, _i


@dataclass(frozen=True)
class _QRLayout:
    template: tuple[tuple[bool, ...], ...]  # finder, timing, alignment and format modules
    cells: tuple[tuple[int, int, bool], ...]  # (row, col, mask bit) in codeword bit order
    blocks: tuple[tuple[int, int], ...]  # (data codewords, error correction codewords) per block


@cache
def _qr_capacity(version: int) -> int:
    return sum(b.dataCount for b in QRRSBlock.getRSBlocks(version, QR_LEVEL))


@cache
def _qr_version(n_bytes: int) -> int:
    for version in range(1, 41):
        if 4 + (8 if version < 10 else 16) + 8 * n_bytes <= 8 * _qr_capacity(version):
            return version
    raise ValueError("text too long for a QR code")


@cache
def _qr_layout(version: int) -> _QRLayout:
    code = QRCode(version, QR_LEVEL)
    code.makeImpl(False, QR_MASK)  # no data: the fixed modules; data cells are overwritten per code
    mask = QRUtil.getMask(QR_MASK)
    return _QRLayout(
        template=tuple(tuple(row) for row in code.modules),
        cells=tuple((row, col, bool(mask(row, col))) for col, row in code.dataPosIterator()),
        blocks=tuple(
            (b.dataCount, b.totalCount - b.dataCount) for b in QRRSBlock.getRSBlocks(version, QR_LEVEL)
        ),
    )


@cache
def _rs_generator(degree: int) -> tuple[int, ...]:
    """Logs of the coefficients (after the leading 1) of prod(x + a^i), i < degree."""
    poly = [1]
    for i in range(degree):
        nxt = [*poly, 0]
        for j, coef in enumerate(poly):
            if coef:
                nxt[j + 1] ^= _GF_EXP[_GF_LOG[coef] + i]
        poly = nxt
    return tuple(_GF_LOG[coef] for coef in poly[1:])


def _rs_remainder(data: bytes, degree: int) -> bytes:
    generator = _rs_generator(degree)
    rem = [0] * degree
    for byte in data:
        factor = byte ^ rem.pop(0)
        rem.append(0)
        if factor:
            log = _GF_LOG[factor]
            for i, g in enumerate(generator):
                rem[i] ^= _GF_EXP[log + g]
    return bytes(rem)


def _qr_codewords(data: bytes, version: int, blocks: tuple[tuple[int, int], ...]) -> bytes:
    """Mode, length, data, terminator and padding, split into blocks, with their error correction,
    interleaved as the symbol stores them."""
    length_bits = 8 if version < 10 else 16
    capacity = 8 * _qr_capacity(version)
    value = ((0b0100 << length_bits | len(data)) << 8 * len(data)) | int.from_bytes(data, "big")
    bits = 4 + length_bits + 8 * len(data)
    zeros = min(4, capacity - bits)  # terminator
    zeros += -(bits + zeros) % 8  # up to a byte boundary
    body = (value << zeros).to_bytes((bits + zeros) // 8, "big")
    body += bytes((0xEC, 0x11) * capacity)[: capacity // 8 - len(body)]
    data_blocks, ec_blocks, offset = [], [], 0
    for count, ec_count in blocks:
        chunk = body[offset : offset + count]
        offset += count
        data_blocks.append(chunk)
        ec_blocks.append(_rs_remainder(chunk, ec_count))
    out = bytearray()
    for group in (data_blocks, ec_blocks):
        for column in zip_longest(*group):
            out.extend(b for b in column if b is not None)
    return bytes(out)


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code of `text` (UTF-8, byte mode, level M, mask 4) as rows of dark modules."""
    data = text.encode()
    version = _qr_version(len(data))
    layout = _qr_layout(version)
    codewords = _qr_codewords(data, version, layout.blocks)
    bits = format(int.from_bytes(codewords, "big"), f"0{8 * len(codewords)}b")
    modules = [list(row) for row in layout.template]
    for (row, col, flip), bit in zip_longest(layout.cells, bits, fillvalue="0"):
        modules[row][col] = (bit == "1") != flip  # remainder bits past the codewords are 0, then masked
    return modules


def draw_qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as one filled path of horizontal runs (a fraction of the cost of the widget)."""
    modules = qr_matrix(url)
    n = len(modules)
    cell = size / (n + 2 * QR_QUIET)
    path = c.beginPath()
    for row, line in enumerate(modules):
        top = y + (n - 1 - row + QR_QUIET) * cell
        col = 0
        for dark, run in groupby(line):
            length = sum(1 for _ in run)
            if dark:
                path.rect(x + (col + QR_QUIET) * cell, top, length * cell, cell)
            col += length
    c.setFillColor(colors.black)
    c.drawPath(path, stroke=0, fill=1)
