"""Screenshots of the Decision map tab for the docs:
``python -m gui.decision_map_screenshots OUTDIR`` writes decision-map-{template}.png.

Each template is mapped over the two inputs that tell its story best (its volume and the input
that moves the answer most there), reached through View ▸ Decision Map as a user would.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from engine.decision_map import Axis
from gui.screenshots import close_window, save_grab, screenshot_app, screenshot_args, shown_window

SHOTS: dict[str, tuple[Axis, Axis]] = {
    "seed-enterprise": (
        Axis("workload.queries_per_month", 1e4, 1e8),
        Axis("weights.cost", 0, 100),
    ),
    "seed-small-company": (
        Axis("workload.queries_per_month", 100, 1e5),
        Axis("weights.freshness", 0, 100),
    ),
    "support-assistant": (
        Axis("workload.queries_per_month", 1e3, 1e8),
        Axis("rag.chunk_tokens", 100, 3000),
    ),
}
SIZE = (1500, 1000)


def main(argv: Sequence[str] | None = None) -> int:
    args = screenshot_args(argv, "python -m gui.decision_map_screenshots OUTDIR")
    if args is None:
        return 2
    out = Path(args[0])
    app = screenshot_app()
    from PySide6.QtCore import QPointF

    from gui.app import _without_offscreen_noise

    with _without_offscreen_noise():
        for template, (x, y) in SHOTS.items():
            window = shown_window(app, SIZE, template, chart=False)
            window.right.setSizes([120, SIZE[1] - 120])  # room for the map
            window.act_decision_map.trigger()
            controller = window.decision_map
            controller.view.choose(x, y)
            controller.view.set_resolution(200)  # Detail: Fine, as a user would choose it
            started = time.monotonic()
            while not controller.runner.is_current() and time.monotonic() - started < 120:
                app.processEvents()
                time.sleep(0.01)
            view = controller.view
            m = view.map
            if m is not None:  # a read-out as hovering would show it, three quarters across
                ny, nx = m.shape
                col, row = 3 * nx // 4, ny // 4
                spot = QPointF(
                    float(m.x.to_view(m.x.values[col])), float(m.y.to_view(m.y.values[row]))
                )
                view.readout.setText(view.readout_at(spot))
            app.processEvents()
            path = out / f"decision-map-{template}.png"
            if not save_grab(controller.page, path):
                return 1
            sys.stdout.write(f"{path}\n")
            close_window(app, window)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
