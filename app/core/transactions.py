"""One commit per request: the request handler, not the view, ends the unit of work.

A view that returns a response below 400 has its changes committed after it returns; an
error response or an exception rolls everything back, so nothing is half-written. Views and
services never call commit() or rollback() themselves (CLI commands and background jobs,
which have no request, still do). Work that must only happen once the changes are durable
(handing a new job to a worker that reads its row) is registered with `after_commit`.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, g

from app.extensions import db

_AFTER_COMMIT = "after_commit_callbacks"


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once this request's changes are committed (never, if they roll back).
    It may still flash a message: the session cookie is written after it has run."""
    g.setdefault(_AFTER_COMMIT, []).append(callback)


def register_unit_of_work(app: Flask) -> None:
    @app.after_request
    def _commit_or_roll_back(response: Response) -> Response:
        session = db.session
        if response.status_code < 400:
            session.commit()  # a failing commit raises: the client sees the error, not a lie
            for callback in g.pop(_AFTER_COMMIT, []):
                callback()
        else:
            session.rollback()
        return response

    @app.teardown_request
    def _roll_back_leftovers(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()
