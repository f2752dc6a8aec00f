"""WordprocessingML names and a parser for untrusted XML.

Word's "Strict Open XML" files use other namespace names for the same elements; `parse` reads them under the
usual (transitional) names, so the rest of the package knows one set.
"""

from __future__ import annotations

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
VAL = W + "val"
_TRANSITIONAL = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_OFF = {"0", "false", "off"}


def parse(data: bytes) -> etree._Element:
    """The root element of an XML part; raises etree.XMLSyntaxError (or ValueError) when it is not XML."""
    if _STRICT in data:
        data = data.replace(_STRICT, _TRANSITIONAL)
    # No DTDs, no entities, no network: a hostile document cannot make the parser fetch or expand anything. A
    # parser per call: lxml parsers must not be shared between threads.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)  # fmt: skip
    return etree.fromstring(data, parser)


def w(local: str) -> str:
    return W + local


def child_val(element, local: str) -> str | None:
    """The w:val of `element`'s child w:<local>, or None when there is no such child."""
    if element is None:
        return None
    child = element.find(W + local)
    return None if child is None else child.get(VAL)


def toggle(element, local: str) -> bool | None:
    """A toggle property (<w:caps/>, <w:vanish w:val="0"/>): True, False, or None when not set here."""
    if element is None:
        return None
    child = element.find(W + local)
    if child is None:
        return None
    return (child.get(VAL) or "true").lower() not in _OFF


def int_val(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
