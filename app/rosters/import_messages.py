"""Roster import problems in the user's language (codes come from the pure parser)."""

from __future__ import annotations

from flask_babel import gettext as _

from app.rosters.roster_file import Issue


def issue_text(issue: Issue) -> str:
    p = dict(issue.params)
    messages = {
        "file_empty": lambda: _("Berkas kosong: tidak ada baris data."),
        "no_data_rows": lambda: _("Berkas hanya berisi judul kolom, tanpa baris data."),
        "too_many_rows": lambda: _(
            "Terlalu banyak baris: maksimal %(max)d baris per berkas. Bagi berkas atau "
            "gunakan perintah flask roster import.",
            max=p.get("max", 0),
        ),
        "not_a_table": lambda: _(
            "Berkas tidak bisa dibaca sebagai tabel CSV atau XLSX. Simpan ulang sebagai CSV "
            "(UTF-8) atau XLSX."
        ),
        "csv_unreadable": lambda: _("Berkas CSV rusak atau tidak lengkap."),
        "encoding_mixed": lambda: _(
            "Baris %(row)d memakai pengodean huruf yang berbeda dari baris lain (bita %(bytes)s). "
            "Nama bisa tercetak salah, jadi berkas ditolak. Buka berkas di Excel lalu simpan sebagai "
            '"CSV UTF-8", atau perbaiki baris itu.',
            row=p.get("row", 0),
            bytes=p.get("bytes", ""),
        ),
        "encoding_unknown": lambda: _(
            "Baris %(row)d berisi bita yang tidak terbaca (%(bytes)s). Simpan berkas sebagai "
            '"CSV UTF-8" lalu unggah lagi.',
            row=p.get("row", 0),
            bytes=p.get("bytes", ""),
        ),
        "xlsx_unreadable": lambda: _("Berkas XLSX rusak atau bukan berkas Excel."),
        "xlsx_too_large": lambda: _(
            "Berkas XLSX ini berisi jauh lebih banyak data daripada daftar kader (lebih dari "
            "%(megabytes)d MB setelah dibuka). Salin hanya kolom dan baris kader ke lembar baru, "
            "atau simpan sebagai CSV.",
            megabytes=p.get("megabytes", 0),
        ),
        "columns_missing": lambda: _(
            "Kolom wajib tidak ada: %(columns)s. Gunakan templat.", columns=p["columns"]
        ),
        "columns_unknown": lambda: _(
            "Kolom tidak dikenal: %(columns)s. Hapus kolom itu atau gunakan templat.", columns=p["columns"]
        ),
        "columns_repeated": lambda: _("Kolom muncul dua kali: %(columns)s.", columns=p["columns"]),
        "nik_required": lambda: _("NIK wajib diisi."),
        "nik_format": lambda: _("NIK harus 16 angka."),
        "nik_area": lambda: _("Kode wilayah pada NIK tidak sah."),
        "nik_birth_date": lambda: _("Tanggal lahir yang tersandi di NIK tidak sah."),
        "nik_serial": lambda: _("Nomor urut NIK tidak boleh 0000."),
        "nik_other_kabupaten": lambda: _("NIK ini sudah terdaftar sebagai kader di kabupaten lain."),
        "nik_duplicate_in_file": lambda: _("NIK sama dengan baris %(row)d di berkas ini.", row=p["row"]),
        "nik_birth_date_mismatch": lambda: _("Tanggal lahir tidak sama dengan yang tersandi di NIK."),
        "nik_sex_mismatch": lambda: _("Jenis kelamin tidak sesuai dengan NIK."),
        "name_required": lambda: _("Nama wajib diisi."),
        "name_too_long": lambda: _("Nama terlalu panjang: maksimal %(max)d karakter.", max=p["max"]),
        "sex_invalid": lambda: _("Jenis kelamin harus L atau P."),
        "birth_date_invalid": lambda: _(
            "Tanggal lahir tidak terbaca: tulis seperti 31/12/1985 atau 1985-12-31."
        ),
        "birth_date_implausible": lambda: _(
            "Tanggal lahir tidak masuk akal: umur %(age)d tahun.", age=p["age"]
        ),
        "phone_invalid": lambda: _("Nomor HP tidak sah: tulis seperti 081234567890."),
        "education_invalid": lambda: _(
            "Pendidikan tidak dikenal: gunakan SD, SMP, SMA, D3, S1, S2 atau tidak sekolah."
        ),
        "role_invalid": lambda: _("Peran harus ketua, sekretaris, bendahara atau anggota."),
        "start_year_invalid": lambda: _("Tahun mulai harus antara 1970 dan %(max)d.", max=p.get("max", 0)),
        "start_year_before_birth": lambda: _("Tahun mulai terlalu dekat dengan tahun lahir."),
        "posyandu_required": lambda: _("Posyandu wajib diisi (kode atau nama)."),
        "posyandu_unknown": lambda: _(
            'Posyandu "%(value)s" tidak ditemukan di kabupaten ini.', value=p["value"]
        ),
        "posyandu_other_kabupaten": lambda: _(
            'Posyandu "%(value)s" berada di kabupaten lain.', value=p["value"]
        ),
        "posyandu_ambiguous": lambda: _(
            'Ada beberapa Posyandu bernama "%(value)s": tulis kodenya (%(codes)s).',
            value=p["value"],
            codes=p["codes"],
        ),
    }
    render = messages.get(issue.code)
    return render() if render else issue.code
