"""The few helpers that several blueprints' views share."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from urllib.parse import urlsplit

from flask import Response, render_template, send_file, url_for

from domain.files import FileDamaged, read_file
from models import Document, StoredFile

BUSY = "Cơ sở dữ liệu đang bận (nhiều người cùng ghi sổ); chưa có gì thay đổi. Vui lòng thử lại sau giây lát."

# The dashboard's panels, each added by its feature's package: (place, template, build). A build takes the user and
# returns the template's context, or None when the panel is not for them. Features add panels rather than the
# dashboard importing every feature.
DASHBOARD_PANELS: list[tuple[int, str, Callable]] = []


def dashboard_panel(place: int, template: str, build: Callable) -> None:
    """Add a panel to the dashboard; panels show in the order of their place (the office's work first)."""
    DASHBOARD_PANELS.append((place, template, build))
    DASHBOARD_PANELS.sort(key=lambda panel: panel[0])


def document_url(document: Document) -> str:
    """A document's own page in the application."""
    return url_for("documents.show", document_id=document.id)


def record_url(document: Document) -> str:
    """An issued document's record in the archive."""
    return url_for("archive.record", document_id=document.id)


def safe_next(target: str | None, default: str) -> str:
    """Where to go back to: `target` if it is a path of this site, else `default`. Never another host: "//host",
    "/\\host" and "/\\t/host" (browsers drop tabs and newlines, making it "//host") all go to `default`."""
    if not target or any(ch < " " for ch in target):
        return default
    parts = urlsplit(target)
    same_site = target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if same_site and not parts.scheme and not parts.netloc else default


def send_stored_file(stored: StoredFile, back_url: str, *, inline: bool = False,
                     before_sending: Callable[[], None] | None = None) -> Response | tuple[str, int]:
    """Send a stored file as it was stored, or, when it is missing or changed on disk, a page saying so (500):
    a damaged file is never sent. `before_sending` runs once the file is read whole (an audit of the download)."""
    try:
        data = read_file(stored)
    except FileDamaged:
        return render_template("errors/file_damaged.html", stored=stored, back_url=back_url), 500
    if before_sending is not None:
        before_sending()
    response = send_file(BytesIO(data), mimetype=stored.content_type, as_attachment=not inline,
                         download_name=stored.original_name)
    response.headers["Cache-Control"] = "private, no-store"  # an office's files stay out of shared caches
    return response
