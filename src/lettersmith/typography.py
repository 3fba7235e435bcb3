"""Text rules applied to what a brief and the library write, after markdown-it's
smartquotes: web addresses keep their straight quotes, and a phone number is held
together on one line (no-break space, non-breaking hyphen U+2011, which the Word
writer writes as ``w:noBreakHyphen``)."""
from __future__ import annotations

import re

NB_HYPHEN = "\u2011"
_URL = re.compile(r"https?://\S+")
_CURLY = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")
# (555) 555-0100, 555-555-0100, 555.555.0100, +1 555 555 0100, 1-800-555-0100
_PHONE = re.compile(r"(?<![\w\u2011-])(?:\+?1[ .-])?(?:\(\d{3}\)[ ]?|\d{3}[ .-])\d{3}[ .-]\d{4}"
                    r"(?![\w\u2011-])")


def _hold_together(match: re.Match[str]) -> str:
    return match.group().replace(" ", "\u00a0").replace("-", NB_HYPHEN)


def fix_text(text: str) -> str:
    """Straight quotes back inside URLs; phone numbers unbreakable."""
    if "://" in text:
        text = _URL.sub(lambda match: match.group().translate(_CURLY), text)
    if any(c.isdigit() for c in text):
        text = _PHONE.sub(_hold_together, text)
    return text
