"""The district's certificate settings: who signs, and the logo and signature images."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from werkzeug import Response
from werkzeug.datastructures import FileStorage

from app.certificates.blueprints import bp
from app.certificates.forms import SettingsForm
from app.certificates.models import DistrictSettings
from app.certificates.services import image_sha256
from app.core import audit
from app.core.decorators import role_required
from app.core.scope import current_actor
from app.extensions import db

# A logo or a scanned signature never needs more; every printed certificate decodes it.
MAX_IMAGE_PIXELS = 4096 * 4096
SETTINGS_FIELDS = ("office_name", "signatory_name", "signatory_title", "signatory_nip", "place")


def _image(field) -> bytes | None:
    """The uploaded image, None when none was uploaded, b"" when it is not a usable image."""
    if not isinstance(field.data, FileStorage) or not field.data.filename:
        return None  # without an upload the field holds the stored image (from `obj`)
    data = field.data.read()
    too_large = _("Gambar terlalu besar: maksimal 4096 × 4096 piksel. Perkecil gambar lalu unggah lagi.")
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                field.errors.append(too_large)
                return b""
            image.verify()
    except Image.DecompressionBombError:
        field.errors.append(too_large)
        return b""
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        field.errors.append(_("Berkas gambar tidak bisa dibaca."))
        return b""
    return data


def _settings_facts(row: DistrictSettings) -> dict[str, str | None]:
    """What the audit keeps of the settings: the text fields and which images are set."""
    facts: dict[str, str | None] = {f: getattr(row, f) for f in SETTINGS_FIELDS}
    facts["logo_sha256"] = image_sha256(row.logo)
    facts["signature_sha256"] = image_sha256(row.signature)
    return facts


def _save(
    form: SettingsForm, current: DistrictSettings | None, logo: bytes | None, signature: bytes | None
) -> None:
    actor = current_actor()
    row = current or DistrictSettings(kabupaten_code=actor.kabupaten_code)
    before = _settings_facts(current) if current else None
    for field in SETTINGS_FIELDS:
        setattr(row, field, getattr(form, field).data)
    if logo:
        row.logo = logo
    if signature:
        row.signature = signature
    db.session.add(row)
    audit.record(
        "certificate.settings_changed",
        "district_settings",
        actor.kabupaten_code,
        user_id=actor.user_id,
        kabupaten_code=actor.kabupaten_code,
        before=before,
        after=_settings_facts(row),
    )


@bp.route("/sertifikat/pengaturan", methods=["GET", "POST"])
@role_required("dinkes")
def settings() -> str | Response | tuple[str, int]:
    current = db.session.get(DistrictSettings, current_actor().kabupaten_code)
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        logo, signature = _image(form.logo), _image(form.signature)
        if logo != b"" and signature != b"":
            _save(form, current, logo, signature)
            flash(_("Pengaturan sertifikat disimpan."), "success")
            return redirect(url_for(".settings"))
    status = 400 if form.errors else 200
    return render_template("certificates/settings.html", form=form, current=current), status
