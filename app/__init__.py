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
    return app


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
    from app.jobs.views import bp as jobs_bp
    from app.practicals.views import bp as practicals_bp
    from app.progress.views import bp as progress_bp
    from app.quizzes.views import bp as quizzes_bp
    from app.reports.views import bp as reports_bp
    from app.rosters.import_views import bp as roster_import_bp
    from app.rosters.views import bp as rosters_bp

    app.register_blueprint(core_bp)
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


def _register_cli(app: Flask) -> None:
    from app.auth.cli import create_user_command, end_sessions_command
    from app.certificates.cli import certificates_cli
    from app.core.backup import backup_cli
    from app.curriculum.cli import curriculum_cli
    from app.demo.bench_data import bench_data_command
    from app.demo.seed import seed_demo_command
    from app.jobs.cli import jobs_cli
    from app.rosters.cli import roster_cli, wilayah_cli

    app.cli.add_command(create_user_command)
    app.cli.add_command(end_sessions_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(bench_data_command)
    app.cli.add_command(wilayah_cli)
    app.cli.add_command(roster_cli)
    app.cli.add_command(curriculum_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(jobs_cli)
