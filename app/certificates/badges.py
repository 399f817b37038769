"""Open Badges 3.0 credentials, signed with Data Integrity `eddsa-jcs-2022`. Pure: no flask, no sqlalchemy.

Signing follows the W3C cryptosuite: the proof options and the credential (without proof) are each
canonicalised with JCS (RFC 8785), hashed with SHA-256, and the concatenated hashes are signed
with the issuer's Ed25519 key; `proofValue` is the signature in multibase base58btc ("z…").
JCS here covers the JSON this module produces: strings, integers, booleans, lists, objects.
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.certificates.document import CertificateSnapshot

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        n = n * 58 + _B58.index(ch)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + raw


def jcs(value: Any) -> bytes:
    """JSON Canonicalization Scheme for our value space (no floats)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def build_credential(
    snap: CertificateSnapshot,
    *,
    credential_id: str,
    issuer_id: str,
    issuer_name: str,
    achievement_id: str,
    verify_url: str,
) -> dict[str, Any]:
    """An Open Badges 3.0 credential. No `credentialStatus`: the only list other verifiers can
    read would be a Bitstring Status List credential, which we do not publish; the evidence
    names the public verification page, where a revocation shows at once."""
    issued = datetime(snap.issued_on.year, snap.issued_on.month, snap.issued_on.day, tzinfo=UTC)
    skills = [f"{s.code} {s.title}" for a in snap.areas for s in a.skills]
    return {
        "@context": OB_CONTEXT,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": issuer_name},
        "validFrom": issued.isoformat().replace("+00:00", "Z"),
        "name": f"Tanda Kecakapan Kader {snap.level_name}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": snap.kader_name,
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Competency",
                "name": f"Kader Posyandu tingkat {snap.level_name}",
                "description": "Tanda Kecakapan Kader (TKK) untuk kader Posyandu, Integrasi Layanan Primer.",
                "criteria": {
                    "narrative": "Menguasai keterampilan dasar kader (kuis pengetahuan lulus dan "
                    "penilaian praktik kompeten oleh tenaga Puskesmas): " + "; ".join(skills)
                },
            },
        },
        "evidence": [{"id": verify_url, "type": ["Evidence"], "name": snap.number}],
    }


def _hash_data(document: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof_options.items() if k != "proofValue"}
    options.setdefault("@context", document.get("@context"))
    return hashlib.sha256(jcs(options)).digest() + hashlib.sha256(jcs(unsigned)).digest()


def sign(
    document: dict[str, Any], key: Ed25519PrivateKey, verification_method: str, created: datetime
) -> dict[str, Any]:
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": created.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(document, {**proof, "@context": document["@context"]}))
    signed = copy.deepcopy(document)
    signed["proof"] = {**proof, "proofValue": "z" + b58encode(signature)}
    return signed


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise DuplicateKey(next(k for k in keys if keys.count(k) > 1))
    return dict(pairs)


def parse_credential(text: str) -> dict[str, Any]:
    """JSON with every key once: two `name`s could show one value and sign the other."""
    document = json.loads(text, object_pairs_hook=_no_duplicates)
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


def verify(document: dict[str, Any], public_key: Ed25519PublicKey) -> bool:
    """True only if the proof is ours and the credential is byte-for-byte what was signed."""
    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("cryptosuite") != "eddsa-jcs-2022":
        return False
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return False
    try:
        signature = b58decode(value[1:])
        public_key.verify(signature, _hash_data(document, {**proof, "@context": document.get("@context")}))
    except (InvalidSignature, ValueError):
        return False
    return True
