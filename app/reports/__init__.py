"""Dashboards and reports: read-only aggregates, server-rendered charts, XLSX/CSV exports."""
