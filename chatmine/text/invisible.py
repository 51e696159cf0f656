"""Characters that show nothing: zero-width characters, bidi controls and the byte-order mark.

A bidi override in a message ("怎么防？\u202etxt.exe") would turn the text after it around on a
page or in a title; names, titles and pages drop them.
"""
from __future__ import annotations

import re

INVISIBLE_CHARS = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
"""A character class's body: zero-width spaces and joiners, marks, bidi embeddings, overrides and isolates, BOM."""
INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
