"""Certificate PDF (reportlab): A4 landscape, embedded fonts, QR code to the verification page.

Rendered from a CertificateSnapshot only. The certificate is an official Indonesian document,
so its text is Indonesian whatever the user's interface language.

Batches run to thousands of pages, so what is the same on every certificate is done once per
batch (`Batch`): text widths and wrapped lines are memoised, the frame and each logo or
signature image become form XObjects drawn by reference, and the QR code is built on a
per-version template with a fixed mask instead of reportlab's 8-mask search.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.certificates.document import CertificateSnapshot
from app.certificates.qr import draw_qr
from app.core.pdf_fonts import SANS, SANS_BOLD, SERIF, SERIF_BOLD, register_fonts
from app.curriculum.levels import DEFAULT_COLOUR, DEFAULT_WORDING

PAGE = landscape(A4)
GREEN = colors.HexColor("#0b6e4f")
GOLD = colors.HexColor("#b08d2f")
INK = colors.HexColor("#1c2421")
GREY = colors.HexColor("#4f5b57")
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
FRAME_FORM = "kcFrame"


def tanggal(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# --- what a batch shares --------------------------------------------------------------------
class Batch:
    """Per-document memo: text widths, wrapped lines, and the image forms drawn so far.

    Widths depend only on text, font and size, so the memo is exact. A whole-kabupaten batch adds
    a few names per certificate, so the memo starts afresh past MEMO_LIMIT entries."""

    MEMO_LIMIT = 20_000

    def __init__(self) -> None:
        self._widths: dict[tuple[str, str, float], float] = {}
        self._lines: dict[tuple[str, str, float, float], list[str]] = {}
        self._images: dict[tuple[bytes, float, float, float, float], str] = {}

    def width(self, text: str, font: str, size: float) -> float:
        key = (text, font, size)
        found = self._widths.get(key)
        if found is None:
            if len(self._widths) >= self.MEMO_LIMIT:
                self._widths.clear()
            found = self._widths[key] = stringWidth(text, font, size)
        return found

    def fit(self, text: str, font: str, size: float, width: float, minimum: float = 10) -> float:
        while size > minimum and self.width(text, font, size) > width:
            size -= 0.5
        return size

    def wrap(self, text: str, font: str, size: float, width: float) -> list[str]:
        key = (text, font, size, width)
        found = self._lines.get(key)
        if found is None:
            if len(self._lines) >= self.MEMO_LIMIT:
                self._lines.clear()
            found = self._lines[key] = self._wrap(text, font, size, width)
        return found

    def _wrap(self, text: str, font: str, size: float, width: float) -> list[str]:
        lines: list[str] = []
        line = ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if self.width(trial, font, size) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
        return lines

    def centred(
        self, c: Canvas, text: str, y: float, font: str, size: float, colour=INK, width: float | None = None
    ) -> None:
        if width:
            size = self.fit(text, font, size, width)
        c.setFont(font, size)
        c.setFillColor(colour)
        self.centred_here(c, PAGE[0] / 2, y, text, font, size)

    def centred_here(self, c: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
        """drawCentredString with the width taken from the memo (font and size already set)."""
        c.drawString(x - 0.5 * self.width(text, font, size), y, text)

    def frame(self, c: Canvas) -> None:
        if not c.hasForm(FRAME_FORM):
            c.beginForm(FRAME_FORM)
            _border(c)
            c.endForm()
        c.doForm(FRAME_FORM)

    def image(self, c: Canvas, data: bytes, x: float, y: float, width: float, height: float) -> None:
        """An image placed in a box, decoded and drawn once per batch, then referenced."""
        key = (data, x, y, width, height)
        name = self._images.setdefault(key, f"kcImage{len(self._images)}")
        if not c.hasForm(name):
            c.beginForm(name)
            c.drawImage(
                ImageReader(io.BytesIO(data)), x, y, width, height, preserveAspectRatio=True, mask="auto"
            )
            c.endForm()
        c.doForm(name)


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


def draw_certificate(
    c: Canvas,
    snap: CertificateSnapshot,
    verify_url: str,
    logo: bytes | None = None,
    signature: bytes | None = None,
    batch: Batch | None = None,
) -> None:
    """Draw the certificate front page (and a second page listing the skills) on `c`.

    Pass the same `batch` for every certificate of one canvas to share its memo and forms."""
    register_fonts()
    b = batch or Batch()
    w, h = PAGE
    b.frame(c)
    if logo:
        b.image(c, logo, 22 * mm, h - 45 * mm, 24 * mm, 24 * mm)
    b.centred(c, snap.signatory.office.upper(), h - 30 * mm, SANS_BOLD, 12, GREEN, width=w - 110 * mm)
    b.centred(c, "TANDA KECAKAPAN KADER", h - 48 * mm, SERIF_BOLD, 30, INK)
    b.centred(c, "Kader Posyandu · Integrasi Layanan Primer", h - 56 * mm, SANS, 11, GREEN)
    b.centred(c, "diberikan kepada", h - 70 * mm, SERIF, 12)
    b.centred(c, snap.kader_name, h - 84 * mm, SERIF_BOLD, 28, INK, width=w - 60 * mm)
    b.centred(c, f"NIK {snap.nik_masked}", h - 91 * mm, SANS, 9, GREY)
    posyandu = snap.posyandu if snap.posyandu.lower().startswith("posyandu") else f"Posyandu {snap.posyandu}"
    place = (
        f"Kader {posyandu}, Desa/Kelurahan {snap.desa}, Kecamatan {snap.kecamatan}, "
        f"{snap.kabupaten}, {snap.provinsi}"
    )
    for i, line in enumerate(b.wrap(place, SANS, 10.5, w - 80 * mm)[:2]):
        b.centred(c, line, h - 101 * mm - i * 5 * mm, SANS, 10.5)
    # The level's wording and colour are curriculum data, kept in the snapshot.
    b.centred(c, snap.level_wording or DEFAULT_WORDING, h - 114 * mm, SERIF, 12, width=w - 60 * mm)
    c.setFillColor(colors.HexColor(snap.level_colour or DEFAULT_COLOUR))
    c.roundRect(w / 2 - 55 * mm, h - 136 * mm, 110 * mm, 17 * mm, 4 * mm, stroke=0, fill=1)
    b.centred(c, snap.level_name.upper(), h - 131 * mm, SERIF_BOLD, 26, colors.white)

    # skills by area, compact: area title and the skill codes mastered
    c.setFont(SANS, 8.5)
    c.setFillColor(INK)
    lines = [f"{a.title}: {', '.join(s.code for s in a.skills)}" for a in snap.areas if a.skills]
    y = h - 144 * mm
    for line in lines:
        b.centred(c, line, y, SANS, 8.5, width=w - 200 * mm)  # clear of the QR and signature blocks
        y -= 4.2 * mm

    # bottom band: QR + verification, number and date, signatory
    base = 22 * mm
    draw_qr(c, verify_url, 22 * mm, base, 30 * mm)
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
    b.centred_here(
        c, sx + 35 * mm, base + 40 * mm, f"{snap.signatory.place}, {tanggal(snap.issued_on)}", SANS, 10
    )
    for i, line in enumerate(b.wrap(snap.signatory.title, SANS, 10, 75 * mm)[:2]):
        b.centred_here(c, sx + 35 * mm, base + 35 * mm - i * 4.5 * mm, line, SANS, 10)
    if signature:
        b.image(c, signature, sx + 15 * mm, base + 9 * mm, 40 * mm, 18 * mm)
    name_size = b.fit(snap.signatory.name, SANS_BOLD, 11, 75 * mm)
    c.setFont(SANS_BOLD, name_size)
    b.centred_here(c, sx + 35 * mm, base + 5 * mm, snap.signatory.name, SANS_BOLD, name_size)
    nw = b.width(snap.signatory.name, SANS_BOLD, name_size)
    c.setStrokeColor(GOLD)  # as the frame left it when it was drawn in the page itself
    c.setLineWidth(0.6)
    c.line(sx + 35 * mm - nw / 2, base + 4 * mm, sx + 35 * mm + nw / 2, base + 4 * mm)
    c.setFont(SANS, 9.5)
    b.centred_here(c, sx + 35 * mm, base, f"NIP. {snap.signatory.nip}", SANS, 9.5)
    c.showPage()
    _skills_page(c, snap, b)


def _skills_page(c: Canvas, snap: CertificateSnapshot, b: Batch) -> None:
    w, h = PAGE
    b.frame(c)
    b.centred(c, "Keterampilan dasar kader yang dikuasai", h - 30 * mm, SERIF_BOLD, 18)
    b.centred(c, f"{snap.kader_name} · {snap.number}", h - 38 * mm, SANS, 10, GREEN, width=w - 60 * mm)
    columns = [(24 * mm, h - 52 * mm), (w / 2 + 4 * mm, h - 52 * mm)]
    col, (x, y) = 0, columns[0]
    width = w / 2 - 30 * mm
    for area in snap.areas:
        wrapped = [b.wrap(f"{s.code} {s.title}", SANS, 9, width - 4 * mm) for s in area.skills]
        needed = (2 + sum(len(lines) for lines in wrapped)) * 4.6 * mm
        if y - needed < 22 * mm and col == 0:
            col, (x, y) = 1, columns[1]
        c.setFont(SANS_BOLD, 10.5)
        c.setFillColor(GREEN)
        c.drawString(x, y, f"{area.title} ({area.code})")
        y -= 5.5 * mm
        c.setFillColor(INK)
        c.setFont(SANS, 9)
        for lines in wrapped:
            for i, line in enumerate(lines):
                c.drawString(x + (4 * mm if i else 0), y, line)
                y -= 4.4 * mm
        y -= 3 * mm
    c.setFont(SANS, 7.5)
    c.setFillColor(GREY)
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
    register_fonts()
    target = out if out is not None else io.BytesIO()
    c = Canvas(target, pagesize=PAGE, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("Kader Cakap")
    batch = Batch()
    if sheet is not None:
        draw_roster_sheet(c, *sheet, batch=batch)
    for snap, url in items:
        logo, signature = images(snap) if images else (None, None)
        draw_certificate(c, snap, url, logo, signature, batch=batch)
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


def draw_roster_sheet(
    c: Canvas,
    title: str,
    subtitle: str,
    rows: list[tuple[str, str, str, str]],
    batch: Batch | None = None,
) -> None:
    """A cover sheet for a Posyandu batch: every kader on the roster with role, level and number."""
    register_fonts()
    b = batch or Batch()
    w, h = PAGE
    per_page = 22
    chunks = [rows[i : i + per_page] for i in range(0, len(rows), per_page)] or [[]]
    for page_no, chunk in enumerate(chunks, start=1):
        b.centred(c, title, h - 22 * mm, SERIF_BOLD, 16)
        b.centred(c, subtitle, h - 29 * mm, SANS, 10, GREEN, width=w - 40 * mm)
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
