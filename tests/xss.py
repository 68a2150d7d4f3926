"""The XSS corpus and a check that a rendered page holds no active content from it."""

from pathlib import Path

from bs4 import BeautifulSoup

VECTORS = [
    line for line in (Path(__file__).parent / "data" / "xss_vectors.txt").read_text().splitlines()
    if line and not line.startswith("# ")
]
FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "base", "meta",
                  "link", "form", "svg", "math", "xml", "bgsound", "template", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "lowsrc", "dynsrc", "xlink:href",
                  "srcdoc", "poster", "srcset"}


def _is_ours(tag) -> bool:
    """Tags the site's own templates put in <head> or load from its own static files."""
    if tag.name == "script":
        return tag.get("type") == "application/ld+json" or str(tag.get("src", "")).startswith("/static/")
    if tag.name in ("meta", "link", "style", "base") and tag.find_parent("head") is not None:
        return True
    if tag.name == "form":
        action = tag.get("action", "")
        return action == "" or action.startswith("/") or action.startswith("?")
    return False


def active_content(html: str) -> list[str]:
    """Return every script, handler, script URL, frame, object, embed or style the page holds but ours."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name in FORBIDDEN_TAGS and not _is_ours(tag):
            found.append(f"<{tag.name}> element")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{name} handler on <{tag.name}>")
            if name.lower() == "style" and tag.name != "html":
                found.append(f"style attribute on <{tag.name}>")
            if name.lower() in URL_ATTRIBUTES:
                squashed = "".join(value.split()).lower()
                if squashed.startswith(("javascript:", "data:", "vbscript:")):
                    found.append(f"{name}={value[:40]!r} on <{tag.name}>")
    return found
