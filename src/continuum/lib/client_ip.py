"""The one resolver of the client's address, for the audit log and the login lockout.

Behind reverse proxies the TCP peer (``REMOTE_ADDR``) is the nearest proxy, and ``X-Forwarded-For``
lists the addresses each proxy saw, the client's leftmost. Every proxy *appends* to that header, so
only its right end was written by proxies we run; everything further left is whatever the client
sent. The client's address is therefore the rightmost address that is not one of our proxies,
never the leftmost entry, which anybody can set.

Two ways to say which hops are ours (``docs/operations.md``, "Behind a reverse proxy"):

- ``CONTINUUM_TRUSTED_PROXIES``: the proxies' addresses or networks (``10.0.0.5, 10.1.0.0/16``).
  Walking from ``REMOTE_ADDR`` leftwards, trusted addresses are skipped; the first other one is
  the client. A request that reaches Continuum without passing a trusted proxy keeps its own
  ``REMOTE_ADDR``, whatever header it sends. Preferred.
- ``CONTINUUM_TRUSTED_PROXY_COUNT``: the number N of proxies in front. The client is the N-th
  address from the right of ``X-Forwarded-For`` + ``REMOTE_ADDR``. Only sound when nothing can
  reach Continuum except through those N proxies.

When both are set the list wins. Without ``CONTINUUM_BEHIND_PROXY``, or without either setting,
the header is ignored and ``REMOTE_ADDR`` is the client (``check --deploy`` refuses the latter).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """``["10.0.0.5", "10.1.0.0/16"]`` as networks; a bad entry raises ``ValueError`` naming it."""
    networks = []
    for entry in entries:
        text = entry.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError as exc:
            raise ValueError(f"not an IP address or network: {text!r}") from exc
    return tuple(networks)


def parse_address(text: str) -> Address | None:
    """One hop of ``X-Forwarded-For`` (or ``REMOTE_ADDR``); tolerates a port (``1.2.3.4:5678``,
    ``[2001:db8::1]:443``) as some proxies write it. ``None`` for anything else."""
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def resolve(
    remote_addr: str | None,
    forwarded_for: str | None,
    *,
    trusted: Sequence[Network] = (),
    count: int = 0,
) -> str | None:
    """The client's address from the TCP peer and the ``X-Forwarded-For`` header, as a string.

    Pure, so that it can be tested hop by hop. Hops are read from the right; the walk stops at
    the first address that is not a trusted proxy (list) or after ``count`` proxies. A hop that is
    not an address ends the walk too: the address to its right (a proxy of ours wrote the bad
    one, or the client did) is the best that is known, and never a value the client chose."""
    peer = parse_address(remote_addr or "")
    if peer is None:
        return None
    if not trusted and count <= 0:
        return str(peer)
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    chain: list[Address] = [peer]
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            break
        chain.append(address)
    if trusted:
        for address in chain:
            if not any(address in network for network in trusted):
                return str(address)
        # Every hop is one of ours (an internal health check): the leftmost known one.
        return str(chain[-1])
    # A count: chain[0] is the nearest proxy, chain[count] the client. A shorter chain means the
    # request skipped proxies (a direct hit): its leftmost known address is the best guess.
    return str(chain[min(count, len(chain) - 1)])


def client_ip(request: Any) -> str | None:
    """The client's address of a Django request (``AXES_CLIENT_IP_CALLABLE``, the audit log)."""
    meta = request.META
    if not getattr(settings, "CONTINUUM_BEHIND_PROXY", False):
        return resolve(meta.get("REMOTE_ADDR"), None)
    return resolve(
        meta.get("REMOTE_ADDR"),
        meta.get("HTTP_X_FORWARDED_FOR"),
        trusted=getattr(settings, "CONTINUUM_TRUSTED_PROXY_NETWORKS", ()),
        count=getattr(settings, "CONTINUUM_TRUSTED_PROXY_COUNT", 0),
    )
