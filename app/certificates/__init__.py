"""Certificates (Tanda Kecakapan Kader): issuance, numbering, PDF, verification, Open Badges."""
