"""Public pages, no login: verify a certificate by its code (HTML or JSON), and the issuer profile."""

from __future__ import annotations

from flask import abort, current_app, g, jsonify, render_template
from werkzeug import Response

from app.certificates import queries
from app.certificates.blueprints import public
from app.certificates.document import CertificateSnapshot, public_snapshot
from app.certificates.keys import public_key_multibase
from app.certificates.models import Certificate, DistrictSettings
from app.certificates.services import normalise_code
from app.extensions import db, limiter


def _public_view(code: str) -> tuple[Certificate | None, str]:
    normalised = normalise_code(code)
    cert = queries.by_verification_code(normalised) if normalised else None
    if cert is None:
        return None, "unknown"
    return cert, cert.status


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@public.route("/v/<code>")
@limiter.limit(_verify_limit)
def verify_page(code: str) -> tuple[str, int]:
    if code.endswith(".json"):
        return verify_json(code.removesuffix(".json"))
    cert, status = _public_view(code)
    if cert is not None:
        g.display_area = cert.kabupaten_code  # dates in the issuing district's time zone
    snap = CertificateSnapshot.from_json(cert.snapshot) if cert else None
    return render_template("certificates/verify.html", cert=cert, snap=snap, status=status), (
        404 if cert is None else 200
    )


def verify_json(code: str):
    cert, status = _public_view(code)
    if cert is None:
        return jsonify(status="unknown"), 404
    body = {"status": status, "certificate": public_snapshot(cert.snapshot)}
    if status == "revoked":
        body["revoked"] = {"at": cert.revoked_at.isoformat(), "reason": cert.revoked_reason}
    return jsonify(body), 200


@public.route("/issuers/<kabupaten_code>")
@limiter.limit(_verify_limit)
def issuer(kabupaten_code: str) -> tuple[Response, int]:
    key = public_key_multibase(kabupaten_code)
    settings = db.session.get(DistrictSettings, kabupaten_code)
    if key is None or settings is None:
        abort(404)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    issuer_id = f"{base}/issuers/{kabupaten_code}"
    return jsonify(
        {
            "id": issuer_id,
            "type": ["Profile"],
            "name": settings.office_name,
            "verificationMethod": [
                {
                    "id": f"{issuer_id}#key-1",
                    "type": "Multikey",
                    "controller": issuer_id,
                    "publicKeyMultibase": key,
                }
            ],
        }
    ), 200
