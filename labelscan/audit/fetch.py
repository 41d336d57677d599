"""Download one image by URL: http(s) only, public addresses only (unless allowed), timeouts, a byte cap, ≤3 redirects."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..errors import UnreadableInputError

MAX_REDIRECTS = 3
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchOptions:
    """How a URL may be fetched."""

    timeout_s: float = 20.0
    max_bytes: int = 50 * 1024 * 1024
    allow_private: bool = False
    """Allow loopback, link-local, private and reserved addresses (tests, an intranet image server)."""


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for attr in ("is_loopback", "is_link_local", "is_private", "is_reserved", "is_multicast", "is_unspecified"):
        if getattr(ip, attr):
            return attr[3:].replace("_", "-")
    return None


def resolve(host: str, port: int, options: FetchOptions) -> str:
    """The address to connect to: the first one `host` resolves to, every one of them checked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnreadableInputError(f"cannot resolve host {host!r} ({exc})", "check the URL") from None
    addresses = [info[4][0] for info in infos]
    if not options.allow_private:
        for address in addresses:
            why = _refused(ipaddress.ip_address(address.split("%")[0]))
            if why:
                raise UnreadableInputError(f"refused to fetch from {host} ({address} is a {why} address)",
                                           "only public addresses are fetched; pass --allow-private-urls to allow it")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address already checked, not to a fresh (possibly rebound) DNS answer."""

    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self) -> None:
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _get(url: str, options: FetchOptions) -> tuple[int, str | None, bytes]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnreadableInputError(f"refused URL {url} (scheme {parts.scheme or 'none'!r})", "only http and https URLs are fetched")
    if not parts.hostname:
        raise UnreadableInputError(f"URL {url} has no host", "check the URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    ip = resolve(parts.hostname, port, options)
    cls = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
    conn = cls(parts.hostname, port, ip, options.timeout_s)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers={"User-Agent": "labelscan-audit", "Accept": "image/*,application/pdf,text/plain,*/*"})
        resp = conn.getresponse()
        if 300 <= resp.status < 400:
            return resp.status, resp.getheader("Location"), b""
        if resp.status != 200:
            raise UnreadableInputError(f"{url} answered HTTP {resp.status} {resp.reason}", "check the URL")
        length = resp.getheader("Content-Length")
        if length and length.isdigit() and int(length) > options.max_bytes:
            raise UnreadableInputError(f"{url} is {int(length)} bytes, over the {options.max_bytes} byte limit", "shrink the image")
        chunks, size = [], 0
        while chunk := resp.read(CHUNK):
            size += len(chunk)
            if size > options.max_bytes:
                raise UnreadableInputError(f"{url} is over the {options.max_bytes} byte limit", "shrink the image")
            chunks.append(chunk)
        return resp.status, None, b"".join(chunks)
    except (OSError, http.client.HTTPException) as exc:
        raise UnreadableInputError(f"cannot download {url} ({type(exc).__name__}: {exc})", "check the URL and the network") from None
    finally:
        conn.close()


def fetch(url: str, options: FetchOptions = FetchOptions()) -> bytes:
    """The body of `url`, following at most 3 redirects (each target checked again). Raises UnreadableInputError."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        status, location, body = _get(current, options)
        if location is None:
            if status // 100 == 3:
                raise UnreadableInputError(f"{current} redirects without a Location", "check the URL")
            return body
        current = urljoin(current, location)
    raise UnreadableInputError(f"{url} redirects more than {MAX_REDIRECTS} times", "give the image's final URL")
