"""Upload bombs: small files that ask for huge work are refused quickly, within a memory bound."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zipfile
import zlib

import pytest

from app.rosters.roster_file import RosterFileError, read_table
from tests.conftest import login
from tests.factories import save_settings, upload
from tests.integration.rosters.roster_files import kader_rows, xlsx_bytes

MEMORY_BOUND_MB = 200


def with_parts(base: bytes, replace: dict[str, bytes]) -> bytes:
    """A copy of an XLSX with some parts replaced (added when missing)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for entry in src.infolist():
            if entry.filename not in replace:
                dst.writestr(entry, src.read(entry.filename))
        for name, data in replace.items():
            dst.writestr(name, data)
    return out.getvalue()


def sheet(rows: bytes, dimension: str = "A1:XFD1048576") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><dimension ref="'
        + dimension.encode()
        + b'"/><sheetData>'
        + rows
        + b"</sheetData></worksheet>"
    )


def dimension_bomb() -> bytes:
    """Declares 17 billion cells over 20,000 one-cell rows (once 11-30 s and ~2 GB)."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n) for n in range(1, 20_001)
    )
    return with_parts(xlsx_bytes(kader_rows(1)), {"xl/worksheets/sheet1.xml": sheet(rows)})


def cell_bomb() -> bytes:
    """Millions of empty cells: a few hundred kilobytes packed, ~100 MB of XML."""
    row = b'<row r="1">' + b'<c r="A1" s="0"/>' * 50_000 + b"</row>"
    return with_parts(xlsx_bytes(kader_rows(1)), {"xl/worksheets/sheet1.xml": sheet(row * 120)})


def shared_string_bomb() -> bytes:
    """One shared string of 40 MB (a 1 GB one once cost +2 GB and a 500)."""
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>' + b"A" * 40 * 2**20 + b"</t></si></sst>"
    )
    return with_parts(xlsx_bytes(kader_rows(1)), {"xl/sharedStrings.xml": strings})


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width x height pixels (what Pillow reads before decoding)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("bomb", [cell_bomb, shared_string_bomb])
def test_xlsx_that_would_inflate_past_the_limits_is_refused(bomb):
    data = bomb()
    assert len(data) < 1_000_000  # small on the wire
    with pytest.raises(RosterFileError) as exc:
        read_table(data, "roster.xlsx", max_rows=20_000)
    assert exc.value.issue.code == "xlsx_too_large"


def test_a_declared_dimension_is_not_trusted():
    header, body = read_table(dimension_bomb(), "roster.xlsx", max_rows=20_000)
    # Read as it is, at most 40 columns wide, instead of 16,384 columns per row.
    assert header[0] == "x" and len(body) == 19_999 and all(len(r) <= 40 for r in body)


@pytest.mark.parametrize("bomb", ["dimension_bomb", "cell_bomb", "shared_string_bomb"])
def test_one_upload_stays_under_the_memory_bound(tmp_path, bomb):
    """Measured in a fresh process (peak resident memory), as a server worker would see it."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(globals()[bomb]())
    script = (
        "import json, re\n"
        "from app.rosters.roster_file import RosterFileError, read_table\n"
        "try:\n"
        f"    read_table(open({str(path)!r}, 'rb').read(), 'roster.xlsx', max_rows=20000)\n"
        "except RosterFileError:\n"
        "    pass\n"
        # VmHWM: this process's own peak (ru_maxrss would carry the forking parent's)
        "print(re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    peak_mb = json.loads(done.stdout) / 1024
    assert peak_mb < MEMORY_BOUND_MB, f"{bomb}: {peak_mb:.0f} MB"


def test_the_upload_page_explains_a_refused_bomb(client, world):
    login(client, "dinkes.brebes")
    response = upload(client, cell_bomb(), name="kader.xlsx")
    assert response.status_code == 400
    assert "jauh lebih banyak data daripada daftar kader" in response.get_data(as_text=True)


def test_a_logo_of_400_megapixels_is_refused_with_a_message(client, world):
    login(client, "dinkes.brebes")
    response = save_settings(client, logo=png_header_only(20_000, 20_000), signature=png_header_only(50, 20))
    assert response.status_code == 400
    assert "Gambar terlalu besar" in response.get_data(as_text=True)
