"""Small socket helpers: is a port free, is anything listening."""

from __future__ import annotations

import socket

__all__ = ["can_bind", "free_port", "is_listening"]


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def is_listening(host: str, port: int) -> bool:
    """True if something accepts connections on host:port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(2.0)
        return sock.connect_ex((host, port)) == 0


def can_bind(host: str, port: int) -> bool:
    """True if a new listener could take host:port (the way a second app would try)."""
    try:
        server = socket.create_server(
            (host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET
        )
    except OSError:
        return False
    server.close()
    return True
