"""The text of a real PDF, as the tests read it.

Poppler's ``pdftotext -raw`` (content-stream order, the order pypdf reads too) when it is
installed — ``make sysdeps`` installs it — and pypdf otherwise.  pdftotext reads a page in
about 5 ms against pypdf's 150 ms, and the report tests read hundreds of pages.  Whitespace is
collapsed either way; the two differ only in the spaces around styled runs (pypdf writes
"one-time , monthly" where the page shows "one-time, monthly")."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdf


def page_texts(path: Path | str) -> list[str]:
    """Each page's text, runs of white space as one space."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(path).pages]
    done = subprocess.run(
        [pdftotext, "-raw", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        encoding="utf-8",
    )
    pages = done.stdout.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # the form feed after the last page
    return [" ".join(page.split()) for page in pages]


def pdf_text(path: Path | str) -> str:
    """The whole document's text on one line."""
    return " ".join(page_texts(path))
