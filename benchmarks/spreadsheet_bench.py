"""Time to write the .xlsx export (engine.spreadsheet) of the largest built-in template.

(The 200-scenario project of benchmarks.largest takes about 80 s on a shared 2-core machine,
nearly all of it evaluating 200 scenarios with 600-month horizons — too long to run here.)"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.__main__ import Row, summary, timed


def spreadsheet_rows() -> list[Row]:
    from engine.spreadsheet import write_xlsx
    from engine.templates import load_template, template_names

    templates = [load_template(name) for name in template_names()]
    biggest = max(templates, key=lambda p: len(p.scenarios))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "export.xlsx"
        samples = timed(lambda: write_xlsx(biggest, out), repeat=10, warmup=1)
    return [summary(f"export spreadsheet (.xlsx): {biggest.title}", samples, "< 1 s")]
