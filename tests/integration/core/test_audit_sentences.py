"""The audit trail reads as sentences in the user's language, with links, for every action."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.certificates.models import Certificate
from app.certificates.services import issue, revoke
from app.extensions import db
from tests.conftest import login
from tests.factories import grant


def trail(client, lang: str | None = None) -> str:
    if lang:
        client.set_cookie("lang", lang)
    return client.get("/audit").get_data(as_text=True)


def test_issue_and_revoke_read_as_sentences_with_links(app, client, world, synced, signatory):
    grant(world.kader_brebes, "K01", "K02")
    cert = issue(world.kader_brebes, "purwa", user_id=world.users["dinkes"].id, today=date.today())
    revoke(cert, "Salah ketik nama", user_id=world.users["dinkes"].id)
    db.session.commit()
    login(client, "dinkes.brebes")
    page = trail(client)
    dinkes_name = world.users["dinkes"].full_name
    assert f"{dinkes_name} menerbitkan sertifikat {cert.number} untuk Siti Aminah" in page
    assert f"{dinkes_name} mencabut sertifikat {cert.number}: Salah ketik nama" in page
    assert f'href="/sertifikat/{cert.id}"' in page
    english = trail(client, "en")
    assert f"{dinkes_name} issued certificate {cert.number} to Siti Aminah" in english
    assert "menerbitkan" not in english


def test_every_recorded_action_has_a_sentence(app, client, world, synced, signatory):
    """No entry of the demo-like world falls back to the technical code."""
    from app.core.audit import AuditLog

    grant(world.kader_brebes, "K01", "K02")
    issue(world.kader_brebes, "purwa", user_id=None, today=date.today())
    db.session.commit()
    actions = set(db.session.scalars(select(AuditLog.action)))
    login(client, "admin")
    page = trail(client)
    visible = page.split('<ol class="audit">')[1]
    for action in actions:
        assert f": {action} pada" not in visible, action
    assert db.session.scalar(select(Certificate)) is not None


def test_api_tokens_read_as_sentences(app, client, world):
    from app.api.tokens import create_token, revoke_token

    dinkes = world.users["dinkes"]
    issued = create_token(dinkes, "SIMPUS", expires_days=30, created_by=dinkes.id)
    revoke_token(issued.token, revoked_by=dinkes.id)
    db.session.commit()
    login(client, "dinkes.brebes")
    page = trail(client)
    prefix = issued.token.prefix
    assert f'{dinkes.full_name} membuat token API “SIMPUS” ({prefix}…) untuk dinkes.brebes' in page
    assert f'{dinkes.full_name} mencabut token API “SIMPUS” ({prefix}…)' in page
    assert f'{dinkes.full_name} revoked API token “SIMPUS” ({prefix}…)' in trail(client, "en")
