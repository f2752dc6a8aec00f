"""Flask extensions as module globals, bound to the app in create_app (flaskr style)."""

from flask import has_request_context, request
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import MetaData, event, inspect, select
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


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
IMMEDIATE, DEFERRED = "IMMEDIATE", "DEFERRED"
BUSY_TIMEOUT_MS = 5000
# SQLite's busy handler polls with growing sleeps rather than queueing, so under load one waiter can be passed
# over for longer than the timeout; nothing has been done when BEGIN fails, so asking again is safe.
BEGIN_ATTEMPTS = 2
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _wants_write() -> bool:
    """Whether a transaction begun now may write: every one except those of GET/HEAD/OPTIONS requests.

    The one place that decides how transactions begin on SQLite. A state-changing request reads and then
    writes (checks, counters, the row it changes), so its transaction starts holding the write lock and waits
    for other writers up to the busy timeout instead of failing at its first write. The command line and
    background work write too. Only a request that cannot change state starts as a plain read.
    """
    return not (has_request_context() and request.method in SAFE_METHODS)


def configure_sqlite(engine, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """WAL, foreign keys and a busy timeout on every SQLite connection; transactions begun explicitly.

    pysqlite's own implicit BEGIN is turned off so that we emit BEGIN ourselves: BEGIN IMMEDIATE for every
    transaction that may write (see ``_wants_write``), a plain BEGIN for reads. A read transaction that turns
    out to write (a download recorded in the audit log) is upgraded at its first write: it ends its read and
    begins again holding the lock, because SQLite refuses to upgrade a read whose snapshot another writer has
    moved past, and does so at once, without waiting.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", f"busy_timeout={int(busy_timeout_ms)}", "foreign_keys=ON",
                       "synchronous=NORMAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin") or (IMMEDIATE if _wants_write() else DEFERRED)
        for attempt in range(BEGIN_ATTEMPTS):
            try:
                conn.exec_driver_sql(f"BEGIN {mode}")
                break
            except Exception as exc:
                if attempt == BEGIN_ATTEMPTS - 1 or not is_database_busy(exc):
                    raise
        conn.info["sqlite_txn"] = mode

    @event.listens_for(engine, "before_cursor_execute")
    def _upgrade_read_to_write(conn, cursor, statement, _parameters, _context, _executemany):
        if conn.info.get("sqlite_txn") == DEFERRED and statement.lstrip()[:7].upper().startswith(_WRITE_VERBS):
            _restart_immediate(cursor)
            conn.info["sqlite_txn"] = IMMEDIATE


def _restart_immediate(cursor) -> None:
    """End a transaction that has only read and begin one that holds the write lock (waits up to the timeout)."""
    cursor.execute("COMMIT")
    for attempt in range(BEGIN_ATTEMPTS):
        try:
            cursor.execute("BEGIN IMMEDIATE")
            return
        except Exception as exc:
            if attempt == BEGIN_ATTEMPTS - 1 or not is_database_busy(exc):
                raise


def is_database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked"/"busy" after the busy timeout (raw or wrapped by SQLAlchemy)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).lower()
    return orig.__class__.__name__ == "OperationalError" and ("locked" in text or "busy" in text)


def in_write_transaction() -> bool:
    """Whether the session's open transaction holds the write lock (always so on PostgreSQL: rows are locked)."""
    session = db.session()
    if session.get_bind().dialect.name != "sqlite":
        return True
    return session.in_transaction() and session.connection().info.get("sqlite_txn") == IMMEDIATE


def begin_write() -> None:
    """From here to the commit, hold the database's write lock, so what is read next stays true until then.

    Inside a state-changing request this is already so (see ``_wants_write``) and nothing happens. A read
    transaction (a GET that records a download) is upgraded: its pending changes are flushed, it begins again
    holding the lock, and objects read before are expired so they reload current. On PostgreSQL the callers lock
    the rows they change (FOR UPDATE, ON CONFLICT).
    """
    session = db.session()
    connection = session.connection()  # begins a transaction if none is open, holding the lock where it may write
    if connection.dialect.name != "sqlite" or connection.info.get("sqlite_txn") == IMMEDIATE:
        return
    session.flush()  # a first write upgrades the transaction by itself (_upgrade_read_to_write)
    if connection.info.get("sqlite_txn") != IMMEDIATE:
        _restart_immediate(connection.connection.dbapi_connection.cursor())
        connection.info["sqlite_txn"] = IMMEDIATE
    session.expire_all()


def lock_row(obj) -> None:
    """Hold this object's row until the commit, so that whoever writes under it next waits for us.

    PostgreSQL: SELECT … FOR UPDATE on its primary key, then the object is read again (unless it has changes not
    yet flushed, which are kept), since another writer may have changed it while we waited. SQLite: the
    transaction holds the database write lock (begin_write), which already excludes writers.
    For "one row per key" writes (a unit's figures, its report, its assignment): the second writer finds the
    first one's row instead of inserting a duplicate.
    """
    begin_write()
    if db.session.get_bind().dialect.name == "postgresql":
        mapper = inspect(obj).mapper
        key = mapper.primary_key[0]
        db.session.execute(select(key).where(key == getattr(obj, key.key)).with_for_update())
        if obj not in db.session.dirty:
            db.session.refresh(obj)
