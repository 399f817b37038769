from app.core.roles import Actor, can_edit_master_data

ADMIN = Actor(1, "admin")
DINKES_BREBES = Actor(2, "dinkes", kabupaten_code="33.29")
FASIL = Actor(3, "fasilitator", kabupaten_code="33.29", puskesmas_id=7)
KADER = Actor(4, "kader", kader_id=9)


def test_only_dinkes_of_the_district_edits_master_data():
    assert can_edit_master_data(DINKES_BREBES, "33.29")
    assert not can_edit_master_data(DINKES_BREBES, "11.01")
    assert not can_edit_master_data(FASIL, "33.29")
    assert can_edit_master_data(ADMIN, "11.01")
    assert DINKES_BREBES.is_staff and not KADER.is_staff
