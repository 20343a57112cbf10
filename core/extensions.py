"""The Flask extensions, created unbound and bound to an app in :func:`core.app.create_app`
(Flask-Migrate, only for migrating, in :mod:`core.schema`)."""

from flask import Flask
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from core.auth.login_manager import SessionLoginManager
from core.raw_reads import close_reads
from core.revision_notices import stop_listening
from core.safe_requests import RequestSession

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base of every model, with constraint names Alembic can rely on."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base, session_options={"class_": RequestSession})
babel = Babel()
csrf = CSRFProtect()
login_manager = SessionLoginManager()
login_manager.login_view = "auth.login"


def close_connections(app: Flask) -> None:
    """End ``app``'s session and close every connection its engine's pool holds: for a
    command, a benchmark or a test done with the app (a later use opens new ones)."""
    with app.app_context():
        db.session.remove()
        close_reads(db.engine)
        stop_listening(db.engine)
        db.engine.dispose()
