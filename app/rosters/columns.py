"""The kader columns, named once: the district export, the kader list download and the import
template take their headers from here, so a column cannot be spelled three ways.

Each use picks columns by key, in its own order (the template keeps the order that filled-in
files already have). Keys are the import's canonical column names.
"""

from __future__ import annotations

KADER_COLUMNS: dict[str, str] = {
    # the kader's own record
    "nik": "NIK",
    "nama": "Nama",
    "jenis_kelamin": "Jenis Kelamin",
    "tanggal_lahir": "Tanggal Lahir",
    "no_hp": "No HP",
    "pendidikan": "Pendidikan",
    "tahun_mulai": "Tahun Mulai",
    # where she serves now
    "kode_posyandu": "Kode Posyandu",
    "posyandu": "Posyandu",
    "desa": "Desa",
    "kecamatan": "Kecamatan",
    "peran": "Peran",
    "status": "Status",
    # what she has reached
    "tingkat": "Tingkat",
    "no_sertifikat": "No Sertifikat",
}

RECORD = ("nik", "nama", "jenis_kelamin", "tanggal_lahir", "no_hp", "pendidikan", "tahun_mulai")
EXPORT = (*RECORD, "kode_posyandu", "posyandu", "desa", "kecamatan", "peran", "tingkat", "no_sertifikat")
LIST_DOWNLOAD = (*RECORD, "posyandu", "desa", "peran", "status")
TEMPLATE = (*RECORD[:6], "posyandu", "peran", "tahun_mulai")


def headers(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(KADER_COLUMNS[k] for k in keys)
