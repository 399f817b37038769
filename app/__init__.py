"""Kader Cakap: training and certification of Posyandu kader (Flask application factory)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from config import BASE_DIR, INSTANCE_DIR, BaseConfig, config_from_env


def create_app(config: type[BaseConfig] | BaseConfig | str | None = None, **overrides: Any) -> Flask:
    """Build the app. `config` is a config class, instance or name; overrides win over it."""
    from config import CONFIGS

    if config is None:
        config = config_from_env()
    if isinstance(config, str):
        config = CONFIGS[config]
    cfg = config() if isinstance(config, type) else config

    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    app.config.from_object(cfg)
    app.config["DATABASE_URL"] = overrides.pop("DATABASE_URL", None) or cfg.DATABASE_URL
    app.config.update(overrides)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    from app.core.numbers import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added
    if app.config.get("TRUSTED_PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXY_COUNT"])  # the client address the proxy saw
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_scope_rules()
    _connect_listeners()
    _register_providers(app)
    _register_blueprints(app)
    _register_cli(app)
    from app.core.errors import register_error_handlers
    from app.core.security import register_input_guard, register_security_headers
    from app.core.static_files import register_static_versions
    from app.core.templating import register_template_helpers
    from app.core.transactions import register_unit_of_work

    register_unit_of_work(app)
    register_error_handlers(app)
    register_static_versions(app)
    register_security_headers(app)
    register_input_guard(app)
    register_template_helpers(app)
    _register_domain_template_helpers(app)
    return app


def _register_scope_rules() -> None:
    """Every area-bound model's scope rule, registered here rather than as a side effect of
    importing a view, so a CLI command or a job that never imports views is scoped too."""
    # Each module registers its rules with app.core.scope.register_scope as it is imported.
    from app.certificates import scope_rules as _certificates  # noqa: F401
    from app.jobs import scope_rules as _jobs  # noqa: F401
    from app.practicals import scope_rules as _practicals  # noqa: F401
    from app.quizzes import scope_rules as _quizzes  # noqa: F401
    from app.rosters import scope_rules as _rosters  # noqa: F401


def _register_providers(app: Flask) -> None:
    """What a lower package asks of higher ones without importing them: rosters sits below
    progress and certificates, so the roster export asks for levels and certificate numbers
    through this provider (app.rosters.export.KaderStanding)."""
    from app.certificates.queries import kader_standing
    from app.rosters.export import register_kader_standing

    register_kader_standing(app, kader_standing)


def _connect_listeners() -> None:
    """Who reacts to domain events (app/core/events.py). A notifier connects here too."""
    from app.core import events, kept_summaries
    from app.progress import quiz_summary
    from app.progress.services import on_curriculum_synced, on_evidence_recorded
    from app.reports import posyandu_counts, session_counts

    events.evidence_recorded.connect(on_evidence_recorded)
    events.curriculum_synced.connect(on_curriculum_synced)
    for milestone in (events.level_reached, events.certificate_issued, events.certificate_revoked):
        milestone.connect(events.log_event)
    # Summaries the dashboards read, kept in step with every session's writes.
    for summary in (quiz_summary.SUMMARY, session_counts.SUMMARY, posyandu_counts.SUMMARY):
        kept_summaries.listen(summary)


def _register_domain_template_helpers(app: Flask) -> None:
    from app.certificates.labels import register_template_helpers as certificate_labels
    from app.quizzes.labels import register_template_helpers as quiz_labels
    from app.quizzes.views import learning_page_results
    from app.rosters.labels import register_template_helpers as roster_labels

    roster_labels(app)
    certificate_labels(app)
    quiz_labels(app)
    # The learning pages (curriculum) show the kader's quiz results without importing quizzes.
    app.template_context_processors.setdefault("curriculum", []).append(learning_page_results)


def _init_extensions(app: Flask) -> None:
    from app.extensions import babel, csrf, db, limiter, login_manager, select_locale, select_timezone

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    from app.auth.session import configure_login_manager

    configure_login_manager(login_manager)


def _register_blueprints(app: Flask) -> None:
    from app.api import init_api

    init_api(app)  # first: its hooks keep session cookies away from /api/v1
    from app.audit.views import bp as audit_bp
    from app.auth.account_views import bp as accounts_bp
    from app.auth.views import bp as auth_bp
    from app.certificates.views import bp as certificates_bp
    from app.certificates.views import public as verify_bp
    from app.core.views import bp as core_bp
    from app.curriculum.views import bp as curriculum_bp
    from app.home.views import bp as home_bp
    from app.jobs.views import bp as jobs_bp
    from app.offline.views import bp as offline_bp
    from app.practicals.views import bp as practicals_bp
    from app.progress.views import bp as progress_bp
    from app.quizzes.views import bp as quizzes_bp
    from app.reports.views import bp as reports_bp
    from app.rosters.import_views import bp as roster_import_bp
    from app.rosters.views import bp as rosters_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(rosters_bp)
    app.register_blueprint(curriculum_bp)
    app.register_blueprint(roster_import_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(practicals_bp)
    app.register_blueprint(progress_bp)
    app.register_blueprint(quizzes_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(verify_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(offline_bp)


def _register_cli(app: Flask) -> None:
    from app.auth.cli import create_user_command, end_sessions_command
    from app.certificates.cli import certificates_cli
    from app.core.backup import backup_cli
    from app.curriculum.cli import curriculum_cli
    from app.demo.seed import seed_demo_command
    from app.jobs.cli import jobs_cli
    from app.rosters.cli import roster_cli, wilayah_cli

    app.cli.add_command(create_user_command)
    app.cli.add_command(end_sessions_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(wilayah_cli)
    app.cli.add_command(roster_cli)
    app.cli.add_command(curriculum_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(jobs_cli)
