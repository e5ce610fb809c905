"""The one canonical form of article text: line breaks are "\n", whatever sent them.

Browsers submit a textarea's line breaks as CRLF, Windows files carry CRLF, old Mac files CR.
Every path by which text enters (importer, pages, admin, API) passes it through `canonical`,
and nothing else about the text is changed: no stripping, no other rewriting.
"""

import re

_LINE_BREAK = re.compile(r"\r\n?")


def canonical(text):
    """`text` with every CRLF or lone CR turned into LF."""
    return _LINE_BREAK.sub("\n", text) if "\r" in text else text
