"""Where the chart's labels go: beside the point they name, clear of each other, of the markers,
of the legend and the "today" label, and inside the plot area — or, when they cannot all fit,
nowhere (the caller numbers the markers and lists the labels in a key instead).

Greedy placement over candidate positions: the labels are placed one at a time, left to right,
each at the free candidate nearest to its point.  Candidates sit right or left of the point (or
centred on it), just above or below it, then pushed further away in steps of half a label
height up and down the whole plot and sideways by a label width; a label that ends up away from
its point gets a leader line.  Both the live chart (pixels of its scene) and the printed chart
(pixels of the page) use it, so they follow one rule.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSizeF

from engine.model.results import Evaluation, TieBand
from engine.model.scenario import STRATEGY_NAMES
from gui import format as fmt

Box = tuple[float, float, float, float]  # left, top, right, bottom

# More labels than this in words would bury the curves: the markers are numbered instead.
MAX_WORD_LABELS = 8
# More than this and even numbers crowd the curves and the key outgrows the chart: the
# markers stand alone and one line below the chart points to the list of crossovers.
MAX_NUMBERED = 24
# A label further from its point than this share of the plot's height reads as belonging to
# something else: rather number the markers.
MAX_LEADER_SHARE = 0.3


@dataclass(frozen=True)
class Placement:
    rect: QRectF
    anchor: QPointF
    leader: bool  # the label is away from its point: draw a line to it


def _box(rect: QRectF) -> Box:
    return (rect.left(), rect.top(), rect.right(), rect.bottom())


def _hits(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(
    anchors: Sequence[QPointF],
    sizes: Sequence[QSizeF],
    area: QRectF,
    obstacles: Sequence[QRectF] = (),
    *,
    gap: float = 6.0,
    marker_radius: float = 5.0,
    spacing: float = 2.0,
    max_distance: float | None = None,
) -> list[Placement] | None:
    """A rectangle for each label, or None when one of them has no free place.

    ``anchors``: the points labelled (same coordinates as ``area``); ``sizes``: each label's
    size; ``area``: where labels may go (the plot, inside its axes); ``obstacles``: what they
    must not cover (the legend, the "today" label).  Every marker is an obstacle too; labels
    keep ``spacing`` from each other and from obstacles; none is put further than
    ``max_distance`` from its point."""
    if len(anchors) != len(sizes):
        raise ValueError("one size per anchor")
    bounds = _box(area)
    taken: list[Box] = [_box(o) for o in obstacles]
    r = marker_radius
    taken += [(p.x() - r, p.y() - r, p.x() + r, p.y() + r) for p in anchors]
    order = sorted(range(len(anchors)), key=lambda i: anchors[i].x())
    placed: dict[int, Placement] = {}
    for index in order:
        point, size = anchors[index], sizes[index]
        found = _first_free(
            point, size.width(), size.height(), bounds, taken, gap, spacing, max_distance
        )
        if found is None:
            return None
        left, top, right, bottom = found
        taken.append(found)
        near = (
            left - gap * 1.6 <= point.x() <= right + gap * 1.6
            and top - gap * 1.6 <= point.y() <= bottom + gap * 1.6
        )
        placed[index] = Placement(
            rect=QRectF(left, top, right - left, bottom - top), anchor=point, leader=not near
        )
    return [placed[i] for i in range(len(anchors))]


def _first_free(
    point: QPointF,
    width: float,
    height: float,
    bounds: Box,
    taken: list[Box],
    gap: float,
    spacing: float,
    max_distance: float | None = None,
) -> Box | None:
    x, y = point.x(), point.y()
    if width > bounds[2] - bounds[0] or height > bounds[3] - bounds[1]:
        return None
    # Beside the point first (the usual case: nothing else is near), then the whole search.
    near = [
        (left, top)
        for left in (x + gap, x - gap - width)
        for top in (y - gap / 2.0 - height, y + gap / 2.0)
    ]
    for left, top in near:
        box = _fitted(left, top, width, height, bounds)
        if _near(box, x, y, gap) and _free(box, taken, spacing):
            return box
    step = max(height / 2.0, 1.0)
    rows = math.ceil((bounds[3] - bounds[1]) / step) + 2
    shifts = np.arange(1, 4) * (width + gap)
    lefts = np.concatenate(
        [[x + gap, x - gap - width, x - width / 2.0], x + gap + shifts, x - gap - width - shifts]
    )
    k = np.arange(rows) * step
    tops = np.concatenate([y - gap / 2.0 - height - k, y + gap / 2.0 + k])
    left = np.clip(np.repeat(lefts, tops.size), bounds[0], bounds[2] - width)
    top = np.clip(np.tile(tops, lefts.size), bounds[1], bounds[3] - height)
    right, bottom = left + width, top + height
    # Distance from the point to the box (0 when it touches), then to its centre.
    dx = np.maximum.reduce([left - x, np.zeros_like(left), x - right])
    dy = np.maximum.reduce([top - y, np.zeros_like(top), y - bottom])
    distance = np.hypot(dx, dy)
    score = distance * 4.0 + np.hypot((left + right) / 2.0 - x, (top + bottom) / 2.0 - y)
    if max_distance is not None:
        score = np.where(distance > max_distance, np.inf, score)
    if taken:  # every candidate against everything taken at once
        others = np.asarray(taken, dtype=float)
        hit = (
            (left[:, None] - spacing < others[None, :, 2])
            & (others[None, :, 0] < right[:, None] + spacing)
            & (top[:, None] - spacing < others[None, :, 3])
            & (others[None, :, 1] < bottom[:, None] + spacing)
        ).any(axis=1)
        score = np.where(hit, np.inf, score)
    index = int(np.argmin(score))
    if not math.isfinite(score[index]):
        return None
    return (float(left[index]), float(top[index]), float(right[index]), float(bottom[index]))


def _fitted(left: float, top: float, width: float, height: float, bounds: Box) -> Box:
    left = min(max(left, bounds[0]), bounds[2] - width)
    top = min(max(top, bounds[1]), bounds[3] - height)
    return (left, top, left + width, top + height)


def _near(box: Box, x: float, y: float, gap: float) -> bool:
    """Still beside the point after being kept inside the plot."""
    reach = gap * 1.6
    return box[0] - reach <= x <= box[2] + reach and box[1] - reach <= y <= box[3] + reach


def _free(box: Box, taken: list[Box], spacing: float) -> bool:
    padded = (box[0] - spacing, box[1] - spacing, box[2] + spacing, box[3] + spacing)
    return not any(_hits(padded, other) for other in taken)


def overlaps(rects: Sequence[QRectF]) -> list[tuple[int, int]]:
    """The pairs of rectangles that share any area (for tests and checks)."""
    boxes = [_box(r) for r in rects]
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if _hits(boxes[i], boxes[j])
    ]


@dataclass(frozen=True)
class LabelItem:
    """One thing the chart labels: a crossover (``low == high``) or a near-tie band."""

    between: tuple[str, ...]
    low: float
    high: float
    lines: list[str]  # the label beside the point
    short: str  # one line for the key below the chart
    band: TieBand | None = None


def chart_label_items(evaluation: Evaluation, lo: float, hi: float) -> list[LabelItem]:
    """The crossovers (not those inside a near-tie) and the near-ties within [lo, hi], left to
    right, with their words — the same for the screen and the printed chart."""
    items: list[LabelItem] = []
    for crossover in evaluation.crossovers:
        q = crossover.queries_per_month
        if crossover.in_tie_band or not lo <= q <= hi:
            continue
        cheaper = STRATEGY_NAMES[crossover.cheaper_above]
        others = [k for k in crossover.between if k != crossover.cheaper_above]
        other = STRATEGY_NAMES[others[0]] if others else ""
        items.append(
            LabelItem(
                between=crossover.between,
                low=q,
                high=q,
                lines=[f"{cheaper} cheaper than {other}", f"above {fmt.volume(q)}"],
                short=f"{cheaper} cheaper than {other} above {fmt.volume_compact(q)}",
            )
        )
    for band in evaluation.tie_bands:
        if band.high < lo or band.low > hi:
            continue
        names = [STRATEGY_NAMES[k] for k in band.between]
        together = " and ".join(names) if len(names) == 2 else ", ".join(names)
        items.append(
            LabelItem(
                between=band.between,
                low=band.low,
                high=band.high,
                lines=[
                    f"{together} effectively tied",
                    f"{fmt.volume_compact(band.low)}–{fmt.volume_compact(band.high)} queries/month",
                ],
                short=f"{together} effectively tied "
                f"{fmt.volume_compact(band.low)}–{fmt.volume_compact(band.high)}",
                band=band,
            )
        )
    items.sort(key=lambda item: item.low)
    return items
