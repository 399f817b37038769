"""Shared building blocks: base model, roles and area scope, forms, audit log, pagination."""
