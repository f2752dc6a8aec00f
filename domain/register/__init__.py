"""The outgoing register: numbering and issue, the signed copy, the archive search."""
