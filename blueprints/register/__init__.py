"""The outgoing register (Sổ văn bản đi): the register of each year, issuing a document with its number, the issued
.docx, the signed copy."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("register", __name__)

BUSY = "Cơ sở dữ liệu đang bận (nhiều người cùng ghi sổ); chưa có gì thay đổi. Vui lòng thử lại sau giây lát."

# The routes, each module adding its own to bp.
from blueprints.register import book, issuing, signed_copies  # noqa: E402,F401
