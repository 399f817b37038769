import pytest

from tests.conftest import login


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", "Administrasi sistem"),
        ("dinkes.brebes", "Dinas Kesehatan Kabupaten Brebes"),
        ("dinkes.acehselatan", "Dinas Kesehatan Kabupaten Aceh Selatan"),
        ("fasilitator.paguyangan", "Puskesmas Paguyangan"),
        ("kader.siti", "Halo, Siti Aminah"),
    ],
)
def test_each_role_sees_its_home(client, world, username, expected):
    login(client, username)
    page = client.get("/").get_data(as_text=True)
    assert expected in page


def test_dinkes_home_counts_own_district_only(client, world):
    login(client, "dinkes.brebes")
    page = client.get("/").get_data(as_text=True)
    assert "<strong>2</strong> Posyandu" in page
    assert "<strong>2</strong> kader terdaftar" in page


def test_fasilitator_home_lists_its_posyandu(client, world):
    login(client, "fasilitator.paguyangan")
    page = client.get("/").get_data(as_text=True)
    assert "Posyandu Melati 1" in page and "Posyandu Mawar 2" in page
    assert "Seulanga" not in page


def test_kader_home_shows_posyandu_and_role(client, world):
    login(client, "kader.siti")
    page = client.get("/").get_data(as_text=True)
    assert "Posyandu Melati 1" in page and "Ketua" in page
