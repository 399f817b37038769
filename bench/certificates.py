"""Benchmark: render 1,000 certificates into one merged PDF with reportlab on one core, and the
same certificate with WeasyPrint (HTML to PDF) for comparison, in the same run.

Usage: .venv/bin/pip install -r bench/requirements.txt && .venv/bin/python bench/certificates.py [--count 1000]
Prints certificates per CPU second (time.process_time of the rendering child, pinned to one core,
so a busy machine does not change the figure much), the wall-clock rate beside it, peak memory
(RSS) of the rendering process, whether reportlab runs its C accelerators (rl_accel), and the
speed ratio to WeasyPrint. `--images` adds a logo and a signature image to every reportlab
certificate, as issued certificates carry them (the WeasyPrint page has none either way).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.certificates.document import AreaSkills, CertificateSnapshot, Signatory, SkillLine

AREAS = {
    "PP": ("Pengelolaan Posyandu", 4),
    "BB": ("Bayi dan Balita", 9),
    "IH": ("Ibu Hamil dan Menyusui", 4),
    "UR": ("Usia Sekolah dan Remaja", 3),
    "DL": ("Usia Dewasa dan Lansia", 5),
}
NAMES = [
    "Siti Aminah",
    "Sri Wahyuni",
    "Cut Nurul Aini",
    "Dwi Lestari",
    "Nur’aini Rahmawati",
    "Tarsih Casriah",
]


def snapshot(i: int) -> CertificateSnapshot:
    n, areas = 1, []
    for code, (title, count) in AREAS.items():
        skills = tuple(
            SkillLine(f"K{n + k:02d}", f"Keterampilan dasar kader nomor {n + k} bidang {title}")
            for k in range(count)
        )
        n += count
        areas.append(AreaSkills(code, title, skills))
    return CertificateSnapshot(
        number=f"TKK/UTAMA/3329/2026/{i + 1:06d}",
        verification_code="7F3K-Q9XW-2MRT-H8LP",
        level_code="utama",
        level_name="Utama",
        kader_name=f"{NAMES[i % len(NAMES)]} {i}",
        nik_masked="3329********0001",
        posyandu="Posyandu Melati 1",
        desa="Cilibur",
        kecamatan="Paguyangan",
        kabupaten="Kabupaten Brebes",
        provinsi="Jawa Tengah",
        issued_on=date(2026, 11, 22),
        areas=tuple(areas),
        signatory=Signatory(
            "Dinas Kesehatan Kabupaten Brebes",
            "dr. Kepala Dinas, M.Kes.",
            "Kepala Dinas Kesehatan Kabupaten Brebes",
            "197001011998032001",
            "Brebes",
        ),
        curriculum_version="2026.1",
    )


def sample_images() -> tuple[bytes, bytes]:
    """A 600 px logo and a 900x400 px signature scan (PNG with transparency), as uploaded."""
    from PIL import Image, ImageDraw

    def png(size: tuple[int, int], colour: tuple[int, int, int, int]) -> bytes:
        image = Image.new("RGBA", size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        draw.ellipse((8, 8, size[0] - 8, size[1] - 8), fill=colour)
        draw.line((0, size[1] - 1, size[0] - 1, 0), fill=(0, 0, 0, 255), width=9)
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return buffer.getvalue()

    return png((600, 600), (11, 110, 79, 255)), png((900, 400), (20, 20, 120, 255))


def accelerated() -> str:
    """Which of reportlab's accelerated functions run in C (rl_accel) rather than Python."""
    from reportlab.lib import rl_accel

    native = [name for name in rl_accel.__all__ if name in rl_accel._c_funcs]
    return f"{len(native)}/{len(rl_accel.__all__)} functions in C"


def finish(started_wall: float, started_cpu: float, out: str, **extra) -> None:
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started_wall,
                "cpu_seconds": time.process_time() - started_cpu,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "bytes": os.path.getsize(out),
                **extra,
            }
        )
    )


def child_reportlab(count: int, out: str, with_images: bool) -> None:
    from app.certificates.pdf import render_certificates

    os.sched_setaffinity(0, {0})
    pictures = sample_images() if with_images else (None, None)
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    with open(out, "wb") as fh:
        render_certificates(
            ((snapshot(i), f"https://kadercakap.example/v/7F3KQ9XW2MRTH8LP{i}") for i in range(count)),
            out=fh,
            images=lambda _snap: pictures,
        )
    finish(started_wall, started_cpu, out, accelerated=accelerated())


HTML = """<!doctype html><html lang="id"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 10mm }} body {{ font-family: 'DejaVu Serif'; text-align: center; }}
.box {{ border: 3px solid #0b6e4f; outline: 1px solid #b08d2f; height: 180mm; padding: 8mm; }}
h1 {{ font-size: 30pt; margin: 4mm 0 }} .name {{ font-size: 28pt; font-weight: bold }}
.level {{ background: #7a1f2b; color: white; font-size: 26pt; width: 110mm; margin: 4mm auto; border-radius: 4mm }}
.small {{ font-family: 'DejaVu Sans'; font-size: 8.5pt }} .qr {{ position: absolute; left: 22mm; bottom: 22mm }}
</style></head><body><div class="box"><div class="small">{office}</div><h1>TANDA KECAKAPAN KADER</h1>
<p>diberikan kepada</p><div class="name">{name}</div><p class="small">NIK {nik}</p><p>{place}</p>
<p>telah menguasai keterampilan dasar kader dan dinyatakan cakap pada tingkat</p><div class="level">{level}</div>
{areas}<div class="qr">{qr}</div><p class="small">Nomor: {number}</p></div>
<div style="page-break-before: always"><h2>Keterampilan dasar kader yang dikuasai</h2>{skills}</div></body></html>"""


def qr_svg(text: str) -> str:
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

    code = QRCode(4, QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    n = code.getModuleCount()
    cells = "".join(
        f'<rect x="{c}" y="{r}" width="1" height="1"/>'
        for r in range(n)
        for c in range(n)
        if code.isDark(r, c)
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="30mm" height="30mm">{cells}</svg>'


def child_weasyprint(count: int, out: str) -> None:
    import weasyprint

    os.sched_setaffinity(0, {0})
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    pages = []
    for i in range(count):
        s = snapshot(i)
        html = HTML.format(
            office=s.signatory.office,
            name=s.kader_name,
            nik=s.nik_masked,
            place=f"Kader {s.posyandu}, {s.desa}, {s.kecamatan}, {s.kabupaten}",
            level=s.level_name,
            areas="".join(
                f'<p class="small">{a.title}: {", ".join(k.code for k in a.skills)}</p>' for a in s.areas
            ),
            qr=qr_svg(f"https://kadercakap.example/v/{i}"),
            number=s.number,
            skills="".join(f"<p>{k.code} {k.title}</p>" for a in s.areas for k in a.skills),
        )
        pages.append(weasyprint.HTML(string=html).render())
    pages[0].copy([p for doc in pages for p in doc.pages]).write_pdf(out)
    finish(started_wall, started_cpu, out)


def run_child(kind: str, count: int, with_images: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        flags = ["--count", str(count), "--out", f"{tmp}/out.pdf"] + (["--images"] if with_images else [])
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind, *flags],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--weasy-count", type=int, default=50)
    parser.add_argument("--images", action="store_true", help="a logo and a signature on every certificate")
    parser.add_argument("--child")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child == "reportlab":
        return child_reportlab(args.count, args.out, args.images)
    if args.child == "weasyprint":
        return child_weasyprint(args.count, args.out)
    rl = run_child("reportlab", args.count, args.images)
    rate = args.count / rl["cpu_seconds"]
    print(
        f"reportlab: {args.count} certificates ({2 * args.count} pages{', with images' if args.images else ''}) "
        f"in {rl['cpu_seconds']:.2f} CPU s = {rate:.0f} per CPU second on one core "
        f"(wall {rl['seconds']:.2f} s = {args.count / rl['seconds']:.0f}/s), "
        f"peak RSS {rl['peak_rss_mb']:.0f} MB, {rl['bytes'] / 1e6:.1f} MB PDF; rl_accel: {rl['accelerated']}"
    )
    try:
        wp = run_child("weasyprint", args.weasy_count)
    except subprocess.CalledProcessError as exc:
        print(f"weasyprint: not available ({exc.stderr.strip().splitlines()[-1] if exc.stderr else exc})")
        return None
    wrate = args.weasy_count / wp["cpu_seconds"]
    print(
        f"weasyprint: {args.weasy_count} certificates in {wp['cpu_seconds']:.1f} CPU s = {wrate:.1f} per CPU second "
        f"(wall {wp['seconds']:.1f} s), peak RSS {wp['peak_rss_mb']:.0f} MB; "
        f"reportlab is {rate / wrate:.0f}x faster per CPU second in this run"
    )
    return None


if __name__ == "__main__":
    main()
