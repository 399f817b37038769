"""What the roster pages share: the dinkes user's own kabupaten and the words for refusals."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _

from app.core.scope import current_actor


def own_kabupaten() -> str:
    """The kabupaten a dinkes user keeps; any other role may not change master data (403)."""
    actor = current_actor()
    if actor.role != "dinkes" or not actor.kabupaten_code:
        abort(403)
    return actor.kabupaten_code


def roster_messages() -> dict[str, str]:
    """RosterError codes -> the message shown to the user."""
    return {
        "role_unknown": _("Peran tidak dikenal."),
        "posyandu_other_kabupaten": _("Posyandu itu berada di kabupaten lain."),
        "already_member": _("Kader ini sudah aktif di sebuah Posyandu: gunakan Pindah."),
        "start_before_previous_end": _("Tanggal harus setelah tanggal keanggotaan sebelumnya."),
        "not_member": _("Kader ini tidak sedang aktif di Posyandu mana pun."),
        "end_before_start": _("Tanggal keluar tidak boleh sebelum tanggal mulai."),
        "nothing_to_change": _("Posyandu dan peran sama dengan sekarang."),
        "code_taken": _("Kode itu sudah dipakai."),
        "wilayah_code_shape": _("Kecamatan memakai 2 angka dan desa 4 angka, di bawah induk yang sesuai."),
    }
