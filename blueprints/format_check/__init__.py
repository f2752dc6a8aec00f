"""Kiểm tra thể thức: any .docx checked against Nghị định 30/2020 (domain.format_check; docgen.rendered_checks).
The command line is in cli.py; the page (upload or pick a document -> findings beside the pictures of the pages)
in views.py and pages.py; "Chuẩn hóa" (a draft in the right format, and what changed in the text) in
normalizing.py."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("format_check", __name__, url_prefix="/format-check")

from blueprints.format_check import normalizing, pages, views  # noqa: E402,F401
