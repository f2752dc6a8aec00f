"""Archive search over issued documents: diacritic-insensitive ("tuyen truyen" finds "tuyên truyền", "dang" finds
"Đảng"), only what the user may see, newest first, paginated.

Every word typed must start a word of the document (all words, any order). The keys are folded once at issue
(DocumentSearch) as space-separated words, and the same match runs three ways with the same meaning:
SQLite FTS5 prefix queries, PostgreSQL full-text prefix queries (GIN index on to_tsvector('simple', …)), or
LIKE '% word%' when neither accelerator is there (see bench/bench_archive.py for the figures behind the choice).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, column, func, literal_column, select, table, text

from domain.access import visible_archive
from domain.documents.workflow import NUMBERED
from domain.text.vietnamese import fold, number_symbol
from extensions import db
from models.choices import (
    COPY_SIGNATURE_STATES,
    COPY_SIGNATURES_PENDING,
    COPY_TEXT_DIFFERS,
    COPY_TEXT_MATCHES,
    COPY_TEXT_PARTLY,
    COPY_TEXT_STATES,
    COPY_TEXT_UNREAD,
    KINDS,
    choice_of,
)
from models.core import User
from models.documents import Document
from models.register import SEARCH_INDEX_DDL, DocumentSearch, RegisterEntry, SignedCopy

PAGE_SIZE = 20
MAX_WORDS = 12
_WORD_RE = re.compile(r"[^\W_]+")
_NUMBER_RE = re.compile(r"^\s*(?:số\s*:?\s*)?0*(\d{1,6})\b", re.IGNORECASE)
# False: always the portable LIKE form (benchmarks compare the two).
ACCELERATE = True
# Whether the accelerator exists (SQLite's FTS5 table, PostgreSQL's text_tsv column), per engine.
_ACCELERATOR_PRESENT: dict[str, bool] = {}


def words(s: str) -> list[str]:
    """Folded words: "Tuyên truyền, Đảng!" -> ["tuyen", "truyen", "dang"]."""
    return _WORD_RE.findall(fold(s or ""))


def search_text(*parts: str) -> str:
    """The stored form: folded words joined by single spaces, with a space at each end."""
    joined = " ".join(w for part in parts for w in words(part))
    return f" {joined} " if joined else ""


@dataclass
class ArchiveQuery:
    text: str = ""
    number: str = ""
    kind: str = ""
    year: int | None = None
    signer: str = ""
    recipient: str = ""
    page: int = 1

    @property
    def number_value(self) -> int | None:
        match = _NUMBER_RE.match(self.number or "")
        return int(match.group(1)) if match else None

    def args(self) -> dict:
        """The non-empty filters, for links (pager, htmx push-url)."""
        out = {"q": self.text, "number": self.number, "kind": self.kind, "year": self.year or "",
               "signer": self.signer, "recipient": self.recipient}
        return {k: v for k, v in out.items() if v}

    @property
    def empty(self) -> bool:
        return not self.args()


@dataclass
class ArchiveRow:
    document: Document
    entry: RegisterEntry | None
    signed_copies: int = 0
    recipients: list[str] = field(default_factory=list)
    signature_state: str | None = None  # the latest signed copy's (COPY_SIGNATURE_STATES); None while checked
    # The latest signed copy's number, date and trích yếu found (True), not found (False) or not read (None).
    text_found: tuple[bool | None, bool | None, bool | None] = (None, None, None)

    @property
    def signature_badge(self):
        """The latest signed copy's digital-signature badge, or None when there is no copy."""
        if not self.signed_copies:
            return None
        return choice_of(COPY_SIGNATURE_STATES, self.signature_state or COPY_SIGNATURES_PENDING)

    @property
    def text_badge(self):
        """Whether the latest signed copy's text agrees with the register, or None when there is no copy; its title
        names what differs ("Không khớp: số, ngày")."""
        if not self.signed_copies:
            return None
        state = copy_text_state(*self.text_found)
        badge = choice_of(COPY_TEXT_STATES, state)
        missing = [name for name, found in zip(("số, ký hiệu", "ngày tháng", "trích yếu"), self.text_found, strict=True)
                   if found is False]
        return badge, (f"Không khớp với sổ: {', '.join(missing)}" if missing else badge.label)

    @property
    def number_symbol(self) -> str:
        if self.entry is not None:
            return self.entry.number_symbol
        info = KINDS.get(self.document.kind)
        return number_symbol(self.document.number, info.symbol("") if info else "")

    @property
    def issued_on(self) -> date | None:
        return self.document.issued_on


def copy_text_state(*found: bool | None) -> str:
    """One state for the three comparisons: any not found differs; all found matches; some found, partly."""
    if False in found:
        return COPY_TEXT_DIFFERS
    if all(f is True for f in found):
        return COPY_TEXT_MATCHES
    return COPY_TEXT_PARTLY if True in found else COPY_TEXT_UNREAD


# ---- matching ------------------------------------------------------------------------------------------


def _accelerator_present(dialect: str) -> bool:
    key = str(db.engine.url)
    if key not in _ACCELERATOR_PRESENT:
        if dialect == "sqlite":
            sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'document_search_fts'"
        elif dialect == "postgresql":
            sql = ("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                   "AND table_name = 'document_search' AND column_name = 'text_tsv'")
        else:
            return False
        _ACCELERATOR_PRESENT[key] = db.session.execute(text(sql)).first() is not None
    return _ACCELERATOR_PRESENT[key]


def _fts_match(column: str, terms: list[str]) -> str:
    # Terms are folded [^\W_]+ words: nothing in them can be FTS5 syntax. Each is a quoted prefix phrase.
    return " AND ".join(f'{column} : "{t}"*' for t in terms)


_FTS = table("document_search_fts", column("rowid"), column("document_search_fts"))


def _wanted(query: ArchiveQuery) -> list[tuple[str, list[str]]]:
    pairs = (("text", query.text), ("signer", query.signer), ("recipients", query.recipient))
    return [(col, terms) for col, value in pairs if (terms := words(value)[:MAX_WORDS])]


def _in_year(year: int):
    """Issued in that year, written as a range: with "year = 2024" PostgreSQL drops the year from the order (year
    DESC, id DESC) as a constant and walks the primary key from the newest document of all years, checking every
    later year's matches first; the range keeps the (year, id) index in the plan, which starts at the year's
    newest row ('chi thi 07' in 2024: 100 ms -> 1 ms over 100,000 scanned documents)."""
    return DocumentSearch.year.between(year, year)


def _year_span(year: int):
    """The first and last search row of a year. Every row of the year lies between them, so the range adds no
    condition; it only lets SQLite's FTS5 walk, newest first by rowid, start at the year's last row instead of
    checking every later year's matches first ('chi thi 07' in 2024: 26 ms -> 2 ms)."""
    in_year = DocumentSearch.year == year
    return (select(func.min(DocumentSearch.id)).where(in_year).scalar_subquery(),
            select(func.max(DocumentSearch.id)).where(in_year).scalar_subquery())


def _apply_words(stmt, wanted: list[tuple[str, list[str]]], year: int | None = None):
    """Add the word filters and the newest-first order, in the database's fastest form with the same meaning.

    SQLite: join the FTS5 table and order by its rowid (= DocumentSearch.id) descending, which FTS5 walks in
    order, so a page of a common word stops after 21 matches. PostgreSQL: a prefix tsquery on the stored
    text_tsv column (GIN); the short signer and recipient columns by LIKE. Elsewhere, or without the
    accelerators: LIKE '% word%' on the same folded text.
    """
    dialect = db.session.get_bind().dialect.name
    accelerated = ACCELERATE and bool(wanted) and _accelerator_present(dialect)
    if accelerated and dialect == "sqlite":
        match = " AND ".join(_fts_match(col, terms) for col, terms in wanted)
        if year:
            stmt = stmt.where(_FTS.c.rowid.between(*_year_span(year)))
        return (stmt.join(_FTS, _FTS.c.rowid == DocumentSearch.id)
                .where(_FTS.c.document_search_fts.op("MATCH")(match))
                .order_by(_FTS.c.rowid.desc()))
    for col, terms in wanted:
        if accelerated and col == "text":
            tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), " & ".join(f"{t}:*" for t in terms))
            stmt = stmt.where(literal_column("document_search.text_tsv").op("@@")(tsquery))
        else:
            field_ = getattr(DocumentSearch, col)
            stmt = stmt.where(and_(*[field_.like(f"% {t}%") for t in terms]))
    # Year first: the same order (ids grow with time), and a year filter then walks only that year's rows.
    return stmt.order_by(DocumentSearch.year.desc(), DocumentSearch.id.desc())


def search(user: User, query: ArchiveQuery) -> tuple[list[ArchiveRow], bool]:
    """One page of matching documents (newest issued first) and whether another page follows."""
    stmt = visible_archive(user)
    if (number := query.number_value) is not None:
        stmt = stmt.where(DocumentSearch.number == number)
    if query.kind in KINDS:
        stmt = stmt.where(DocumentSearch.kind == query.kind)
    if query.year:
        stmt = stmt.where(_in_year(query.year))
    stmt = _apply_words(stmt, _wanted(query), query.year)
    page = max(query.page, 1)
    documents = list(db.session.scalars(stmt.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    has_next = len(documents) > PAGE_SIZE
    return _rows(documents[:PAGE_SIZE]), has_next


def _rows(documents: list[Document]) -> list[ArchiveRow]:
    ids = [d.id for d in documents]
    if not ids:
        return []
    entries = {e.document_id: e for e in db.session.scalars(select(RegisterEntry).where(
        RegisterEntry.document_id.in_(ids)))}
    copies = dict(db.session.execute(select(SignedCopy.document_id, func.count(SignedCopy.id)).where(
        SignedCopy.document_id.in_(ids)).group_by(SignedCopy.document_id)).all())
    latest = {row.document_id: row for row in db.session.execute(  # the last of each document's copies wins
        select(SignedCopy.document_id, SignedCopy.signature_state, SignedCopy.number_found, SignedCopy.date_found,
               SignedCopy.title_found)
        .where(SignedCopy.document_id.in_(ids)).order_by(SignedCopy.uploaded_at, SignedCopy.id))}
    rows = []
    for d in documents:
        copy = latest.get(d.id)
        rows.append(ArchiveRow(d, entries.get(d.id), copies.get(d.id, 0),
                               entries[d.id].recipients if d.id in entries else [],
                               copy.signature_state if copy else None,
                               (copy.number_found, copy.date_found, copy.title_found) if copy else (None, None, None)))
    return rows


def years() -> list[int]:
    """Years that have issued documents, newest first (for the year filter)."""
    return list(db.session.scalars(select(DocumentSearch.year).distinct().order_by(DocumentSearch.year.desc())))


def build_search_index() -> tuple[bool, int]:
    """Create the accelerators (idempotent) and index issued documents that have an entry but no keys yet.

    Returns (whether the accelerator had to be created, how many documents were indexed). The caller commits.
    """
    dialect = db.session.get_bind().dialect.name
    had = _accelerator_present(dialect)
    for sql in SEARCH_INDEX_DDL.get(dialect, []):
        db.session.execute(text(sql))
    _ACCELERATOR_PRESENT.pop(str(db.engine.url), None)
    missing = db.session.execute(
        select(Document, RegisterEntry).join(RegisterEntry, RegisterEntry.document_id == Document.id)
        .outerjoin(DocumentSearch, DocumentSearch.document_id == Document.id)
        .where(Document.status.in_(NUMBERED), DocumentSearch.id.is_(None))
        .order_by(RegisterEntry.issued_at, RegisterEntry.id)).all()
    for document, entry in missing:
        index_document(document, entry)
    return not had, len(missing)


def heading(kind: str | None, title: str) -> str:
    """Column (3): tên loại và trích yếu, "Kế hoạch Tuyên truyền …" / "Công văn V/v …"."""
    info = KINDS.get(kind or "")
    if info is None:
        return title
    return f"{info.name} {info.subject_prefix}{title}".strip()


def index_document(document: Document, entry: RegisterEntry) -> DocumentSearch:
    """Write the folded search keys of an issued document (its content is frozen from now on)."""
    row = db.session.scalar(select(DocumentSearch).where(DocumentSearch.document_id == document.id))
    row = row or DocumentSearch(document_id=document.id)
    recipients = " ; ".join(entry.recipients)
    row.kind = document.kind
    row.year = entry.year
    row.number = entry.number
    row.issued_on = entry.issued_on
    row.signer = search_text(entry.signer_name)
    row.recipients = search_text(recipients)
    row.text = search_text(entry.number_symbol, heading(document.kind, document.title), entry.signer_name,
                           recipients, document.references_text, document.kinh_gui_text, document.body)
    db.session.add(row)
    return row
