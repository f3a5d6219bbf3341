"""Runtime hook of the frozen app: with FTRAG_OFFLINE_GUARD=1 in the environment, any attempt
to open an Internet (IPv4/IPv6) connection or resolve a host name raises OSError.

packaging/smoke_test.py runs the bundle in a separate network namespace (``unshare -n``) where
the machine allows it; where it does not, it sets this variable instead.  Without the variable
(every normal start) the hook does nothing and imports nothing.  Local (AF_UNIX) sockets stay
usable: Qt talks to D-Bus and the input method through them.
"""

from __future__ import annotations

import os

if os.environ.get("FTRAG_OFFLINE_GUARD") == "1":
    import socket

    _INET = (socket.AF_INET, socket.AF_INET6)

    def _refuse(what: str) -> OSError:
        return OSError(f"network access is disabled in this run (FTRAG_OFFLINE_GUARD): {what}")

    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex
    _sendto = socket.socket.sendto

    def connect(self: socket.socket, address: object) -> None:
        if self.family in _INET:
            raise _refuse(f"connect {address!r}")
        _connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        if self.family in _INET:
            raise _refuse(f"connect {address!r}")
        return _connect_ex(self, address)  # type: ignore[arg-type]

    def sendto(self: socket.socket, *args: object) -> int:
        if self.family in _INET:
            raise _refuse("sendto")
        return _sendto(self, *args)  # type: ignore[call-overload, no-any-return]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> list[object]:
        raise _refuse(f"resolve {host!r}")

    socket.socket.connect = connect  # type: ignore[method-assign, assignment]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign, assignment]
    socket.socket.sendto = sendto  # type: ignore[method-assign, assignment]
    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]
    socket.gethostbyname = getaddrinfo  # type: ignore[assignment]
