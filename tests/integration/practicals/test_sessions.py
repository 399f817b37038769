"""Assessment sessions, the observation checklist, confirmation, corrections and audit."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditLog
from app.curriculum.models import ChecklistStep, Skill
from app.extensions import db
from app.practicals.models import AssessmentSession, PracticalResult, StepResult
from tests.conftest import csrf_token, login


def step_ids(code):
    skill = db.session.scalar(select(Skill).where(Skill.code == code))
    return [
        s.id
        for s in db.session.scalars(
            select(ChecklistStep).where(ChecklistStep.skill_id == skill.id).order_by(ChecklistStep.position)
        )
    ]


def skill_id(code):
    return db.session.scalar(select(Skill.id).where(Skill.code == code))


def new_session(client, world, codes=("K01", "K03"), when=None, kader=None):
    token = csrf_token(client, "/praktik/baru")
    response = client.post(
        "/praktik/baru",
        data={
            "csrf_token": token,
            "posyandu_id": world.posyandu_brebes.id,
            "session_date": (when or date.today()).isoformat(),
            "skill_ids": [skill_id(c) for c in codes],
        },
    )
    if response.status_code != 302:
        return response, None
    session_id = int(re.search(r"/praktik/(\d+)/peserta", response.location).group(1))
    ids = kader if kader is not None else [world.kader_brebes.id]
    token = csrf_token(client, f"/praktik/{session_id}/peserta")
    client.post(f"/praktik/{session_id}/peserta", data={"csrf_token": token, "kader_ids": ids})
    return response, session_id


def observe_url(session_id, world, code="K01"):
    return f"/praktik/{session_id}/nilai/{world.kader_brebes.id}/{code}"


def post_ticks(client, url, ticks, action="save", **extra):
    token = csrf_token(client, url)
    data = {
        "csrf_token": token,
        "action": action,
        **{f"step-{k}": "1" if v else "0" for k, v in ticks.items()},
    }
    data.update(extra)
    return client.post(url, data=data)


@pytest.fixture
def fasil(client, world, synced):
    login(client, "fasilitator.paguyangan")
    return client


def test_create_session_and_pick_attendees_from_roster(fasil, world):
    _, session_id = new_session(fasil, world)
    session = db.session.get(AssessmentSession, session_id)
    assert [k.name for k in session.kaders] == ["Siti Aminah"]
    assert [s.code for s in session.skills] == ["K01", "K03"]
    page = fasil.get(f"/praktik/{session_id}").get_data(as_text=True)
    assert "Siti Aminah" in page and "belum dinilai" in page
    assert (
        db.session.scalar(select(AuditLog).where(AuditLog.action == "practical.session_created")) is not None
    )


def test_future_date_refused(fasil, world):
    response, session_id = new_session(fasil, world, when=date.today() + timedelta(days=1))
    assert session_id is None and response.status_code == 400
    assert "tidak boleh di masa depan" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AssessmentSession)) == 0


def test_kader_from_another_posyandu_refused(fasil, world):
    _, session_id = new_session(fasil, world, kader=[])
    token = csrf_token(fasil, f"/praktik/{session_id}/peserta")
    response = fasil.post(
        f"/praktik/{session_id}/peserta",
        data={"csrf_token": token, "kader_ids": [world.kader_brebes_other.id]},
    )
    assert response.status_code == 400 and "tidak terdaftar aktif" in response.get_data(as_text=True)
    assert db.session.get(AssessmentSession, session_id).kaders == []


def test_posyandu_outside_area_is_404(fasil, world):
    token = csrf_token(fasil, "/praktik/baru")
    response = fasil.post(
        "/praktik/baru",
        data={
            "csrf_token": token,
            "posyandu_id": world.posyandu_aceh.id,
            "session_date": date.today().isoformat(),
            "skill_ids": [skill_id("K01")],
        },
    )
    assert response.status_code in (400, 404)  # not among the choices: refused, nothing created
    assert db.session.scalar(select(func.count()).select_from(AssessmentSession)) == 0


def test_ticks_suggestion_and_confirmation(fasil, world):
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    steps = step_ids("K01")  # six steps, the second is critical
    post_ticks(fasil, url, {s: True for s in steps[:5]} | {steps[5]: False})
    result = db.session.scalar(select(PracticalResult))
    assert result.suggested == "kompeten" and result.result is None  # 5/6 >= 75%
    response = post_ticks(fasil, url, {}, action="confirm", decision="kompeten")
    assert response.status_code == 302
    db.session.expire_all()
    result = db.session.get(PracticalResult, result.id)
    assert result.result == "kompeten" and result.confirmed_at is not None
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "practical.confirmed"))
    assert entry.after["result"] == "kompeten" and len(entry.after["ticks"]) == 6


def test_override_needs_a_note(fasil, world):
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    steps = step_ids("K01")
    post_ticks(fasil, url, {s: s != steps[1] for s in steps})  # critical step missed
    response = post_ticks(fasil, url, {}, action="confirm", decision="kompeten")
    assert response.status_code == 400 and "tulis alasannya" in response.get_data(as_text=True)
    assert db.session.scalar(select(PracticalResult)).result is None
    ok = post_ticks(fasil, url, {}, action="confirm", decision="kompeten", note="Langkah 2 diulang dan benar")
    assert ok.status_code == 302


def test_confirm_needs_every_step(fasil, world):
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    response = post_ticks(fasil, url, {step_ids("K01")[0]: True}, action="confirm", decision="belum_kompeten")
    assert response.status_code == 400 and "Isi semua langkah" in response.get_data(as_text=True)


def test_tick_for_a_step_of_another_skill_is_refused(fasil, world):
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    response = post_ticks(fasil, url, {step_ids("K03")[0]: True})
    assert response.status_code == 400 and "bukan bagian dari daftar tilik" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(StepResult)) == 0


def test_background_tick_saves_at_once(fasil, world):
    _, session_id = new_session(fasil, world)
    token = csrf_token(fasil, observe_url(session_id, world))
    step = step_ids("K01")[0]
    response = fasil.post(
        observe_url(session_id, world) + "/langkah",
        data={"csrf_token": token, f"step-{step}": "1"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200 and response.json["saved"] is True
    assert db.session.scalar(select(StepResult.done)) is True
    forged = fasil.post(
        observe_url(session_id, world) + "/langkah", data={"csrf_token": token, "step-999999": "1"}
    )
    assert forged.status_code == 400


def test_double_confirm_changes_nothing(fasil, world):
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    post_ticks(fasil, url, {s: True for s in step_ids("K01")})
    post_ticks(fasil, url, {}, action="confirm", decision="kompeten")
    post_ticks(fasil, url, {}, action="confirm", decision="kompeten")
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("practical.%"))).all()
    assert actions.count("practical.confirmed") == 1 and "practical.corrected" not in actions


def test_correction_within_window_is_audited(fasil, world):
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    post_ticks(fasil, url, {s: True for s in step_ids("K01")})
    post_ticks(fasil, url, {}, action="confirm", decision="kompeten")
    response = post_ticks(fasil, url, {}, action="confirm", decision="belum_kompeten", note="Salah input")
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "practical.corrected"))
    assert entry.before["result"] == "kompeten" and entry.after["result"] == "belum_kompeten"


def test_correction_after_window_refused(fasil, world):
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    post_ticks(fasil, url, {s: True for s in step_ids("K01")})
    post_ticks(fasil, url, {}, action="confirm", decision="kompeten")
    result = db.session.scalar(select(PracticalResult))
    result.confirmed_at = result.confirmed_at - timedelta(days=8)
    db.session.commit()
    response = post_ticks(fasil, url, {step_ids("K01")[0]: False})
    assert response.status_code == 400 and "Batas waktu koreksi" in response.get_data(as_text=True)
    db.session.expire_all()
    assert all(t.done for t in db.session.scalars(select(StepResult)))


def test_other_fasilitator_cannot_correct(app, fasil, world):
    from app.auth.services import create_user

    create_user(
        username="fasil2",
        password="rahasia-uji-123",
        full_name="Perawat Dua",
        role="fasilitator",
        puskesmas_id=world.puskesmas_brebes.id,
    )
    db.session.commit()
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    post_ticks(fasil, url, {s: True for s in step_ids("K01")})
    post_ticks(fasil, url, {}, action="confirm", decision="kompeten")
    other = app.test_client()
    login(other, "fasil2")
    response = post_ticks(other, url, {step_ids("K01")[0]: False})
    assert response.status_code == 400 and "Hanya penilai" in response.get_data(as_text=True)


def test_scope_dinkes_reads_fasilitator_of_other_area_404(app, fasil, world):
    _, session_id = new_session(fasil, world)
    dinkes = app.test_client()
    login(dinkes, "dinkes.brebes")
    assert dinkes.get(f"/praktik/{session_id}").status_code == 200
    assert post_ticks(dinkes, observe_url(session_id, world), {}).status_code == 403
    aceh = app.test_client()
    login(aceh, "dinkes.acehselatan")
    assert aceh.get(f"/praktik/{session_id}").status_code == 404
    kader = app.test_client()
    login(kader, "kader.siti")
    assert kader.get(f"/praktik/{session_id}").status_code == 403


def test_audit_trail_visible_to_dinkes_of_the_district_only(app, fasil, world):
    new_session(fasil, world)
    dinkes = app.test_client()
    login(dinkes, "dinkes.brebes")
    page = dinkes.get("/audit?jenis=practical").get_data(as_text=True)
    assert "Bidan Wulan membuat sesi penilaian praktik di Posyandu" in page  # a sentence, not a code
    assert "practical.session_created" in page.split("<details>")[1]  # the raw entry on demand
    aceh = app.test_client()
    login(aceh, "dinkes.acehselatan")
    assert "membuat sesi penilaian praktik" not in aceh.get("/audit").get_data(as_text=True)
    assert fasil.get("/audit").status_code == 403


def test_changing_ticks_with_the_same_decision_is_an_audited_correction(fasil, world):
    """The no-JavaScript form: untick a step and confirm the same decision again."""
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    steps = step_ids("K01")
    post_ticks(fasil, url, dict.fromkeys(steps, True))
    post_ticks(fasil, url, {}, action="confirm", decision="kompeten")
    response = post_ticks(fasil, url, {steps[0]: False}, action="confirm", decision="kompeten")
    assert response.status_code == 302
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "practical.corrected")).all()
    assert len(entries) == 1
    before, after = entries[0].before, entries[0].after
    assert all(before["ticks"].values()) and before["result"] == after["result"] == "kompeten"
    assert sorted(after["ticks"].values()) == [False, True, True, True, True, True]


def test_correction_on_the_form_withdraws_the_achievement(fasil, world):
    from app.progress.models import SkillAchievement
    from tests.factories import pass_quiz

    skill = db.session.scalar(select(Skill).where(Skill.code == "K01"))
    pass_quiz(world.kader_brebes.id, skill)
    db.session.commit()
    _, session_id = new_session(fasil, world)
    url = observe_url(session_id, world)
    steps = step_ids("K01")
    post_ticks(fasil, url, dict.fromkeys(steps, True), action="confirm", decision="kompeten")
    mastered = select(SkillAchievement).where(SkillAchievement.kader_id == world.kader_brebes.id)
    assert db.session.scalar(mastered) is not None
    response = post_ticks(fasil, url, {steps[1]: False}, action="confirm", decision="belum_kompeten")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(mastered) is None
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "practical.corrected"))
    assert entry.before["ticks"] != entry.after["ticks"] and entry.after["result"] == "belum_kompeten"
