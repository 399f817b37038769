"""Learning pages stay within the 60 KB page budget (HTML + stylesheet + scripts)."""

import re

from tests.conftest import login

BUDGET = 60 * 1024


def page_weight(client, path):
    html = client.get(path).get_data()
    total = len(html)
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        if not asset.endswith(b".svg"):
            total += len(client.get(asset.decode()).get_data())
    return total


def test_learning_pages_within_budget(client, world, synced):
    login(client, "kader.siti")
    for path in ("/", "/belajar/", "/belajar/K01"):
        assert page_weight(client, path) <= BUDGET, path
