"""Digital Resilience Self-Assessment: the application factory."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from .bounds import BoundedIntConverter
from .catalogues import check_catalogues
from .config import from_env
from .core.questionnaire import QuestionnaireError
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .registry import Registry

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; refuse to start on unsafe settings or an invalid questionnaire."""
    app = Flask(__name__, instance_relative_config=True, template_folder="web/templates",
                static_folder="web/static")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(from_env(app.instance_path))
    app.config.update(config or {})
    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.url_map.converters["int"] = BoundedIntConverter
    check_catalogues(app)
    register_extensions(app)
    register_questionnaires(app)
    register_blueprints(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    from .i18n import install_template_gettext, select_locale, select_timezone
    from .web.auth import load_user
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"


def register_questionnaires(app: Flask) -> None:
    try:
        app.extensions["questionnaires"] = Registry(app.config["QUESTIONNAIRE_DIRS"])
    except QuestionnaireError as exc:
        raise SystemExit("Refusing to start: invalid questionnaire files:\n" + str(exc)) from None


def register_blueprints(app: Flask) -> None:
    from .api import bp as api_bp
    from .web import register as register_web
    register_web(app)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)


def register_cli(app: Flask) -> None:
    from .cli import register
    register(app)
