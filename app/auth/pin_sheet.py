"""The printed sheet of initial PINs handed to kader (reportlab, embedded fonts)."""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.auth.accounts import IssuedPin
from app.core.pdf_fonts import SANS, SANS_BOLD, register_fonts


def render_pin_sheet(
    title: str, subtitle: str, pins: list[IssuedPin], login_url: str, texts: dict[str, str], issued_on: date
) -> bytes:
    """A4 sheet: one row per kader with username and PIN, and how to sign in.

    `texts` carries the translated labels; every value is escaped (reportlab reads markup).
    """
    register_fonts()
    body = ParagraphStyle("body", fontName=SANS, fontSize=10, leading=13)
    head = ParagraphStyle("head", fontName=SANS_BOLD, fontSize=15, leading=19, spaceAfter=2 * mm)
    cell = ParagraphStyle("cell", fontName=SANS, fontSize=10, leading=12)
    pin_style = ParagraphStyle("pin", fontName=SANS_BOLD, fontSize=13, leading=15)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="Kader Cakap",
    )
    story = [
        Paragraph(escape(title), head),
        Paragraph(escape(subtitle), body),
        Paragraph(escape(texts["date"] + ": " + issued_on.isoformat()), body),
        Spacer(1, 4 * mm),
        Paragraph(escape(texts["how"].replace("{url}", login_url)), body),
        Spacer(1, 5 * mm),
    ]
    rows = [[Paragraph(escape(texts[k]), cell) for k in ("no", "name", "username", "pin")]]
    for n, p in enumerate(pins, start=1):
        rows.append(
            [
                Paragraph(str(n), cell),
                Paragraph(escape(p.kader_name), cell),
                Paragraph(escape(p.username), cell),
                Paragraph(escape(p.pin), pin_style),
            ]
        )
    table = Table(rows, colWidths=[10 * mm, 70 * mm, 55 * mm, 30 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3efe9")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7c8a85")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
            ]
        )
    )
    story += [table, Spacer(1, 6 * mm), Paragraph(escape(texts["warning"]), body)]
    doc.build(story)
    return out.getvalue()
