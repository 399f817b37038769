"""District printing and the kader export as background jobs: the file, progress seen by other
pages while the job runs, one job per district, scope, CSRF and audit; in-process and on RQ."""

from __future__ import annotations

import io
import os
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.core.audit import AuditLog
from app.core.models import utcnow
from app.extensions import db
from app.jobs import queue, storage
from app.jobs.models import Job
from tests.conftest import csrf_token, login
from tests.factories import job_row, only_job

REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def start_print(client, kecamatan: str = ""):
    token = csrf_token(client, "/sertifikat/")
    return client.post("/tugas/cetak-sertifikat", data={"csrf_token": token, "kecamatan": kecamatan})


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def job_id_of(response) -> int:
    match = re.fullmatch(r"/tugas/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def test_district_print_in_process_reports_progress_and_keeps_the_pdf(app, certified, progress_spy):
    client = app.test_client()
    login(client, "dinkes.brebes")
    progress_spy.pause_at = 1  # hold the worker thread after the first certificate
    response = start_print(client)
    assert response.status_code == 302
    job_id = job_id_of(response)
    assert progress_spy.reached.wait(30), "the in-process worker never started"
    try:
        # Mid-run, every page sees the progress the worker thread committed.
        status = client.get(f"/tugas/{job_id}.json").get_json()
        assert status == {"status": "running", "done": 1, "total": 3, "percent": 33, "download_url": None}
        page = client.get(f"/tugas/{job_id}").get_data(as_text=True)
        assert "1 dari 3" in page and 'http-equiv="refresh"' in page and "job-progress.js" in page
        # One job per district: a second start shows the running one and starts nothing.
        again = start_print(client, "33.29.04")
        assert job_id_of(again) == job_id
        assert "Masih ada tugas latar yang berjalan" in client.get(f"/tugas/{job_id}").get_data(as_text=True)
        assert db.session.scalar(select(Job.id).where(Job.id != job_id)) is None
    finally:
        progress_spy.resume()
    queue.wait_for_in_process_jobs()

    assert progress_spy.seen == [("running", 0, 3), ("running", 1, 3), ("running", 2, 3), ("running", 3, 3)]
    job = job_row(job_id)
    assert (job.status, job.done, job.total, job.backend, job.error) == ("done", 3, 3, "thread", None)
    page = client.get(f"/tugas/{job_id}").get_data(as_text=True)
    assert "http-equiv" not in page and f"/tugas/{job_id}/unduh/sertifikat-33-29.pdf" in page
    assert client.get(f"/tugas/{job_id}/unduh/kader-33-29.xlsx").status_code == 404  # its own name only
    download = client.get(f"/tugas/{job_id}/unduh/sertifikat-33-29.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert "sertifikat-33-29.pdf" in download.headers["Content-Disposition"]
    pages = pdf_pages(download.get_data())
    # Two pages a certificate, in print order: kecamatan, desa, Posyandu, name. Never a revoked
    # certificate, never another district's.
    assert len(pages) == 6
    names = [n for text in pages[::2] for n in ("Siti Aminah", "Sri Wahyuni", "Dewi Lestari") if n in text]
    assert names == ["Siti Aminah", "Sri Wahyuni", "Dewi Lestari"]
    assert not any("Rina Dicabut" in t or "Cut Nurul Aini" in t for t in pages)


def test_the_start_is_audited_with_who_and_what(app, certified):
    client = app.test_client()
    login(client, "dinkes.brebes")
    start_print(client, "33.29.05")
    queue.wait_for_in_process_jobs()
    job = only_job()
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "job.started"))
    assert entry is not None and entry.object_id == str(job.id) and entry.kabupaten_code == "33.29"
    assert entry.user_id == job.created_by and entry.user_id is not None
    assert entry.after["kind"] == "certificates_print" and entry.after["kecamatan"] == "33.29.05"
    assert "(Dinkes Brebes)" in client.get(f"/tugas/{job.id}").get_data(as_text=True)  # who started it
    pages = pdf_pages(client.get(f"/tugas/{job.id}/unduh/sertifikat-33-29-05.pdf").get_data())
    assert len(pages) == 2 and "Dewi Lestari" in pages[0]  # the kecamatan only


def test_other_district_gets_404_for_the_job_and_its_file(app, certified):
    owner = app.test_client()
    login(owner, "dinkes.brebes")
    job_id = job_id_of(start_print(owner))
    queue.wait_for_in_process_jobs()
    assert job_row(job_id).status == "done"
    other = app.test_client()
    login(other, "dinkes.acehselatan")
    for path in (f"/tugas/{job_id}", f"/tugas/{job_id}.json", f"/tugas/{job_id}/unduh/sertifikat-33-29.pdf"):
        assert other.get(path).status_code == 404, path
    assert f"/tugas/{job_id}" not in other.get("/tugas/").get_data(as_text=True)
    assert f"/tugas/{job_id}" in owner.get("/tugas/").get_data(as_text=True)
    # Nor can it print a kecamatan of Brebes.
    assert start_print(other, "33.29.04").status_code == 404
    assert db.session.scalar(select(Job.id).where(Job.kabupaten_code == "11.01")) is None


def test_start_forms_need_the_csrf_token(app, certified):
    client = app.test_client()
    login(client, "dinkes.brebes")
    assert client.post("/tugas/cetak-sertifikat", data={"kecamatan": ""}).status_code == 400
    assert client.post("/tugas/ekspor-kader").status_code == 400
    assert (
        client.post("/tugas/cetak-sertifikat", data={"csrf_token": "forged", "kecamatan": ""}).status_code
        == 400
    )
    assert db.session.scalar(select(Job.id)) is None


def test_kader_export_job_writes_every_kader_of_the_district(app, certified, progress_spy):
    client = app.test_client()
    login(client, "dinkes.brebes")
    token = csrf_token(client, "/tugas/")
    job_id = job_id_of(client.post("/tugas/ekspor-kader", data={"csrf_token": token}))
    queue.wait_for_in_process_jobs()
    job = job_row(job_id)
    assert (job.status, job.done, job.total) == ("done", 4, 4)
    assert progress_spy.seen[0] == ("running", 0, 4) and progress_spy.seen[-1] == ("running", 4, 4)
    download = client.get(f"/tugas/{job_id}/unduh/kader-33-29.xlsx")
    assert "kader-33-29.xlsx" in download.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(download.get_data())).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("NIK", "Nama") and len(rows) == 5
    assert sorted(r[1] for r in rows[1:]) == ["Dewi Lestari", "Rina Dicabut", "Siti Aminah", "Sri Wahyuni"]
    assert "3329045203850001" in [r[0] for r in rows[1:]]  # dinkes keeps the full NIK


def test_a_district_without_certificates_is_told_so(app, world, synced, signatory, jobs_dir):
    client = app.test_client()
    login(client, "dinkes.acehselatan")
    job_id = job_id_of(start_print(client))
    queue.wait_for_in_process_jobs()
    assert (job_row(job_id).status, job_row(job_id).error) == ("failed", "empty")
    assert "Tidak ada data untuk tugas ini" in client.get(f"/tugas/{job_id}").get_data(as_text=True)
    assert client.get(f"/tugas/{job_id}/unduh/x.pdf").status_code == 302  # no file: back to the job page


def test_a_job_whose_worker_vanished_does_not_block_the_district(app, certified):
    stuck = Job(
        kind="certificates_print", kabupaten_code="33.29", params={}, status="running", backend="thread"
    )
    stuck.heartbeat_at = utcnow() - timedelta(hours=1)
    db.session.add(stuck)
    db.session.commit()
    client = app.test_client()
    login(client, "dinkes.brebes")
    new_id = job_id_of(start_print(client))
    queue.wait_for_in_process_jobs()
    assert new_id != stuck.id
    assert (job_row(stuck.id).status, job_row(stuck.id).error) == ("failed", "abandoned")
    assert job_row(new_id).status == "done"


def test_old_files_are_pruned_and_the_page_says_so(app, certified):
    client = app.test_client()
    login(client, "dinkes.brebes")
    job_id = job_id_of(start_print(client))
    queue.wait_for_in_process_jobs()
    job = job_row(job_id)
    path = storage.file_path(job)
    assert path is not None and path.stat().st_size == job.file_size
    job.finished_at = utcnow() - timedelta(days=30)
    assert storage.prune() == 1
    db.session.commit()
    assert not path.exists()
    assert "sudah dihapus" in client.get(f"/tugas/{job_id}").get_data(as_text=True)


# ---- the same job on RQ, against the local Redis (database 13 belongs to these tests) ----


@pytest.fixture
def redis_queue(app):
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(REDIS_TEST_URL)
    try:
        connection.ping()
    except RedisError as exc:
        if os.environ.get("CI"):
            raise AssertionError(
                f"CI must start Redis for the RQ job tests ({REDIS_TEST_URL}): {exc}"
            ) from exc
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}: {exc}")
    connection.flushdb()
    app.config["REDIS_URL"] = REDIS_TEST_URL
    from flask import current_app

    current_app.config["REDIS_URL"] = REDIS_TEST_URL
    yield queue.rq_queue(connection)
    connection.flushdb()


def run_rq_worker(app, rq_queue) -> None:
    from rq import SimpleWorker

    with app.app_context():  # as `flask jobs worker` runs it
        SimpleWorker([rq_queue], connection=rq_queue.connection).work(burst=True)


def test_district_print_on_rq_reports_progress_and_keeps_the_pdf(app, certified, progress_spy, redis_queue):
    client = app.test_client()
    login(client, "dinkes.brebes")
    job_id = job_id_of(start_print(client, "33.29.04"))
    job = job_row(job_id)
    assert (job.status, job.backend) == ("queued", "rq") and job.queue_job_id
    assert redis_queue.job_ids == [job.queue_job_id]  # on Redis, waiting for a worker
    page = client.get(f"/tugas/{job_id}").get_data(as_text=True)
    assert "Menunggu pekerja antrean" in page and "menunggu giliran" in page

    run_rq_worker(app, redis_queue)

    assert progress_spy.seen == [("running", 0, 2), ("running", 1, 2), ("running", 2, 2)]
    job = job_row(job_id)
    assert (job.status, job.done, job.total, job.error) == ("done", 2, 2, None)
    download_url = client.get(f"/tugas/{job_id}.json").get_json()["download_url"]
    assert download_url == f"/tugas/{job_id}/unduh/sertifikat-33-29-04.pdf"
    download = client.get(download_url)
    assert "sertifikat-33-29-04.pdf" in download.headers["Content-Disposition"]
    pages = pdf_pages(download.get_data())
    assert len(pages) == 4 and "Siti Aminah" in pages[0] and "Sri Wahyuni" in pages[2]
    assert not any("Dewi Lestari" in t or "Rina Dicabut" in t for t in pages)


def test_rq_export_and_one_job_per_district(app, certified, redis_queue):
    client = app.test_client()
    login(client, "dinkes.brebes")
    token = csrf_token(client, "/tugas/")
    first = job_id_of(client.post("/tugas/ekspor-kader", data={"csrf_token": token}))
    assert job_id_of(start_print(client)) == first  # queued counts as active: nothing new queued
    assert len(redis_queue.job_ids) == 1
    run_rq_worker(app, redis_queue)
    assert (job_row(first).status, job_row(first).done) == ("done", 4)
    second = job_id_of(start_print(client))
    assert second != first and job_row(second).status == "queued"


def test_a_queued_job_that_rq_lost_is_retired(app, certified, redis_queue):
    client = app.test_client()
    login(client, "dinkes.brebes")
    lost = job_id_of(start_print(client))
    redis_queue.connection.flushdb()  # Redis restarted without persistence
    assert "gagal" in client.get(f"/tugas/{lost}").get_data(as_text=True)
    assert (job_row(lost).status, job_row(lost).error) == ("failed", "abandoned")
    assert job_id_of(start_print(client)) != lost
