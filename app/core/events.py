"""Domain events: what happened in one package, told to whoever listens in another.

Senders fire a signal after their change is flushed, inside the same unit of work, so a
listener's writes commit or roll back with it; they never know who listens. That is what lets
quizzes and practicals record evidence without importing progress, and lets certificates be
issued without knowing about notifications. The sender is the sending package's name.

- `evidence_recorded` (quizzes: a passed attempt closes; practicals: a result is confirmed or
  corrected): kader_id, skill_id, user_id, kabupaten_code. Progress refreshes the achievement.
- `level_reached` (progress: a kader's level rises through new evidence): kader_id,
  level_code, previous_code, user_id, kabupaten_code.
- `certificate_issued` (certificates.services.issue): certificate, user_id.
- `certificate_revoked` (certificates.services.revoke): certificate, reason, user_id.
- `curriculum_synced` (`flask curriculum sync`, a new version): version. Progress re-evaluates
  every level; a listener may return a line for the operator, which the command prints.

Listeners are connected in one place, at app start: `_connect_listeners` in
`app/__init__.py`. A notifier (an SMS or WhatsApp message to the kader when a level is reached
or a certificate issued) belongs in its own package, as a listener connected there; it
should only queue the message (a job), since a slow gateway must not hold the request.
This module imports no domain package: it is the ground floor everybody may send through.
"""

from __future__ import annotations

import logging
from typing import Any

from blinker import Namespace

_signals = Namespace()

evidence_recorded = _signals.signal("evidence-recorded", doc="New or changed evidence for a kader's skill.")
level_reached = _signals.signal("level-reached", doc="A kader reached a higher level.")
certificate_issued = _signals.signal("certificate-issued", doc="A certificate was issued.")
certificate_revoked = _signals.signal("certificate-revoked", doc="A certificate was revoked.")
curriculum_synced = _signals.signal("curriculum-synced", doc="A new curriculum version is active.")

log = logging.getLogger("app.events")


def log_event(sender: Any, **details: Any) -> None:
    """One line per milestone in the application log, for the operator (and a model listener)."""
    shown = {k: getattr(v, "number", v) for k, v in details.items()}  # a certificate by its number
    log.info("%s %s", sender, " ".join(f"{k}={v}" for k, v in sorted(shown.items())))
