"""Smoke test of the frozen app (`make smoke-frozen`), in the way of qutebrowser's
build_release.py: run the bundled binary, demand exit 0 and a clean stderr.

    .venv/bin/python packaging/smoke_test.py [--bundle dist/ftrag-advisor] [--no-timing]
                                             [--results FILE]

Runs, off-screen (QT_QPA_PLATFORM=offscreen) and without network, against the bundled copies
of the templates (<bundle>/_internal/resources/templates/*.ftrag, which also proves the
resources/ layout resolves frozen):
  * ``--version`` (the version comes from the bundled package metadata), ``templates``,
    ``eval TEMPLATE --json`` (engine, catalogs and genai-prices data, no Qt);
  * ``--smoke-test TEMPLATE`` (the real window off-screen: every scenario, view and export);
  * ``report TEMPLATE -o OUT.pdf`` when the build has the ``report`` sub-command: a valid PDF;
    and ``report TEMPLATE -o OUT.docx`` once (python-docx, lxml and python-docx's template
    files bundled): a Word document that opens.
Each must exit 0 and print nothing on stderr except lines on ALLOWED_STDERR.

Network: each run starts in a new, empty network namespace (``unshare -n``: no interface but a
down loopback) when the machine allows it; otherwise with FTRAG_OFFLINE_GUARD=1, which makes the
bundle's runtime hook refuse every Internet socket.

Timing: the median of 3 wall-clock ``--smoke-test`` starts, frozen and from source
(``python -m gui.launcher --smoke-test``), with the app's own "first live result" figure; target:
frozen within 1.5× source.  Results go to dist/ftrag-advisor-smoke.json (read by `make bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUNDLE = ROOT / "dist" / "ftrag-advisor"
RESULTS = ROOT / "dist" / "ftrag-advisor-smoke.json"
TIMEOUT_S = 120

# stderr lines that are not failures.  Keep this list short and say why each line is harmless.
ALLOWED_STDERR = [
    # Qt's offscreen platform plugin has no window manager: it says so when the window asks
    # for size hints, raising or activation.  Real platforms (xcb, cocoa, windows) do not.
    re.compile(r"^This plugin does not support (propagateSizeHints|raise|grabbing|setParent)\(\)"),
]


@dataclass
class Outcome:
    name: str
    ok: bool
    seconds: float
    problems: list[str] = field(default_factory=list)
    stdout: str = ""


def executable(bundle: Path) -> Path:
    """The bundle's program: ftrag-advisor, or ftrag-advisor.exe on Windows."""
    return bundle / ("ftrag-advisor.exe" if sys.platform == "win32" else "ftrag-advisor")


def network_method(choice: str) -> str:
    if choice != "auto":
        return choice
    if sys.platform.startswith("linux") and shutil.which("unshare"):
        probe = subprocess.run(
            ["unshare", "-n", "cat", "/proc/net/dev"], capture_output=True, text=True, check=False
        )
        interfaces = [
            line.split(":")[0].strip() for line in probe.stdout.splitlines() if ":" in line
        ]
        if probe.returncode == 0 and interfaces == ["lo"]:
            return "unshare"
    return "guard"


def isolated(command: list[str], method: str) -> list[str]:
    return ["unshare", "-n", *command] if method == "unshare" else command


def base_env(home: Path, method: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("QT_", "XDG_", "PYTHON")) and k not in ("DISPLAY", "WAYLAND_DISPLAY")
    }
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(home),  # settings, recent files and autosaves go to a scratch home
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_RUNTIME_DIR": str(runtime),
            "LANG": env.get("LANG", "C.UTF-8"),
        }
    )
    if method == "guard":
        env["FTRAG_OFFLINE_GUARD"] = "1"
    return env


def unexpected_stderr(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(p.search(line) for p in ALLOWED_STDERR)
    ]


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


def run_captured(
    command: list[str], env: dict[str, str], timeout: float, cwd: Path | None = None
) -> Finished:
    """subprocess.run(capture_output=True), except that it waits for the program, not for its
    output pipes to close: a process the program started may hold them open for ever (Wine
    hands its desktop process, started for the first window, the program's pipes)."""
    proc = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}

    def drain(stream: IO[bytes], into: list[bytes]) -> None:
        with stream:  # closed at EOF, even when that comes after this function has returned
            for chunk in iter(lambda: stream.read1(65536), b""):  # type: ignore[attr-defined]
                into.append(chunk)

    assert proc.stdout is not None
    assert proc.stderr is not None
    readers = [
        threading.Thread(target=drain, args=(proc.stdout, chunks["out"]), daemon=True),
        threading.Thread(target=drain, args=(proc.stderr, chunks["err"]), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise
    finally:
        # What the program wrote is in the pipes already: a moment to read it, no more.
        deadline = time.monotonic() + 2.0
        for reader in readers:
            reader.join(max(0.0, deadline - time.monotonic()))

    def text(key: str) -> str:
        return b"".join(chunks[key]).decode("utf-8", "replace").replace("\r\n", "\n")

    return Finished(proc.returncode, text("out"), text("err"))


def run(name: str, command: list[str], env: dict[str, str], method: str) -> Outcome:
    started = time.perf_counter()
    try:
        proc = run_captured(isolated(command, method), env, TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return Outcome(name, False, TIMEOUT_S, [f"timed out after {TIMEOUT_S} s"])
    seconds = time.perf_counter() - started
    problems = []
    if proc.returncode != 0:
        problems.append(f"exit status {proc.returncode}")
    extra = unexpected_stderr(proc.stderr)
    if extra:
        problems.append("stderr not on the allow-list:\n      " + "\n      ".join(extra[:40]))
    return Outcome(name, not problems, seconds, problems, proc.stdout)


def check_pdf(path: Path) -> list[str]:
    if not path.is_file():
        return [f"{path.name} was not written"]
    data = path.read_bytes()
    problems = []
    if not data.startswith(b"%PDF-"):
        problems.append(f"{path.name} does not start with %PDF-")
    if b"%%EOF" not in data[-1024:]:
        problems.append(f"{path.name} has no %%EOF trailer")
    if len(data) < 2048:
        problems.append(f"{path.name} is only {len(data)} bytes")
    try:
        from pypdf import PdfReader  # dev dependency: a deeper check when it is there
    except ImportError:
        return problems
    try:
        reader = PdfReader(str(path))
        text = "".join(page.extract_text() or "" for page in reader.pages)
        if not reader.pages:
            problems.append(f"{path.name} has no pages")
        elif not text.strip():
            problems.append(f"{path.name} has no extractable text (missing fonts?)")
    except Exception as exc:
        problems.append(f"{path.name} does not parse: {exc}")
    return problems


def check_docx(path: Path) -> list[str]:
    """A .docx is a zip package with a main document part that parses (and, when python-docx
    is installed here, opens with a title and a table)."""
    import zipfile

    if not path.is_file():
        return [f"{path.name} was not written"]
    if not zipfile.is_zipfile(path):
        return [f"{path.name} is not a zip package"]
    problems = []
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for part in ("[Content_Types].xml", "word/document.xml", "word/styles.xml"):
            if part not in names:
                problems.append(f"{path.name} has no {part}")
        if not any(name.startswith("word/media/") for name in names):
            problems.append(f"{path.name} has no picture (the chart)")
    try:
        import docx  # a dependency of the app: a deeper check when it is there
    except ImportError:
        return problems
    try:
        document = docx.Document(str(path))
        if not any(p.style is not None and p.style.name == "Title" for p in document.paragraphs):
            problems.append(f"{path.name} has no Title paragraph")
        if not document.tables:
            problems.append(f"{path.name} has no table")
    except Exception as exc:
        problems.append(f"{path.name} does not open: {exc}")
    return problems


def has_report_command(exe: Path, env: dict[str, str], method: str) -> bool:
    """``ftrag report --help`` prints the report command's usage (a build without the command
    starts the GUI's argument parser instead, whose usage has no ``report``)."""
    proc = run_captured(isolated([str(exe), "report", "--help"], method), env, TIMEOUT_S)
    return (
        proc.returncode == 0 and re.search(r"usage: \S*ftrag\S* report\b", proc.stdout) is not None
    )


def functional(bundle: Path, method: str) -> tuple[list[Outcome], list[str]]:
    exe = executable(bundle)
    templates = sorted((bundle / "_internal" / "resources" / "templates").glob("*.ftrag"))
    pending: list[str] = []
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="ftrag-smoke-") as scratch:
        home = Path(scratch)
        env = base_env(home, method)
        if not templates:
            outcomes.append(Outcome("bundled templates", False, 0, ["no templates in the bundle"]))
            return outcomes, pending

        out = run("--version", [str(exe), "--version"], env, method)
        from importlib import metadata

        try:
            expected = metadata.version("ftrag-advisor")
            if expected not in out.stdout:
                out.ok = False
                out.problems.append(f"printed {out.stdout.strip()!r}, expected version {expected}")
        except metadata.PackageNotFoundError:
            pass
        outcomes.append(out)

        out = run("templates", [str(exe), "templates"], env, method)
        missing = [t.stem for t in templates if t.stem not in out.stdout]
        if missing:
            out.ok = False
            out.problems.append(f"does not list {', '.join(missing)}")
        outcomes.append(out)

        for template in templates:
            out = run(
                f"eval {template.name} --json",
                [str(exe), "eval", str(template), "--json"],
                env,
                method,
            )
            try:
                json.loads(out.stdout)
            except ValueError:
                out.ok = False
                out.problems.append("stdout is not JSON")
            outcomes.append(out)

        # Monte Carlo (numpy.random, not on the --smoke-test path) once
        out = run(
            f"eval {templates[0].name} --samples 2000",
            [str(exe), "eval", str(templates[0]), "--json", "--samples", "2000"],
            env,
            method,
        )
        try:
            scenarios = json.loads(out.stdout).get("scenarios") or [{}]
            if not all("uncertainty" in scenario for scenario in scenarios):
                out.ok = False
                out.problems.append("no 'uncertainty' block in the JSON scenarios")
        except ValueError:
            out.ok = False
            out.problems.append("stdout is not JSON")
        outcomes.append(out)

        for template in templates:
            out = run(
                f"--smoke-test {template.name}",
                [str(exe), "--smoke-test", str(template)],
                env,
                method,
            )
            if out.ok and "smoke test OK" not in out.stdout:
                out.ok = False
                out.problems.append("no 'smoke test OK' line")
            outcomes.append(out)

        if has_report_command(exe, env, method):
            for template in templates:
                pdf = home / f"{template.stem}.pdf"
                out = run(
                    f"report {template.name}",
                    [str(exe), "report", str(template), "-o", str(pdf)],
                    env,
                    method,
                )
                problems = check_pdf(pdf)
                if problems:
                    out.ok = False
                    out.problems.extend(problems)
                outcomes.append(out)
            editable = home / f"{templates[0].stem}.docx"
            out = run(
                f"report {templates[0].name} -o .docx",
                [str(exe), "report", str(templates[0]), "-o", str(editable)],
                env,
                method,
            )
            problems = check_docx(editable)
            if problems:
                out.ok = False
                out.problems.extend(problems)
            outcomes.append(out)
        else:
            pending.append(
                "PDF export: this build has no `report` sub-command yet (`ftrag report --help` "
                "does not show its usage), so `report TEMPLATE -o OUT.pdf` was not run"
            )
    return outcomes, pending


def first_result_ms(stdout: str) -> float | None:
    found = re.search(r"first live result (\d+) ms", stdout)
    return float(found.group(1)) if found else None


def timing(bundle: Path, repeat: int) -> dict[str, object]:
    exe = executable(bundle)
    source = [sys.executable, "-m", "gui.launcher", "--smoke-test"]
    samples: dict[str, list[float]] = {"frozen": [], "source": []}
    in_app: dict[str, list[float]] = {"frozen": [], "source": []}
    with tempfile.TemporaryDirectory(prefix="ftrag-timing-") as scratch:
        env = base_env(Path(scratch), "none")
        env_source = {**env, "PYTHONPATH": str(ROOT)}
        for _ in range(repeat):  # interleaved, so drift on a shared machine hits both alike
            for kind, command, run_env in (
                ("frozen", [str(exe), "--smoke-test"], env),
                ("source", source, env_source),
            ):
                started = time.perf_counter()
                proc = run_captured(command, run_env, TIMEOUT_S, cwd=ROOT)
                samples[kind].append(time.perf_counter() - started)
                if proc.returncode != 0:
                    tail = proc.stderr[-500:]
                    return {"error": f"{kind} --smoke-test exited {proc.returncode}: {tail}"}
                ms = first_result_ms(proc.stdout)
                if ms is not None:
                    in_app[kind].append(ms)
    frozen = statistics.median(samples["frozen"])
    src = statistics.median(samples["source"])
    return {
        "runs": repeat,
        "frozen_s": round(frozen, 3),
        "source_s": round(src, 3),
        "ratio": round(frozen / src, 2),
        "frozen_samples_s": [round(s, 3) for s in samples["frozen"]],
        "source_samples_s": [round(s, 3) for s in samples["source"]],
        "frozen_first_result_ms": statistics.median(in_app["frozen"]) if in_app["frozen"] else None,
        "source_first_result_ms": statistics.median(in_app["source"]) if in_app["source"] else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Smoke test of the frozen FTRAG Advisor")
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    parser.add_argument("--network", choices=("auto", "unshare", "guard"), default="auto")
    parser.add_argument("--no-timing", action="store_true", help="skip the start-time comparison")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs of each kind")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args(argv)

    exe = executable(args.bundle)
    if not exe.is_file():
        print(f"no frozen app at {exe}: run `make package` first", file=sys.stderr)
        return 2
    method = network_method(args.network)
    print(
        f"smoke test of {exe} — offscreen, network: "
        + (
            "none (unshare -n: new network namespace)"
            if method == "unshare"
            else "socket guard (FTRAG_OFFLINE_GUARD=1)"
        ),
        flush=True,
    )
    outcomes, pending = functional(args.bundle, method)
    for out in outcomes:
        print(f"  {'ok  ' if out.ok else 'FAIL'} {out.name:44s} {out.seconds:6.2f} s")
        for problem in out.problems:
            print(f"       {problem}")
    for note in pending:
        print(f"  PENDING {note}")
    failed = [o for o in outcomes if not o.ok]

    results: dict[str, object] = {
        "network": method,
        "passed": len(outcomes) - len(failed),
        "failed": len(failed),
        "pending": pending,
        "allowed_stderr": [p.pattern for p in ALLOWED_STDERR],
    }
    if not args.no_timing and not failed:
        print(
            f"start time, median of {args.repeat} (--smoke-test on the default template) …",
            flush=True,
        )
        times = timing(args.bundle, args.repeat)
        results["timing"] = times
        if "error" in times:
            print(f"  timing failed: {times['error']}")
        else:
            print(
                f"  frozen {times['frozen_s']:.2f} s, from source {times['source_s']:.2f} s: "
                f"{times['ratio']:.2f}× (target ≤ 1.5×); first live result in-app: frozen "
                f"{times['frozen_first_result_ms']} ms, source {times['source_first_result_ms']} ms"
            )
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
