import pytest

from tests.factories import grant


@pytest.fixture
def purwa_kader(world, synced, signatory):
    grant(world.kader_brebes, "K01", "K02")  # mini curriculum: Purwa = all of PP
    return world.kader_brebes
