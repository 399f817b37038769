"""Rosters: wilayah, Puskesmas, Pustu, Posyandu, kader and their roster membership history."""
