"""One commit per request: the request handler, not the view, ends the unit of work.

A view that returns a response below 400 has its changes committed after it returns; an
error response or an exception rolls everything back, so nothing is half-written. Views and
services never call commit() or rollback() themselves (CLI commands and background jobs,
which have no request, still do).
"""

from __future__ import annotations

from flask import Flask, Response

from app.extensions import db


def register_unit_of_work(app: Flask) -> None:
    @app.after_request
    def _commit_or_roll_back(response: Response) -> Response:
        session = db.session
        if response.status_code < 400:
            session.commit()  # a failing commit raises: the client sees the error, not a lie
        else:
            session.rollback()
        return response

    @app.teardown_request
    def _roll_back_leftovers(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()
