"""The client's address, read through the proxies the site trusts and no further.

Each proxy appends the address it saw to X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies in
front of the site the client is the entry that many places from the right: the nearest proxy is
REMOTE_ADDR, and what stands left of the outermost trusted proxy's entry is whatever the client
chose to send. With 0 (no proxy) the header is ignored, since any client can send it.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """Return the address of the client that sent `request`, or None if it has none we can use."""
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if not trusted:
        return remote
    chain = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if not chain:  # sent to the site directly, past the proxies: the peer is the client
        return remote
    # A shorter chain came through fewer proxies than configured, all of them trusted: its first entry
    # was written by one of them. Anything unreadable counts as the proxy's own address, which over-
    # throttles rather than letting a client pick a fresh address for every request.
    return _valid(chain[-min(trusted, len(chain))]) or remote
