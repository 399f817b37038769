"""One audit entry -> one sentence in the reader's language, with a link to the object.

The raw before/after stays on the page (folded away) for whoever needs the exact values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit.names import Names
from app.core.audit import AuditLog
from app.rosters.labels import FIELD_LABELS, ROLE_LABELS

GROUP_LABELS = {
    "certificate": _l("Sertifikat"),
    "practical": _l("Penilaian praktik"),
    "achievement": _l("Penguasaan keterampilan"),
    "kader": _l("Data kader"),
    "roster": _l("Keanggotaan Posyandu"),
    "account": _l("Akun"),
    "curriculum": _l("Kurikulum"),
    "job": _l("Tugas latar"),
}
RESULT_LABELS = {"kompeten": _l("kompeten"), "belum_kompeten": _l("belum kompeten")}
ACCOUNT_ROLES = {
    "admin": _l("admin"),
    "dinkes": _l("dinkes"),
    "fasilitator": _l("fasilitator"),
    "kader": _l("kader"),
}


@dataclass(frozen=True)
class Line:
    text: str
    url: str | None = None


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return None


class _Context:
    def __init__(self, entry: AuditLog, names: Names) -> None:
        self.entry, self.names = entry, names
        self.after: dict[str, Any] = entry.after or {}
        self.before: dict[str, Any] = entry.before or {}
        self.object_id = _int(entry.object_id)
        self.who = names.users.get(entry.user_id or -1) or _("Sistem")

    def kader(self, kader_id: Any = None) -> str:
        kader_id = _int(kader_id) if kader_id is not None else self.object_id
        return self.names.kader.get(kader_id or -1, _("kader #%(id)s", id=kader_id))

    def skill(self, skill_id: Any) -> str:
        found = self.names.skills.get(_int(skill_id) or -1)
        if found is None:
            return _("keterampilan #%(id)s", id=skill_id)
        code, title_id, title_en = found
        return f"{code} {title_en if str(get_locale()) == 'en' and title_en else title_id}"

    def posyandu(self, posyandu_id: Any) -> str:
        return self.names.posyandu.get(_int(posyandu_id) or -1, _("Posyandu #%(id)s", id=posyandu_id))

    def kader_url(self, kader_id: Any = None) -> str | None:
        kader_id = _int(kader_id) if kader_id is not None else self.object_id
        return url_for("rosters.kader_detail", kader_id=kader_id) if kader_id else None


def _certificate(c: _Context) -> Line:
    url = url_for("certificates.detail", cert_id=c.object_id) if c.object_id else None
    number = c.after.get("number") or c.names.certificates.get(c.object_id or -1, "")
    if c.entry.action == "certificate.revoked":
        return Line(
            _(
                "%(who)s mencabut sertifikat %(number)s: %(reason)s",
                who=c.who,
                number=number,
                reason=c.after.get("reason", ""),
            ),
            url,
        )
    if c.entry.action == "certificate.settings_changed":
        return Line(_("%(who)s mengubah pengaturan sertifikat (kantor, penanda tangan, logo)", who=c.who))
    if c.after.get("replaces"):
        return Line(
            _(
                "%(who)s menerbitkan sertifikat pengganti %(number)s untuk %(kader)s (mengganti %(old)s)",
                who=c.who,
                number=number,
                kader=c.kader(c.after.get("kader_id")),
                old=c.after["replaces"],
            ),
            url,
        )
    return Line(
        _(
            "%(who)s menerbitkan sertifikat %(number)s untuk %(kader)s",
            who=c.who,
            number=number,
            kader=c.kader(c.after.get("kader_id")),
        ),
        url,
    )


def _kader(c: _Context) -> Line:
    if c.entry.action == "kader.created":
        return Line(_("%(who)s menambahkan kader %(kader)s", who=c.who, kader=c.kader()), c.kader_url())
    fields = ", ".join(str(FIELD_LABELS.get(f, f)) for f in c.after)
    return Line(
        _("%(who)s mengubah data kader %(kader)s: %(fields)s", who=c.who, kader=c.kader(), fields=fields),
        c.kader_url(),
    )


def _roster(c: _Context) -> Line:
    if c.entry.action == "roster.imported":
        return Line(
            _(
                "%(who)s mengimpor daftar kader %(file)s: %(created)s baru, %(updated)s diperbarui",
                who=c.who,
                file=c.after.get("file", ""),
                created=c.after.get("created", 0),
                updated=c.after.get("updated", 0),
            )
        )
    if c.entry.action == "roster.left":
        return Line(
            _(
                "%(who)s mencatat %(kader)s keluar dari %(posyandu)s",
                who=c.who,
                kader=c.kader(),
                posyandu=c.posyandu(c.before.get("posyandu_id")),
            ),
            c.kader_url(),
        )
    role = ROLE_LABELS.get(c.after.get("role", ""), c.after.get("role", ""))
    return Line(
        _(
            "%(who)s mencatat %(kader)s bergabung di %(posyandu)s sebagai %(role)s",
            who=c.who,
            kader=c.kader(),
            posyandu=c.posyandu(c.after.get("posyandu_id")),
            role=role,
        ),
        c.kader_url(),
    )


def _practical(c: _Context) -> Line:
    if c.entry.action == "practical.session_created":
        url = url_for("practicals.session_view", session_id=c.object_id) if c.object_id else None
        return Line(
            _(
                "%(who)s membuat sesi penilaian praktik di %(posyandu)s (%(skills)s)",
                who=c.who,
                posyandu=c.posyandu(c.after.get("posyandu_id")),
                skills=", ".join(c.after.get("skills", [])),
            ),
            url,
        )
    kader_id, skill_id, session_id = c.names.practicals.get(c.object_id or -1, (None, None, None))
    url = url_for("practicals.session_view", session_id=session_id) if session_id else None
    result = RESULT_LABELS.get(c.after.get("result") or "", _("belum diputuskan"))
    message = (
        _("%(who)s mengoreksi penilaian %(kader)s pada %(skill)s: %(result)s")
        if c.entry.action == "practical.corrected"
        else _("%(who)s menilai %(kader)s pada %(skill)s: %(result)s")
    )
    return Line(
        message % {"who": c.who, "kader": c.kader(kader_id), "skill": c.skill(skill_id), "result": result},
        url,
    )


def _achievement(c: _Context) -> Line:
    skill = c.skill(c.after.get("skill_id") or c.before.get("skill_id"))
    kader = c.kader()
    if c.entry.action == "achievement.withdrawn":
        return Line(_("Penguasaan %(skill)s oleh %(kader)s ditarik", skill=skill, kader=kader), c.kader_url())
    if c.entry.action == "achievement.updated":
        return Line(
            _("Bukti penguasaan %(skill)s oleh %(kader)s diperbarui", skill=skill, kader=kader), c.kader_url()
        )
    return Line(_("%(kader)s menguasai %(skill)s", kader=kader, skill=skill), c.kader_url())


def _account(c: _Context) -> Line:
    target = (
        c.names.users.get(c.object_id or -1) or c.after.get("username") or _("akun #%(id)s", id=c.object_id)
    )
    texts: dict[str, Callable[[], str]] = {
        "account.created": lambda: _(
            "%(who)s membuat akun %(username)s (%(role)s)",
            who=c.who,
            username=c.after.get("username", ""),
            role=ACCOUNT_ROLES.get(c.after.get("role", ""), c.after.get("role", "")),
        ),
        "account.password_changed": lambda: _("%(who)s mengganti kata sandinya", who=c.who),
        "account.pin_reset": lambda: _("%(who)s mengatur ulang PIN %(target)s", who=c.who, target=target),
        "account.locked": lambda: _(
            "Akun %(target)s dikunci sementara untuk alamat %(address)s setelah kata sandi salah "
            "berulang kali",
            target=target,
            address=c.after.get("address", "?"),
        ),
        "account.sessions_ended": lambda: _(
            "%(who)s mengeluarkan akun %(target)s dari semua perangkat", who=c.who, target=target
        ),
    }
    return Line(texts[c.entry.action]()) if c.entry.action in texts else _fallback(c)


def _curriculum(c: _Context) -> Line:
    return Line(
        _("Kurikulum %(version)s dimuat", version=c.entry.object_id), url_for("curriculum.versions_page")
    )


def _job(c: _Context) -> Line:
    url = url_for("jobs.detail", job_id=c.object_id) if c.object_id else None
    if c.after.get("kind") == "kader_export":
        return Line(_("%(who)s mulai mengekspor semua kader kabupaten", who=c.who), url)
    if c.after.get("kecamatan"):
        return Line(
            _(
                "%(who)s mulai mencetak sertifikat Kecamatan %(name)s",
                who=c.who,
                name=c.after.get("kecamatan_name", c.after["kecamatan"]),
            ),
            url,
        )
    return Line(_("%(who)s mulai mencetak sertifikat seluruh kabupaten", who=c.who), url)


def _api(c: _Context) -> Line:
    texts: dict[str, Callable[[], str]] = {
        "api.token_created": lambda: _(
            "%(who)s membuat token API “%(name)s” (%(prefix)s…) untuk %(user)s",
            who=c.who,
            name=c.after.get("name", ""),
            prefix=c.after.get("prefix", ""),
            user=c.after.get("user", ""),
        ),
        "api.token_revoked": lambda: _(
            "%(who)s mencabut token API “%(name)s” (%(prefix)s…)",
            who=c.who,
            name=c.before.get("name", ""),
            prefix=c.before.get("prefix", ""),
        ),
        "api.roster_pushed": lambda: _(
            "%(who)s mengirim roster %(file)s lewat API", who=c.who, file=c.after.get("file", "")
        ),
    }
    return Line(texts[c.entry.action]()) if c.entry.action in texts else _fallback(c)


def _fallback(c: _Context) -> Line:
    return Line(
        _(
            "%(who)s: %(action)s pada %(object)s #%(id)s",
            who=c.who,
            action=c.entry.action,
            object=c.entry.object_type,
            id=c.entry.object_id,
        )
    )


_BY_GROUP: dict[str, Callable[[_Context], Line]] = {
    "certificate": _certificate,
    "kader": _kader,
    "roster": _roster,
    "practical": _practical,
    "achievement": _achievement,
    "account": _account,
    "curriculum": _curriculum,
    "job": _job,
    "api": _api,
}


def describe(entry: AuditLog, names: Names) -> Line:
    context = _Context(entry, names)
    try:
        return _BY_GROUP.get(entry.action.split(".", 1)[0], _fallback)(context)
    except (KeyError, TypeError, ValueError):  # an entry older than its sentence: say it plainly
        return _fallback(context)
