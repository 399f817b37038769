"""Issuing and revoking are announced (a notifier's hook) and logged; a refused re-issue writes nothing."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest

from app.certificates.models import Certificate, DistrictSettings
from app.certificates.services import CertificateError, issue, reissue, revoke
from app.core.events import certificate_issued, certificate_revoked
from app.extensions import db


def test_issue_and_revoke_are_announced_and_logged(world, purwa_kader, caplog):
    heard: list[tuple[str, str, dict[str, Any]]] = []

    def on_issued(sender: Any, **details: Any) -> None:
        heard.append(("issued", details["certificate"].number, details))

    def on_revoked(sender: Any, **details: Any) -> None:
        heard.append(("revoked", details["certificate"].number, details))

    dinkes = world.users["dinkes"].id
    with (
        caplog.at_level(logging.INFO, logger="app.events"),
        certificate_issued.connected_to(on_issued),
        certificate_revoked.connected_to(on_revoked),
    ):
        cert = issue(purwa_kader, "purwa", user_id=dinkes, today=date(2026, 11, 2))
        revoke(cert, "salah nama", user_id=dinkes)
    assert [(kind, number) for kind, number, _ in heard] == [
        ("issued", cert.number),
        ("revoked", cert.number),
    ]
    assert heard[1][2]["reason"] == "salah nama" and heard[0][2]["user_id"] == dinkes
    assert sum(cert.number in r.getMessage() for r in caplog.records) == 2  # the app-start log listener


def test_a_refused_reissue_leaves_the_old_certificate_valid(world, purwa_kader):
    dinkes = world.users["dinkes"].id
    cert = issue(purwa_kader, "purwa", user_id=dinkes, today=date(2026, 11, 2))
    db.session.commit()
    db.session.delete(db.session.get(DistrictSettings, purwa_kader.kabupaten_code))
    db.session.flush()
    with pytest.raises(CertificateError) as refused:
        reissue(cert, "nama diperbaiki", user_id=dinkes, today=date(2026, 11, 3))
    assert refused.value.code == "no_signatory"
    assert db.session.get(Certificate, cert.id).status == "valid"  # nothing was written before the refusal
    assert db.session.query(Certificate).count() == 1
