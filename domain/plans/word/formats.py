"""How Word writes a number or a bullet: the numFmt of a list level, and the glyphs of symbol fonts.

    format_number(7, "upperRoman")      "VII"
    format_number(28, "lowerLetter")    "bb"   (Word's letters: a..z, then aa..zz, then aaa..)
    glyph("\\uf0b7", "Symbol")           "•"    (a bullet as Word draws it from a symbol font)

Formats Word offers that no plan uses (Chinese counting, Hebrew letters, ...) come out as decimal numbers, which
keeps the count right even where the look differs.
"""

from __future__ import annotations

_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Symbol fonts draw private-use characters (U+F020-U+F0FF, the font's byte + 0xF000) as their own glyphs. The
# bullets offices pick, as the character that looks the same; any other symbol shows as a round bullet.
_SYMBOL_FONTS = {
    "symbol": {0xB7: "•", 0x2D: "-", 0x2B: "+", 0xAE: "→", 0xDE: "⇒", 0xA8: "♦", 0xE0: "◊", 0x2A: "*"},
    "wingdings": {0xA7: "▪", 0xD8: "➢", 0x76: "❖", 0xFC: "✓", 0x6C: "●", 0x6E: "■", 0x71: "❑", 0xE8: "➔",
                  0xA8: "◻", 0x77: "⬥", 0x9F: "•", 0x6F: "□", 0xFE: "☑", 0xF0: "⇨"},
}  # fmt: skip
_PRIVATE_USE = range(0xF000, 0xF100)


def roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def letters(n: int) -> str:
    """Word's alphabetic numbering: 1 -> a, 26 -> z, 27 -> aa, 53 -> aaa (a letter repeated, not base 26)."""
    repeat, index = divmod(n - 1, 26)
    return chr(ord("a") + index) * (repeat + 1)


def format_number(n: int, fmt: str) -> str:
    """`n` as a list level of format `fmt` shows it ("" for "none")."""
    if fmt == "none":
        return ""
    if n <= 0 and fmt in ("upperRoman", "lowerRoman", "upperLetter", "lowerLetter"):
        return str(n)  # Word shows 0 as "0" in these formats (a list started at 0)
    if fmt == "upperRoman":
        return roman(n)
    if fmt == "lowerRoman":
        return roman(n).lower()
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "lowerLetter":
        return letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "decimalEnclosedCircle" and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    return str(n)


def glyph(text: str, font: str = "") -> str:
    """`text` as it looks: a symbol font's private-use characters become the Unicode character drawn."""
    if not any(ord(c) in _PRIVATE_USE for c in text):
        return text
    table = _SYMBOL_FONTS.get(_font_family(font), _SYMBOL_FONTS["symbol"])
    return "".join(table.get(ord(c) - 0xF000, "•") if ord(c) in _PRIVATE_USE else c for c in text)


def symbol_char(code: str, font: str) -> str:
    """The character of a <w:sym w:font=".." w:char="F0B7"/>: a hexadecimal code in the given font."""
    try:
        value = int(code, 16)
    except (TypeError, ValueError):
        return ""
    if value < 0x100 and _font_family(font) in _SYMBOL_FONTS:
        value += 0xF000  # written without the private-use offset
    if not 0 < value < 0x110000:
        return ""
    return glyph(chr(value), font)


def _font_family(font: str) -> str:
    name = (font or "").lower()
    return "wingdings" if name.startswith("wingdings") else "symbol" if name.startswith("symbol") else name
