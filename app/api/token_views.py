"""The account's API tokens: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from app.api.models import ApiToken
from app.api.tokens import MAX_NAME, create_token, revoke_token, tokens_of
from app.core.decorators import staff_required
from app.core.forms import BaseForm
from app.extensions import db

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


class TokenForm(BaseForm):
    name = StringField(
        _l("Nama token (untuk sistem apa)"),
        validators=[InputRequired(_l("Isi nama token.")), Length(max=MAX_NAME)],
    )
    expires = SelectField(
        _l("Berlaku"),
        choices=[
            SelectChoice("90", _l("90 hari")),
            SelectChoice("365", _l("1 tahun")),
            SelectChoice("30", _l("30 hari")),
            SelectChoice("", _l("Tanpa batas")),
        ],
        default="90",
    )


class RevokeForm(BaseForm):
    pass


def _page(form: TokenForm, secret: str | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "api/tokens.html",
        form=form,
        tokens=tokens_of(current_user.id),
        revoke_form=RevokeForm(),
        secret=secret,
    ), status


@bp.route("/", methods=["GET"])
@staff_required
def index() -> tuple[str, int]:
    return _page(TokenForm())


@bp.route("/", methods=["POST"])
@staff_required
def create() -> tuple[str, int]:
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    issued = create_token(
        current_user._get_current_object(),
        form.name.data or "",
        int(form.expires.data) if form.expires.data else None,
        created_by=current_user.id,
    )
    # Shown on this answer only: the page is not cached and the secret is never stored.
    return _page(TokenForm(formdata=None), secret=issued.secret)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@staff_required
def revoke(token_id: int) -> Response:
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == current_user.id)
    )
    if token is None:
        abort(404)
    if RevokeForm().validate_on_submit() and revoke_token(token, revoked_by=current_user.id):
        flash(_("Token dicabut; sistem yang memakainya tidak bisa masuk lagi."), "success")
    return redirect(url_for(".index"))


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
