"""District signing keys: generated on first use, private half encrypted with the app's secret."""

from __future__ import annotations

import hashlib
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

from app.certificates.models import IssuerKey
from app.extensions import db


def _cipher() -> AESGCM:
    secret = current_app.config["SECRET_KEY"].encode("utf-8")
    return AESGCM(hashlib.sha256(b"kadercakap-issuer-key:" + secret).digest())


def issuer_key(kabupaten_code: str) -> Ed25519PrivateKey:
    row = db.session.get(IssuerKey, kabupaten_code)
    if row is None:
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        nonce = os.urandom(12)
        row = IssuerKey(
            kabupaten_code=kabupaten_code,
            public_key=key.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            ),
            private_key_encrypted=nonce + _cipher().encrypt(nonce, raw, kabupaten_code.encode()),
        )
        db.session.add(row)
        db.session.flush()
        return key
    blob = row.private_key_encrypted
    raw = _cipher().decrypt(blob[:12], blob[12:], kabupaten_code.encode())
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key(kabupaten_code: str) -> Ed25519PublicKey | None:
    row = db.session.get(IssuerKey, kabupaten_code)
    return Ed25519PublicKey.from_public_bytes(row.public_key) if row else None


def public_key_multibase(kabupaten_code: str) -> str | None:
    row = db.session.get(IssuerKey, kabupaten_code)
    if row is None:
        return None
    from app.certificates.badges import b58encode

    return "z" + b58encode(b"\xed\x01" + row.public_key)  # multicodec ed25519-pub
