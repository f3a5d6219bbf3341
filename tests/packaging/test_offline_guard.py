"""packaging/rthook_offline_guard.py: the frozen app's socket guard (the smoke test's fallback
where ``unshare -n`` is not allowed).  Only loopback sockets are used here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HOOK = Path(__file__).resolve().parents[2] / "packaging" / "rthook_offline_guard.py"

CHILD = textwrap.dedent(
    """
    import json, runpy, socket, sys
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    runpy.run_path(sys.argv[1])
    result = {}
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        client.connect(server.getsockname())
        result["connect"] = "connected"
    except OSError as exc:
        result["connect"] = str(exc)
    finally:
        client.close()
    try:
        socket.getaddrinfo("localhost", 80)
        result["resolve"] = "resolved"
    except OSError as exc:
        result["resolve"] = str(exc)
    a, b = socket.socketpair(socket.AF_UNIX)
    a.sendall(b"x")
    result["unix"] = b.recv(1).decode()
    print(json.dumps(result))
    """
)


def run(guard: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "FTRAG_OFFLINE_GUARD"}
    if guard:
        env["FTRAG_OFFLINE_GUARD"] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(HOOK)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, str] = json.loads(proc.stdout)
    return result


@pytest.mark.skipif(sys.platform == "win32", reason="AF_UNIX socketpair")
def test_guard_refuses_internet_sockets_and_keeps_local_ones() -> None:
    result = run(guard=True)
    assert "network access is disabled" in result["connect"]
    assert "network access is disabled" in result["resolve"]
    assert result["unix"] == "x"


@pytest.mark.skipif(sys.platform == "win32", reason="AF_UNIX socketpair")
def test_without_the_variable_the_hook_does_nothing() -> None:
    result = run(guard=False)
    assert result["connect"] == "connected"
    assert result["unix"] == "x"
