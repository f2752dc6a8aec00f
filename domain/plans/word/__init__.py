"""Reading Word files the way Word shows them: .docx directly (numbering, tables, text boxes, tracked changes,
fields), .doc through LibreOffice. The entry points are docx_text (package.py) and doc_to_docx (legacy.py)."""
