"""Loaded by every Python started with this folder on PYTHONPATH: any attempt to open a network
connection (or resolve a host name) fails loudly and is recorded in FTRAG_NONET_LOG."""

import os
import socket

_LOG = os.environ.get("FTRAG_NONET_LOG", "")


def _refuse(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as handle:
            handle.write(what + "\n")
    raise OSError(f"network access attempted ({what}): FTRAG Advisor must work offline")


_real_connect = socket.socket.connect


def _connect(self: socket.socket, address: object) -> None:
    if self.family == socket.AF_UNIX:  # local IPC (e.g. D-Bus) is not the network
        return _real_connect(self, address)  # type: ignore[arg-type]
    _refuse(f"connect {address!r}")
    return None


def _getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
    _refuse(f"getaddrinfo {host!r}")
    return None


socket.socket.connect = _connect  # type: ignore[method-assign]
socket.socket.connect_ex = lambda self, address: _refuse(f"connect_ex {address!r}")  # type: ignore[method-assign, assignment]
socket.getaddrinfo = _getaddrinfo  # type: ignore[assignment]
socket.create_connection = lambda *a, **k: _refuse(f"create_connection {a!r}")  # type: ignore[assignment]
