"""Which part of the country a dashboard request looks at, and whether the actor may see it.

One query parameter, `wilayah`, names the node; its Kemendagri level says what the rows are
(provinsi -> kabupaten -> kecamatan -> desa -> Posyandu). Without it each role starts at
its own root: admin the whole country, dinkes its kabupaten, fasilitator its Puskesmas area.
Every node also carries the actor's scope clause, so a forged parameter can only narrow.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select

from app.core.roles import Actor
from app.core.scope import scope_clause
from app.extensions import db
from app.reports.queries import Node
from app.rosters.models import Posyandu, Puskesmas, Wilayah

CHILD_OF = {"provinsi": "kabupaten", "kabupaten": "kecamatan", "kecamatan": "desa", "desa": "posyandu"}


@dataclass(frozen=True)
class Crumb:
    code: str | None  # the wilayah parameter that opens it (None: the actor's root)
    name: str


def _area_filter(area: Wilayah) -> tuple:  # type: ignore[type-arg]
    if area.level == "provinsi":
        return (Posyandu.kabupaten_code.like(f"{area.code}.%"),)
    if area.level == "kabupaten":
        return (Posyandu.kabupaten_code == area.code,)
    if area.level == "kecamatan":
        # the equality lets the kabupaten index narrow the rows first
        return (Posyandu.kabupaten_code == area.code[:5], Posyandu.desa_code.like(f"{area.code}.%"))
    return (Posyandu.desa_code == area.code,)


def _root(actor: Actor) -> Node | None:
    scope = scope_clause(Posyandu, actor)
    if actor.role == "admin":
        return Node("national", None, "Indonesia", "provinsi", (scope,))
    if actor.role == "dinkes" and actor.kabupaten_code:
        area = db.session.get(Wilayah, actor.kabupaten_code)
        name = area.name if area else actor.kabupaten_code
        return Node("kabupaten", actor.kabupaten_code, name, "kecamatan", (scope,))
    if actor.role == "fasilitator" and actor.puskesmas_id:
        puskesmas = db.session.get(Puskesmas, actor.puskesmas_id)
        name = puskesmas.name if puskesmas else ""
        return Node("puskesmas", None, name, "desa", (scope,))
    return None


def _visible(actor: Actor, area: Wilayah) -> bool:
    if actor.role == "admin":
        return True
    if actor.role == "dinkes":
        own = actor.kabupaten_code or ""
        return area.code == own or area.code.startswith(own + ".")
    if actor.role == "fasilitator":  # areas where the Puskesmas runs at least one Posyandu
        return area.level in ("kecamatan", "desa") and bool(
            db.session.scalar(select(exists().where(scope_clause(Posyandu, actor), *_area_filter(area))))
        )
    return False


def resolve(actor: Actor, code: str | None) -> tuple[Node, list[Crumb]] | None:
    """The node and the breadcrumbs from the actor's root to it; None means 404."""
    root = _root(actor)
    if root is None:
        return None
    root_crumb = Crumb(None, root.name)
    if not code or code == root.code:
        return root, [root_crumb]
    area = db.session.get(Wilayah, code)
    if area is None or area.level not in CHILD_OF or not _visible(actor, area):
        return None
    node = Node(area.level, area.code, area.name, CHILD_OF[area.level], (*root.filters, *_area_filter(area)))
    return node, [root_crumb, *_between(root, area), Crumb(area.code, area.name)]


def _between(root: Node, area: Wilayah) -> list[Crumb]:
    """Ancestors of `area` below the actor's root (a fasilitator's root is not a wilayah)."""
    chain: list[Crumb] = []
    parent = area.parent
    stop_levels = {
        "national": (),
        "kabupaten": ("kabupaten", "provinsi"),
        "puskesmas": ("kabupaten", "provinsi"),
    }
    while parent is not None and parent.level not in stop_levels.get(root.kind, ()):
        chain.append(Crumb(parent.code, parent.name))
        parent = parent.parent
    return chain[::-1]
