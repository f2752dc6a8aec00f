"""Kiểm tra thể thức: any .docx checked against Nghị định 30/2020 (domain.format_check; docgen.rendered_checks).
The command line is in cli.py."""
