"""Role and area scope: out-of-scope objects are 404, wrong roles 403."""

import pytest

from tests.conftest import login


def test_dinkes_brebes_gets_404_for_aceh_selatan_posyandu(client, world):
    login(client, "dinkes.brebes")
    assert client.get(f"/posyandu/{world.posyandu_brebes.id}").status_code == 200
    assert client.get(f"/posyandu/{world.posyandu_aceh.id}").status_code == 404


def test_dinkes_aceh_sees_only_aceh(client, world):
    login(client, "dinkes.acehselatan")
    assert client.get(f"/posyandu/{world.posyandu_aceh.id}").status_code == 200
    assert client.get(f"/posyandu/{world.posyandu_brebes.id}").status_code == 404
    listing = client.get("/posyandu/").get_data(as_text=True)
    assert "Posyandu Seulanga 1" in listing and "Posyandu Melati 1" not in listing


@pytest.mark.parametrize("path", ["/posyandu/", "/posyandu/{p}", "/kader/{k}"])
def test_kader_gets_403_on_staff_pages(client, world, path):
    login(client, "kader.siti")
    url = path.format(p=world.posyandu_brebes.id, k=world.kader_brebes.id)
    assert client.get(url).status_code == 403


def test_fasilitator_sees_own_puskesmas_area_only(client, world):
    login(client, "fasilitator.paguyangan")
    assert client.get(f"/posyandu/{world.posyandu_brebes_2.id}").status_code == 200
    assert client.get(f"/posyandu/{world.posyandu_aceh.id}").status_code == 404
    assert client.get(f"/kader/{world.kader_brebes_other.id}").status_code == 200
    assert client.get(f"/kader/{world.kader_aceh.id}").status_code == 404


def test_admin_sees_everything(client, world):
    login(client, "admin")
    assert client.get(f"/posyandu/{world.posyandu_aceh.id}").status_code == 200
    assert client.get(f"/kader/{world.kader_brebes.id}").status_code == 200


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(f"/posyandu/{world.posyandu_brebes.id}")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_kader_detail_masks_nik(client, world):
    login(client, "dinkes.brebes")
    page = client.get(f"/kader/{world.kader_brebes.id}").get_data(as_text=True)
    assert "3329************" in page and "3329045203850001" not in page


def test_posyandu_search(client, world):
    login(client, "dinkes.brebes")
    page = client.get("/posyandu/?q=mawar").get_data(as_text=True)
    assert "Posyandu Mawar 2" in page and "Posyandu Melati 1" not in page
    page = client.get("/posyandu/?q=cilibur").get_data(as_text=True)  # by desa
    assert "Posyandu Melati 1" in page
