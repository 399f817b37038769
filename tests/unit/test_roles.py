from app.core.roles import Actor, can_edit_master_data, can_see_kabupaten, can_see_posyandu

ADMIN = Actor(1, "admin")
DINKES_BREBES = Actor(2, "dinkes", kabupaten_code="33.29")
FASIL = Actor(3, "fasilitator", kabupaten_code="33.29", puskesmas_id=7)
KADER = Actor(4, "kader", kader_id=9)


def test_posyandu_visibility():
    assert can_see_posyandu(ADMIN, "11.01", 1)
    assert can_see_posyandu(DINKES_BREBES, "33.29", 99)
    assert not can_see_posyandu(DINKES_BREBES, "11.01", 99)
    assert can_see_posyandu(FASIL, "33.29", 7)
    assert not can_see_posyandu(FASIL, "33.29", 8)
    assert not can_see_posyandu(KADER, "33.29", 7)


def test_kabupaten_visibility():
    assert can_see_kabupaten(DINKES_BREBES, "33.29")
    assert not can_see_kabupaten(DINKES_BREBES, "11.01")
    assert not can_see_kabupaten(KADER, "33.29")


def test_only_dinkes_of_the_district_edits_master_data():
    assert can_edit_master_data(DINKES_BREBES, "33.29")
    assert not can_edit_master_data(DINKES_BREBES, "11.01")
    assert not can_edit_master_data(FASIL, "33.29")
    assert can_edit_master_data(ADMIN, "11.01")
    assert DINKES_BREBES.is_staff and not KADER.is_staff
