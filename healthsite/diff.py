"""A readable comparison of two revisions of a field: the words deleted and inserted, escaped."""

import difflib
import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# The end of a block of stored HTML (sanitized by healthsite/sanitize.py) starts a new line of text.
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|figure|ul|ol)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def text(fragment: str) -> str:
    """Return the text a reader sees in stored HTML, a line for each paragraph, heading or list item."""
    lines = html.unescape(strip_tags(_BLOCK_END.sub("\n", fragment))).splitlines()
    return "\n".join(line.strip() for line in lines if line.strip())


def words(old: str, new: str) -> SafeString:
    """Return `new` as HTML with what `old` had and it lacks in <del>, and what it adds in <ins>."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))
