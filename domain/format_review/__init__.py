"""The Kiểm tra thể thức page's own rules, around the checker (domain.format_check):

held.py        an uploaded .docx held for a while in a per-user temporary folder (never a StoredFile)
markers.py     each finding placed on the picture of its page, from the words' boxes on the printed pages
normalize.py   "Chuẩn hóa": a draft Document made from the file's text, and what changed in the text
"""
