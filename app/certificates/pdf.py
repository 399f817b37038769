"""Certificate PDF (reportlab): A4 landscape, embedded fonts, QR code to the verification page.

Rendered from a CertificateSnapshot only. The certificate is an official Indonesian document,
so its text is Indonesian whatever the user's interface language.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import date

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.certificates.document import CertificateSnapshot
from app.core.pdf_fonts import SANS, SANS_BOLD, SERIF, SERIF_BOLD, register_fonts

PAGE = landscape(A4)
GREEN = colors.HexColor("#0b6e4f")
GOLD = colors.HexColor("#b08d2f")
INK = colors.HexColor("#1c2421")
LEVEL_COLOURS = {
    "purwa": colors.HexColor("#0b6e4f"),
    "madya": colors.HexColor("#b07d00"),
    "utama": colors.HexColor("#7a1f2b"),
}
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def tanggal(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _fit(text: str, font: str, size: float, width: float, minimum: float = 10) -> float:
    while size > minimum and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _centred(
    c: Canvas, text: str, y: float, font: str, size: float, colour=INK, width: float | None = None
) -> None:
    if width:
        size = _fit(text, font, size, width)
    c.setFont(font, size)
    c.setFillColor(colour)
    c.drawCentredString(PAGE[0] / 2, y, text)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if stringWidth(trial, font, size) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _border(c: Canvas) -> None:
    w, h = PAGE
    c.setStrokeColor(GREEN)
    c.setLineWidth(3)
    c.rect(10 * mm, 10 * mm, w - 20 * mm, h - 20 * mm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1)
    c.rect(13 * mm, 13 * mm, w - 26 * mm, h - 26 * mm)
    for x, y in ((13, 13), (13, h / mm - 13), (w / mm - 13, 13), (w / mm - 13, h / mm - 13)):
        c.setFillColor(GOLD)
        c.circle(x * mm, y * mm, 2.2 * mm, stroke=0, fill=1)


def _qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as one filled path of horizontal runs (a fraction of the cost of the widget)."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    n = code.getModuleCount()
    quiet = 2
    cell = size / (n + 2 * quiet)
    path = c.beginPath()
    for row in range(n):
        col = 0
        while col < n:
            if code.isDark(row, col):
                start = col
                while col < n and code.isDark(row, col):
                    col += 1
                top = y + (n - 1 - row + quiet) * cell
                path.rect(x + (start + quiet) * cell, top, (col - start) * cell, cell)
            else:
                col += 1
    c.setFillColor(colors.black)
    c.drawPath(path, stroke=0, fill=1)


def draw_certificate(
    c: Canvas,
    snap: CertificateSnapshot,
    verify_url: str,
    logo: bytes | None = None,
    signature: bytes | None = None,
) -> None:
    """Draw the certificate front page (and a second page listing the skills) on `c`."""
    register_fonts()
    w, h = PAGE
    _border(c)
    if logo:
        c.drawImage(
            ImageReader(io.BytesIO(logo)),
            22 * mm,
            h - 45 * mm,
            24 * mm,
            24 * mm,
            preserveAspectRatio=True,
            mask="auto",
        )
    _centred(c, snap.signatory.office.upper(), h - 30 * mm, SANS_BOLD, 12, GREEN, width=w - 110 * mm)
    _centred(c, "TANDA KECAKAPAN KADER", h - 48 * mm, SERIF_BOLD, 30, INK)
    _centred(c, "Kader Posyandu · Integrasi Layanan Primer", h - 56 * mm, SANS, 11, GREEN)
    _centred(c, "diberikan kepada", h - 70 * mm, SERIF, 12)
    _centred(c, snap.kader_name, h - 84 * mm, SERIF_BOLD, 28, INK, width=w - 60 * mm)
    _centred(c, f"NIK {snap.nik_masked}", h - 91 * mm, SANS, 9, colors.HexColor("#4f5b57"))
    posyandu = snap.posyandu if snap.posyandu.lower().startswith("posyandu") else f"Posyandu {snap.posyandu}"
    place = (
        f"Kader {posyandu}, Desa/Kelurahan {snap.desa}, Kecamatan {snap.kecamatan}, "
        f"{snap.kabupaten}, {snap.provinsi}"
    )
    for i, line in enumerate(_wrap(place, SANS, 10.5, w - 80 * mm)[:2]):
        _centred(c, line, h - 101 * mm - i * 5 * mm, SANS, 10.5)
    _centred(
        c,
        "telah menguasai keterampilan dasar kader dan dinyatakan cakap pada tingkat",
        h - 114 * mm,
        SERIF,
        12,
    )
    colour = LEVEL_COLOURS.get(snap.level_code, GREEN)
    c.setFillColor(colour)
    c.roundRect(w / 2 - 55 * mm, h - 136 * mm, 110 * mm, 17 * mm, 4 * mm, stroke=0, fill=1)
    _centred(c, snap.level_name.upper(), h - 131 * mm, SERIF_BOLD, 26, colors.white)

    # skills by area, compact: area title and the skill codes mastered
    c.setFont(SANS, 8.5)
    c.setFillColor(INK)
    lines = [f"{a.title}: {', '.join(s.code for s in a.skills)}" for a in snap.areas if a.skills]
    y = h - 144 * mm
    for line in lines:
        _centred(c, line, y, SANS, 8.5, width=w - 200 * mm)  # clear of the QR and signature blocks
        y -= 4.2 * mm

    # bottom band: QR + verification, number and date, signatory
    base = 22 * mm
    _qr(c, verify_url, 22 * mm, base, 30 * mm)
    c.setFont(SANS, 7.5)
    c.setFillColor(INK)
    c.drawString(55 * mm, base + 22 * mm, "Periksa keaslian:")
    c.setFont(SANS_BOLD, 7.5)
    c.drawString(55 * mm, base + 18 * mm, verify_url[:70])
    c.setFont(SANS, 7.5)
    c.drawString(55 * mm, base + 14 * mm, f"Kode verifikasi: {snap.verification_code}")
    c.setFont(SANS, 9)
    c.drawString(55 * mm, base + 6 * mm, f"Nomor: {snap.number}")
    c.drawString(55 * mm, base + 1.5 * mm, f"Tanggal: {tanggal(snap.issued_on)}")
    if snap.replaces:
        c.setFont(SANS, 7)
        c.drawString(55 * mm, base - 3 * mm, f"Menggantikan sertifikat {snap.replaces}")

    sx = w - 95 * mm
    c.setFont(SANS, 10)
    c.drawCentredString(sx + 35 * mm, base + 40 * mm, f"{snap.signatory.place}, {tanggal(snap.issued_on)}")
    for i, line in enumerate(_wrap(snap.signatory.title, SANS, 10, 75 * mm)[:2]):
        c.drawCentredString(sx + 35 * mm, base + 35 * mm - i * 4.5 * mm, line)
    if signature:
        c.drawImage(
            ImageReader(io.BytesIO(signature)),
            sx + 15 * mm,
            base + 9 * mm,
            40 * mm,
            18 * mm,
            preserveAspectRatio=True,
            mask="auto",
        )
    name_size = _fit(snap.signatory.name, SANS_BOLD, 11, 75 * mm)
    c.setFont(SANS_BOLD, name_size)
    c.drawCentredString(sx + 35 * mm, base + 5 * mm, snap.signatory.name)
    nw = stringWidth(snap.signatory.name, SANS_BOLD, name_size)
    c.setLineWidth(0.6)
    c.line(sx + 35 * mm - nw / 2, base + 4 * mm, sx + 35 * mm + nw / 2, base + 4 * mm)
    c.setFont(SANS, 9.5)
    c.drawCentredString(sx + 35 * mm, base, f"NIP. {snap.signatory.nip}")
    c.showPage()
    _skills_page(c, snap)


def _skills_page(c: Canvas, snap: CertificateSnapshot) -> None:
    w, h = PAGE
    _border(c)
    _centred(c, "Keterampilan dasar kader yang dikuasai", h - 30 * mm, SERIF_BOLD, 18)
    _centred(c, f"{snap.kader_name} · {snap.number}", h - 38 * mm, SANS, 10, GREEN, width=w - 60 * mm)
    columns = [(24 * mm, h - 52 * mm), (w / 2 + 4 * mm, h - 52 * mm)]
    col, (x, y) = 0, columns[0]
    width = w / 2 - 30 * mm
    for area in snap.areas:
        needed = (
            (2 + sum(len(_wrap(f"{s.code} {s.title}", SANS, 9, width - 4 * mm)) for s in area.skills))
            * 4.6
            * mm
        )
        if y - needed < 22 * mm and col == 0:
            col, (x, y) = 1, columns[1]
        c.setFont(SANS_BOLD, 10.5)
        c.setFillColor(GREEN)
        c.drawString(x, y, f"{area.title} ({area.code})")
        y -= 5.5 * mm
        c.setFillColor(INK)
        for skill in area.skills:
            for i, line in enumerate(_wrap(f"{skill.code} {skill.title}", SANS, 9, width - 4 * mm)):
                c.setFont(SANS, 9)
                c.drawString(x + (4 * mm if i else 0), y, line)
                y -= 4.4 * mm
        y -= 3 * mm
    c.setFont(SANS, 7.5)
    c.setFillColor(colors.HexColor("#4f5b57"))
    c.drawString(
        24 * mm, 18 * mm, f"Kurikulum {snap.curriculum_version} · Kode verifikasi {snap.verification_code}"
    )
    c.showPage()


ImageLookup = Callable[[CertificateSnapshot], tuple[bytes | None, bytes | None]]


def render_certificates_with_sheet(
    sheet: tuple[str, str, list[tuple[str, str, str, str]]] | None,
    items: Iterable[tuple[CertificateSnapshot, str]],
    out: io.BufferedIOBase | None = None,
    images: ImageLookup | None = None,
    title: str = "Tanda Kecakapan Kader",
) -> bytes | None:
    """Render certificates into one PDF, after an optional roster sheet; with `out`, write
    there and return None. `images` gives each certificate's logo and signature image."""
    target = out if out is not None else io.BytesIO()
    c = Canvas(target, pagesize=PAGE, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("Kader Cakap")
    if sheet is not None:
        draw_roster_sheet(c, *sheet)
    for snap, url in items:
        logo, signature = images(snap) if images else (None, None)
        draw_certificate(c, snap, url, logo, signature)
    c.save()
    return None if out is not None else target.getvalue()  # type: ignore[union-attr]


def render_certificates(
    items: Iterable[tuple[CertificateSnapshot, str]],
    out: io.BufferedIOBase | None = None,
    images: ImageLookup | None = None,
    title: str = "Tanda Kecakapan Kader",
) -> bytes | None:
    """Render one or many certificates into one PDF. With `out`, write there and return None."""
    return render_certificates_with_sheet(None, items, out=out, images=images, title=title)


def draw_roster_sheet(c: Canvas, title: str, subtitle: str, rows: list[tuple[str, str, str, str]]) -> None:
    """A cover sheet for a Posyandu batch: every kader on the roster with role, level and number."""
    register_fonts()
    w, h = PAGE
    per_page = 22
    chunks = [rows[i : i + per_page] for i in range(0, len(rows), per_page)] or [[]]
    for page_no, chunk in enumerate(chunks, start=1):
        _centred(c, title, h - 22 * mm, SERIF_BOLD, 16)
        _centred(c, subtitle, h - 29 * mm, SANS, 10, GREEN, width=w - 40 * mm)
        x = [20 * mm, 30 * mm, 125 * mm, 165 * mm, 200 * mm]
        y = h - 42 * mm
        c.setFont(SANS_BOLD, 9.5)
        c.setFillColor(INK)
        for col, label in zip(x, ("No", "Nama kader", "Peran", "Tingkat", "Nomor sertifikat"), strict=True):
            c.drawString(col, y, label)
        c.setStrokeColor(GREEN)
        c.line(20 * mm, y - 2 * mm, w - 20 * mm, y - 2 * mm)
        c.setFont(SANS, 9.5)
        for n, (name, role, level, number) in enumerate(chunk, start=(page_no - 1) * per_page + 1):
            y -= 6.5 * mm
            c.drawString(x[0], y, str(n))
            c.drawString(x[1], y, name[:60])
            c.drawString(x[2], y, role)
            c.drawString(x[3], y, level or "–")
            c.drawString(x[4], y, number or "–")
        c.setFont(SANS, 8)
        c.drawString(20 * mm, 12 * mm, f"{page_no}/{len(chunks)}")
        c.showPage()
