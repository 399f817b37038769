import copy
from datetime import UTC, date, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from app.certificates.badges import b58decode, b58encode, build_credential, sign, verify
from app.certificates.document import (
    AreaSkills,
    CertificateSnapshot,
    Signatory,
    SkillLine,
    certificate_number,
)

SNAP = CertificateSnapshot(
    number="TKK/PURWA/3329/2026/000042",
    verification_code="7F3KQ9XW2MRTH8LP",
    level_code="purwa",
    level_name="Purwa",
    kader_name="Siti Nur’aini",
    nik_masked="3329********0001",
    posyandu="Posyandu Melati 1",
    desa="Cilibur",
    kecamatan="Paguyangan",
    kabupaten="Kabupaten Brebes",
    provinsi="Jawa Tengah",
    issued_on=date(2026, 11, 22),
    areas=(AreaSkills("PP", "Pengelolaan Posyandu", (SkillLine("K01", "Paket layanan"),)),),
    signatory=Signatory("Dinas Kesehatan Kabupaten Brebes", "dr. Ineke", "Kepala Dinas", "1970", "Brebes"),
    curriculum_version="2026.1",
)


def test_number_format():
    assert certificate_number("madya", "33.29", 2026, 42) == "TKK/MADYA/3329/2026/000042"
    assert certificate_number("tingkat_4", "11.01", 2027, 999_999) == "TKK/TINGKAT_4/1101/2027/999999"
    with pytest.raises(ValueError):
        certificate_number("purwa", "33.29", 2026, 0)


def test_snapshot_json_round_trip():
    assert CertificateSnapshot.from_json(SNAP.to_json()) == SNAP


@given(st.binary(max_size=80))
def test_base58_round_trip(data):
    assert b58decode(b58encode(data)) == data


def credential():
    return build_credential(
        SNAP,
        credential_id="urn:uuid:1",
        issuer_id="https://kc/issuers/33.29",
        issuer_name="Dinas Kesehatan Kabupaten Brebes",
        achievement_id="https://kc/a/purwa",
        verify_url="https://kc/v/X",
    )


def test_signed_badge_verifies_and_any_edit_breaks_it():
    key = Ed25519PrivateKey.generate()
    signed = sign(credential(), key, "https://kc/issuers/33.29#key-1", datetime(2026, 11, 22, tzinfo=UTC))
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert signed["proof"]["cryptosuite"] == "eddsa-jcs-2022" and signed["proof"]["proofValue"].startswith(
        "z"
    )
    assert verify(signed, key.public_key())
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["name"] = "Orang Lain"
    assert not verify(tampered, key.public_key())
    tampered = copy.deepcopy(signed)
    tampered["proof"]["created"] = "2020-01-01T00:00:00Z"
    assert not verify(tampered, key.public_key())
    assert not verify(signed, Ed25519PrivateKey.generate().public_key())
    truncated = copy.deepcopy(signed)
    truncated["proof"]["proofValue"] = truncated["proof"]["proofValue"][:20]
    assert not verify(truncated, key.public_key())
    del truncated["proof"]
    assert not verify(truncated, key.public_key())


def test_highest_per_kader_keeps_the_highest_level_whatever_the_order():
    from app.certificates.document import highest_per_kader

    rows = [
        (1, "madya", "M1"),
        (1, "purwa", "P1"),
        (2, "purwa", "P2"),
        (1, "utama", "U1"),
        (3, "madya", "M3"),
        (4, "dihapus", "X4"),  # a level no longer in the curriculum
        (4, "purwa", "P4"),
    ]
    rank = {"purwa": 0, "madya": 1, "utama": 2}
    assert highest_per_kader(rows, rank) == {1: "U1", 2: "P2", 3: "M3", 4: "P4"}
    assert highest_per_kader(reversed(rows), rank) == {1: "U1", 2: "P2", 3: "M3", 4: "P4"}
    assert highest_per_kader([], rank) == {}
    # the rank is data: reversed ranks pick the other end
    assert highest_per_kader(rows, {"utama": 0, "madya": 1, "purwa": 2})[1] == "P1"


def test_a_snapshot_keeps_its_level_look_and_an_old_one_takes_the_curriculums():
    from dataclasses import replace

    from app.curriculum.levels import DEFAULT_COLOUR, Level

    level = Level("purwa", "Purwa", (), name_en="Basic", colour="#123456", wording="cakap pada")
    old = CertificateSnapshot.from_json(
        {
            k: v
            for k, v in SNAP.to_json().items()
            if not k.startswith("level_") or k in ("level_code", "level_name")
        }
    )
    filled = old.with_level_looks(level, 0)
    assert (filled.level_rank, filled.level_colour, filled.level_wording, filled.level_name_en) == (
        0,
        "#123456",
        "cakap pada",
        "Basic",
    )
    own = replace(SNAP, level_rank=2, level_colour="#abcdef", level_wording="dulu", level_name_en="")
    assert own.with_level_looks(level, 0) == own  # the day of issue wins over today's levels
    assert old.with_level_looks(None, None).level_colour == DEFAULT_COLOUR  # a level since removed
