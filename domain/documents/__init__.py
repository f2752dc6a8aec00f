"""An official document's life: the workflow transition table and the reviewer's view.

Importing the package keeps each document's folded title (for the list's search without diacritics) up to date.
"""

from sqlalchemy import event

from domain.text.vietnamese import fold
from models.documents import Document


@event.listens_for(Document, "before_insert")
@event.listens_for(Document, "before_update")
def _keep_title_search(_mapper, _connection, document: Document) -> None:
    document.title_search = fold(document.title or "")[:500]
