"""Flask extensions as module globals, bound to the app in create_app (flaskr style)."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so that migrations generated on SQLite and PostgreSQL agree.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = Htmx()


def configure_sqlite(engine) -> None:
    """WAL, foreign keys and a busy timeout on every SQLite connection; transactions begun explicitly.

    pysqlite's own implicit BEGIN is turned off so that we emit BEGIN ourselves: a transaction that must
    read and then write without SQLITE_BUSY (taking a register number) asks for BEGIN IMMEDIATE through the
    execution option ``sqlite_begin`` (see ``immediate_connection``).
    """
    from sqlalchemy import event

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "busy_timeout=5000", "foreign_keys=ON", "synchronous=NORMAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def immediate_connection():
    """Start the session's next transaction holding SQLite's write lock (a no-op choice on PostgreSQL).

    Call with no transaction open (after a commit or rollback); the returned connection is the session's.
    """
    return db.session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def begin_write() -> None:
    """Read and write in one write transaction (SQLite BEGIN IMMEDIATE): a request that reads a row and then
    changes it waits for another writer instead of failing busy, and two clicks are serialized.

    Ends the read transaction the sign-in check opened (nothing is pending then). Never hold it while a .docx
    or a PDF is being made.
    """
    db.session.commit()
    immediate_connection()
