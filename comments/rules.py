"""The moderators' blocklist and hold list (ModerationRule), as WordPress's Discussion settings keep them.

Every new or edited comment is checked (moderation.submit and moderation.edit): words in the body
and the poster's name, the poster's email address, their IP address and the domains the body
links to. Words, addresses and domains are compared as text.fold spells them, so case,
accents, invisible characters and look-alike letters of other scripts make no difference.
"""

import functools
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .models import Comment, ModerationRule
from .text import fold

Kind = ModerationRule.Kind
_DOMAIN = re.compile(r"(?=.{1,253}\Z)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}")
# A host in the text: after "//", or standing on its own (not inside an email address or a path).
_HOST = re.compile(r"(?:(?<=//)|(?<![\w@./\\-]))((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,63})(?![\w-])")


@dataclass(frozen=True)
class Verdict:
    """What the rules say of a comment: the first blocklist rule and the first hold-list rule it matches."""

    spam: ModerationRule | None = None
    hold: ModerationRule | None = None


def _domain(value: str) -> str | None:
    """Return a domain as rules compare it (folded, IDNA decoded, no trailing dot), or None if it is not one."""
    value = value.strip().rstrip(".")
    if "xn--" in value.lower():
        try:
            value = value.encode("ascii").decode("idna")
        except UnicodeError:
            return None
    value = fold(value)
    return value if _DOMAIN.fullmatch(value) else None


def clean_value(kind: str, value: str) -> str:
    """Return a rule's value as it is stored; raise ValueError with a message for the admin form if it is wrong."""
    value = " ".join(value.split())
    if not value:
        raise ValueError("Write what the rule matches.")
    if kind == Kind.WORD:
        if not any(char.isalnum() for char in fold(value)):
            raise ValueError("A word rule needs at least one letter or digit.")
        return value
    if kind == Kind.EMAIL:
        local, at, domain = value.rpartition("@")
        found = _domain(domain)
        if found is None or " " in local:
            raise ValueError("Write an email address (ann@example.com) or a domain (@example.com).")
        return f"{fold(local)}@{found}" if local else f"@{found}"
    if kind == Kind.IP:
        try:
            return str(ipaddress.ip_network(value, strict=False))
        except ValueError:
            raise ValueError("Write an IP address (203.0.113.7) or a network (203.0.113.0/24, 2001:db8::/32).") from None
    if kind == Kind.LINK:
        host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
        found = _domain(host)
        if found is None:
            raise ValueError("Write a domain (example.com); its subdomains match too.")
        return found
    raise ValueError("Choose what the rule matches.")


@functools.lru_cache(maxsize=1024)
def _word_pattern(value: str) -> re.Pattern:
    words = fold(value).split()
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)")


def _in_domain(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _ip(value) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def link_hosts(body: str) -> set[str]:
    """Return the domains the comment's text links to or names ("example.com/offer"), as rules compare them.

    Read from the text rather than from its links: a domain the link maker does not know
    (a new top-level domain) still counts.
    """
    return {host for host in map(_domain, _HOST.findall(fold(body))) if host}


class _Comment:
    """A comment's parts as the rules see them, folded once."""

    def __init__(self, comment: Comment):
        self.words = fold(f"{comment.name}\n{comment.body}")
        self.email = fold(comment.email or "").strip()
        self.ip = _ip(comment.ip_address) if comment.ip_address else None
        self.hosts = link_hosts(comment.body)

    def matches(self, rule: ModerationRule) -> bool:
        if rule.kind == Kind.WORD:
            return bool(_word_pattern(rule.value).search(self.words))
        if rule.kind == Kind.EMAIL:
            if rule.value.startswith("@"):
                return "@" in self.email and _in_domain(self.email.rpartition("@")[2], rule.value[1:])
            return self.email == rule.value
        if rule.kind == Kind.IP:
            try:
                return self.ip is not None and self.ip in ipaddress.ip_network(rule.value, strict=False)
            except (ValueError, TypeError):  # a stored value the form never checked; IPv4 against IPv6
                return False
        if rule.kind == Kind.LINK:
            return any(_in_domain(host, rule.value) for host in self.hosts)
        return False


def check(comment: Comment) -> Verdict:
    """Return which blocklist and hold-list rules the comment matches (one query for the rules)."""
    rules = list(ModerationRule.objects.all())
    if not rules:
        return Verdict()
    seen = _Comment(comment)
    spam = next((rule for rule in rules if rule.effect == ModerationRule.Effect.SPAM and seen.matches(rule)), None)
    hold = next((rule for rule in rules if rule.effect == ModerationRule.Effect.HOLD and seen.matches(rule)), None)
    return Verdict(spam=spam, hold=hold)

