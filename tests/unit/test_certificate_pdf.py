"""The certificate PDF renderer: QR codes that scan, the text a reader checks, batches equal to singles."""

import dataclasses
import io
import random
from datetime import date

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from reportlab.graphics.barcode.qrencoder import QR8bitByte, QRCode, QRErrorCorrectLevel

from app.certificates.document import AreaSkills, CertificateSnapshot, Signatory, SkillLine
from app.certificates.pdf import render_certificates
from app.certificates.qr import QR_MASK, qr_matrix

SNAP = CertificateSnapshot(
    number="TKK/MADYA/3329/2026/000042",
    verification_code="7F3KQ9XW2MRTH8LP",
    level_code="madya",
    level_name="Madya",
    kader_name="Siti Nur’aini",
    nik_masked="3329********0001",
    posyandu="Melati 1",
    desa="Cilibur",
    kecamatan="Paguyangan",
    kabupaten="Kabupaten Brebes",
    provinsi="Jawa Tengah",
    issued_on=date(2026, 11, 22),
    areas=(
        AreaSkills("PP", "Pengelolaan Posyandu", (SkillLine("K01", "Menyiapkan hari buka Posyandu"),)),
        AreaSkills(
            "BB",
            "Bayi dan Balita",
            (
                SkillLine("K05", "Menimbang bayi dan balita lalu mencatat hasilnya di buku KIA dengan benar"),
                SkillLine("K06", "Mengukur panjang atau tinggi badan"),
            ),
        ),
    ),
    signatory=Signatory(
        "Dinas Kesehatan Kabupaten Brebes", "dr. Ineke", "Kepala Dinas Kesehatan", "1970", "Brebes"
    ),
    curriculum_version="2026.1",
)


def snapshot(i: int, **changes) -> CertificateSnapshot:
    return dataclasses.replace(
        SNAP, kader_name=f"Kader Nomor {i}", number=f"TKK/MADYA/3329/2026/{i:06d}", **changes
    )


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def scanned(data: bytes, page: int = 0) -> list[str]:
    image = pdfium.PdfDocument(data)[page].render(scale=3).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5000/v/7F3KQ9XW2MRTH8LP",
        "https://kadercakap.example/v/ABCDEFGHJKLMNPQR",
        # a long public address: a larger QR version, with version information blocks
        "https://sertifikat-kader.dinas-kesehatan.kabupaten-brebes.jawa-tengah.go.id/layanan/v/ABCDEFGHJKLMNPQR",
    ],
)
def test_qr_on_the_certificate_scans_to_its_verification_url(url):
    data = render_certificates([(SNAP, url)])
    assert scanned(data) == [url]


def test_qr_modules_match_reportlabs_encoder_with_the_same_mask():
    """The fast encoder places exactly the modules reportlab's reference encoder does."""
    rng = random.Random(7)
    for length in [*range(0, 140, 3), 300, 700]:
        text = "".join(rng.choice("abcdefghijkXYZ0123456789/:.-é") for _ in range(length))
        reference = QRCode(None, QRErrorCorrectLevel.M)
        reference.addData(QR8bitByte(text))
        reference.version = reference.calculate_version()
        reference.makeImpl(False, QR_MASK)
        assert qr_matrix(text) == reference.modules, (length, reference.version)


def test_pdf_text_holds_name_number_level_and_skills():
    front, skills = page_texts(render_certificates([(SNAP, "https://kc.example/v/7F3KQ9XW2MRTH8LP")]))
    for expected in (
        "Siti Nur’aini",
        "TKK/MADYA/3329/2026/000042",
        "MADYA",
        "Posyandu Melati 1",
        "Pengelolaan Posyandu: K01",
        "Bayi dan Balita: K05, K06",
    ):
        assert expected in front
    assert "Siti Nur’aini" in skills and "TKK/MADYA/3329/2026/000042" in skills
    assert "K01 Menyiapkan hari buka Posyandu" in skills
    assert "K06 Mengukur panjang atau tinggi badan" in skills
    long_title = "K05 Menimbang bayi dan balita lalu mencatat hasilnya di buku KIA dengan benar"
    assert long_title not in skills and long_title in " ".join(skills.split())  # wrapped, every word kept


def test_batch_renders_the_same_pages_as_single_certificates():
    items = [(snapshot(i), f"https://kc.example/v/CODE{i:012d}") for i in range(1, 5)]
    batch = render_certificates(items)
    singles = [text for item in items for text in page_texts(render_certificates([item]))]
    assert page_texts(batch) == singles
    assert len(singles) == 8 and all(f"Kader Nomor {i}" in singles[2 * i - 2] for i in range(1, 5))
    assert [scanned(batch, page)[0] for page in (0, 2, 4, 6)] == [url for _, url in items]


def png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def image_ids(resources, found: set[int]) -> set[int]:
    """Object numbers of the images a page shows, directly or through form XObjects."""
    for ref in (resources or {}).get("/XObject", {}).values():
        obj = ref.get_object()
        if obj["/Subtype"] == "/Image":
            found.add(ref.idnum)
        elif obj["/Subtype"] == "/Form":
            image_ids(obj.get("/Resources"), found)
    return found


def test_batch_embeds_each_image_once_and_writes_binary_streams():
    logo, signature = png((60, 60), (11, 110, 79)), png((90, 40), (20, 20, 120))
    items = [(snapshot(i), f"https://kc.example/v/CODE{i:012d}") for i in range(1, 4)]
    data = render_certificates(items, images=lambda _snap: (logo, signature))
    per_page = [image_ids(page["/Resources"], set()) for page in PdfReader(io.BytesIO(data)).pages]
    assert [len(ids) for ids in per_page] == [2, 0, 2, 0, 2, 0]  # logo and signature on every front page
    assert per_page[0] == per_page[2] == per_page[4]  # the same two image objects, embedded once
    assert b"ASCII85Decode" not in data


def test_reportlab_runs_its_c_accelerators():
    """rl_accel (pinned in requirements.txt) is what makes number formatting and text widths fast."""
    from reportlab.lib import rl_accel

    assert set(rl_accel.__all__) <= set(rl_accel._c_funcs)
