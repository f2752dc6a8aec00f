"""A kind's own fields in the editor (a Giấy mời's time and place, a Biên bản's secretary, a Quyết định's executing
bodies): one input per field of every kind, named "particular-<kind>-<key>" so that the same key of two kinds
(the chair of a Giấy mời and of a Biên bản) never collides; only the chosen kind's are kept."""

from __future__ import annotations

import json
from collections.abc import Mapping

from blueprints.documents import bp
from domain.text.vietnamese import clean_text
from models.choices import KINDS


def input_name(kind: str, key: str) -> str:
    return f"particular-{kind}-{key}"


def posted(form: Mapping, kind: str) -> str:
    """The chosen kind's fields as typed (cleaned, one line each), as the JSON the document keeps."""
    info = KINDS.get(kind)
    values = {}
    for choice in info.particulars if info else ():
        value = clean_text(str(form.get(input_name(kind, choice.code), "") or ""), multiline=False).strip()
        if value:
            values[choice.code] = value
    return json.dumps(values, ensure_ascii=False) if values else ""


def values(particulars_json: str | None) -> dict[str, str]:
    """The stored fields back, for the inputs (unreadable text gives none)."""
    try:
        data = json.loads(particulars_json or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def kind_fields(particulars_json: str | None, chosen: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """For the editor: every kind that has fields of its own, with (label, input name, value) for each; the
    values are the document's for its chosen kind, empty for the others."""
    current = values(particulars_json)
    return [(code, [(c.label, input_name(code, c.code), current.get(c.code, "") if code == chosen else "")
                    for c in kind.particulars])
            for code, kind in KINDS.items() if kind.particulars]


@bp.context_processor
def _kind_fields():
    return {"kind_fields": kind_fields}
