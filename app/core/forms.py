"""Base form: Flask-WTF (CSRF on) with whitespace stripped from every text field."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            filters = list(unbound_field.kwargs.get("filters", ()))
            filters.append(_strip)
            return unbound_field.bind(form=form, filters=filters, **options)
