"""The open project: the current snapshot, its file, the undo stack and the live evaluation.

Data flows one way: a form edit calls :meth:`ProjectDocument.set_field`; the edit is
validated by the pydantic models, pushed on the :class:`QUndoStack` as a command holding the
project before and after (projects are immutable, so a snapshot is one reference), and the
current scenario is re-evaluated synchronously (≈6 ms).  An edit the models refuse changes
nothing and returns the reason, so the form can show it at the field; an input the engine cannot
evaluate keeps the last valid results and emits :attr:`ProjectDocument.evaluationFailed`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from engine.evaluate import Curves, EvaluationError, evaluate, evaluate_with_curves
from engine.fileformat import describe_validation_error
from engine.model.base import Estimate
from engine.model.project import SHARED_SECTIONS, Project
from engine.model.results import Evaluation
from engine.model.scenario import Scenario
from gui.uncertainty.ranges import with_likely

log = logging.getLogger(__name__)

FieldPath = tuple[str | int, ...]

#: Fields of the project itself; any other first path element is a field of the current scenario.
#: Requirements and weights are the project's unless the current scenario overrides them.
PROJECT_FIELDS: frozenset[str] = frozenset(Project.model_fields) - {"scenarios"}

CURVE_POINTS = 200
MAX_NAME_CHARS: int = next(
    m.max_length for m in Scenario.model_fields["name"].metadata if hasattr(m, "max_length")
)
MAX_SCENARIOS: int = next(
    m.max_length for m in Project.model_fields["scenarios"].metadata if hasattr(m, "max_length")
)


class EditRefused(ValueError):
    """An edit the models do not accept; the message is written for the person who typed it."""


def _replaced(node: Any, path: FieldPath, value: Any) -> Any:
    """``node`` with the value at ``path`` replaced, validated level by level.

    Unchanged sub-models are passed to ``model_validate`` as instances, which pydantic accepts
    as they are (no re-validation); the edited branch and every model above it are validated,
    so bounds, range order and cross-field rules (e.g. unique scenario names) are all checked.
    ``None`` as the value of a dict entry removes the entry (a cost override switched off).
    """
    if not path:
        return value
    key, rest = path[0], path[1:]
    if node is None:  # an optional field being filled in: let the parent model validate it
        node = {}
    if isinstance(node, BaseModel):
        fields = type(node).model_fields
        if not isinstance(key, str) or key not in fields:
            raise KeyError(f"{type(node).__name__} has no field {key!r}")
        data = {name: getattr(node, name) for name in fields}
        data[key] = _replaced(data[key], rest, value)
        return type(node).model_validate(data)
    if isinstance(node, list):
        index = int(key)
        items = list(node)
        items[index] = _replaced(items[index], rest, value)
        return items
    if isinstance(node, dict):
        entries = dict(node)
        if rest:
            entries[key] = _replaced(entries.get(key), rest, value)
        elif value is None:
            entries.pop(key, None)
        else:
            entries[key] = value
        return entries
    raise KeyError(f"cannot descend into {type(node).__name__} at {key!r}")


def value_at(node: Any, path: FieldPath) -> Any:
    """The value at ``path`` below ``node`` (None where an optional field is empty)."""
    for key in path:
        if node is None:
            return None
        if isinstance(node, BaseModel):
            node = getattr(node, str(key))
        elif isinstance(node, list):
            node = node[int(key)]
        elif isinstance(node, dict):
            node = node.get(key)
        else:
            raise KeyError(f"cannot descend into {type(node).__name__} at {key!r}")
    return node


class _SnapshotCommand(QUndoCommand):
    """An edit as two project snapshots: redo shows ``after``, undo shows ``before``."""

    def __init__(
        self,
        document: ProjectDocument,
        text: str,
        before: Project,
        after: Project,
        index_before: int,
        index_after: int,
    ) -> None:
        super().__init__(text)
        self._document = document
        self.before, self.after = before, after
        self.index_before, self.index_after = index_before, index_after

    def redo(self) -> None:
        self._document._apply(self.after, self.index_after)

    def undo(self) -> None:
        self._document._apply(self.before, self.index_before)


class _FieldCommand(_SnapshotCommand):
    """One field edited. Consecutive edits of the same field in one burst (a spin-box drag,
    a run of keystrokes) merge into one undo step."""

    ID = 0x46_54  # any constant other than -1 enables merging

    def __init__(
        self,
        document: ProjectDocument,
        text: str,
        before: Project,
        after: Project,
        index: int,
        path: FieldPath,
        burst: int,
    ) -> None:
        super().__init__(document, text, before, after, index, index)
        self.path = path
        self.burst = burst

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _FieldCommand):
            return False
        if other.path != self.path or other.burst != self.burst:
            return False
        self.after = other.after
        if self.after == self.before:  # typed back to where it started: nothing to undo
            self.setObsolete(True)
        return True


class ProjectDocument(QObject):
    """The open project (see the module docstring)."""

    #: The project snapshot changed (edit, undo, redo, load, scenario added or removed).
    changed = Signal()
    #: The current scenario is another one (switched, added, deleted, or a project loaded).
    scenarioChanged = Signal(int)
    #: A fresh evaluation of the current scenario: (Evaluation, Curves).
    evaluated = Signal(object, object)
    #: The current scenario cannot be evaluated; the message says why.  Last results stay.
    evaluationFailed = Signal(str)
    #: The file the project belongs to changed (Path or None).
    pathChanged = Signal(object)
    #: A likely value outside its low–high range widened the range to include it:
    #: (absolute path of the estimate, estimate before the edit burst, estimate now).
    rangeWidened = Signal(object, object, object)

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project = project if project is not None else Project()
        self._index = 0
        self._path: Path | None = None
        self._burst = 0
        self._applying_edit = False
        self._loading = False
        self._last_change_was_edit = False
        self._range_origins: dict[FieldPath, Estimate] = {}
        self.undo_stack = QUndoStack(self)
        self.evaluation: Evaluation | None = None
        self.curves: Curves | None = None
        self.evaluation_error: str | None = None
        self._cache: dict[tuple[int, str, float, int, str], tuple[Scenario, Any, Evaluation]] = {}
        self._opened: set[str] = {self._project.scenarios[0].name}

    # --- state -----------------------------------------------------------------------------

    @property
    def project(self) -> Project:
        return self._project

    @property
    def scenario_index(self) -> int:
        return self._index

    @property
    def scenario(self) -> Scenario:
        return self._project.scenarios[self._index]

    @property
    def path(self) -> Path | None:
        return self._path

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def last_change_was_edit(self) -> bool:
        """True while reacting to a form edit (not an undo, redo, load or switch): the form
        that was typed into keeps what the person is typing."""
        return self._last_change_was_edit

    def absolute_path(self, path: Sequence[str | int]) -> FieldPath:
        """A path relative to the current scenario (or a project field) → from the project."""
        path = tuple(path)
        if not path:
            raise KeyError("empty field path")
        if path[0] in SHARED_SECTIONS and getattr(self.scenario, SHARED_SECTIONS[str(path[0])]):
            # This scenario overrides the project's requirements/weights: edit its own.
            return ("scenarios", self._index, *path)
        if path[0] == "scenarios" or path[0] in PROJECT_FIELDS:
            return path
        return ("scenarios", self._index, *path)

    def value_at(self, path: Sequence[str | int]) -> Any:
        return value_at(self._project, self.absolute_path(path))

    # --- edits -----------------------------------------------------------------------------

    def edited_project(self, path: Sequence[str | int], value: Any) -> Project:
        """The project with one value changed, validated; raises EditRefused with the reason."""
        try:
            project = _replaced(self._project, self.absolute_path(path), value)
        except ValidationError as exc:
            raise EditRefused(describe_validation_error(exc)) from None
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise EditRefused(str(exc)) from None
        assert isinstance(project, Project)
        return project

    def set_field(self, path: Sequence[str | int], value: Any, label: str = "") -> str | None:
        """Change one input. Returns None when accepted, else the reason it was refused (the
        document keeps its last valid state and nothing is pushed on the undo stack).

        Setting the ``likely`` value of an estimate that has a low–high range keeps the range,
        widening it just enough when the value falls outside it (see :meth:`_moved_range`;
        :attr:`rangeWidened` says so); the likely value and the range are one undo step."""
        absolute = self.absolute_path(path)
        edit_path, edit_value, widened_from = self._moved_range(absolute, value)
        try:
            after = self.edited_project(edit_path, edit_value)
        except EditRefused as exc:
            return str(exc)
        if after == self._project:
            return None
        if (
            edit_path[:2] == ("scenarios", self._index)
            and not after.scenarios[self._index].reviewed
        ):
            # The first edit in a template's scenario: it is the consultant's now (same step).
            after = _replaced(after, ("scenarios", self._index, "reviewed"), True)
        name = label or str(path[-1] if path[-1] != "likely" or len(path) < 2 else path[-2])
        command = _FieldCommand(
            self, f"Edit {name}", self._project, after, self._index, edit_path, self._burst
        )
        self._push(command)
        if widened_from is not None:
            self.rangeWidened.emit(edit_path, widened_from, value_at(after, edit_path))
        return None

    def set_fields(
        self, changes: Sequence[tuple[Sequence[str | int], Any]], text: str
    ) -> str | None:
        """Change several inputs as one undo step (e.g. a currency and its exchange rate);
        returns the reason when the models refuse any of them (then nothing changes)."""
        project = self._project
        try:
            for path, value in changes:
                project = _replaced(project, self.absolute_path(path), value)
        except ValidationError as exc:
            return describe_validation_error(exc)
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            return str(exc)
        if project != self._project:
            self._push(
                _SnapshotCommand(self, text, self._project, project, self._index, self._index)
            )
        return None

    def replace_project(self, project: Project, text: str, index: int | None = None) -> None:
        """Replace the whole project as one undo step (e.g. a revised brief applied again)."""
        if project == self._project:
            return
        target = self._index if index is None else index
        self._push(_SnapshotCommand(self, text, self._project, project, self._index, target))

    def end_edit_burst(self) -> None:
        """The current typing burst / drag is over: the next edit starts a new undo step."""
        self._burst += 1
        self._range_origins.clear()

    def _moved_range(self, path: FieldPath, value: Any) -> tuple[FieldPath, Any, Estimate | None]:
        """A new likely value for an estimate with a range: the range stays as entered, and is
        widened just enough when the value falls outside it (gui.uncertainty.ranges).

        Measured from the estimate as it was when this typing burst began, so the result does
        not depend on the keystrokes in between.  Returns the path and value to set, and the
        estimate as it was when the range had to be widened (else None).
        """
        if len(path) < 2 or path[-1] != "likely" or isinstance(value, bool):
            return path, value, None
        if not isinstance(value, int | float):
            return path, value, None
        estimate_path = path[:-1]
        current = value_at(self._project, estimate_path)
        if not isinstance(current, Estimate) or not current.has_range:
            return path, value, None
        origin = self._range_origins.setdefault(estimate_path, current)
        edit = with_likely(origin, float(value))
        return estimate_path, edit.as_dict(), origin if edit.widened else None

    def _push(self, command: QUndoCommand) -> None:
        self._applying_edit = True
        try:
            self.undo_stack.push(command)
        finally:
            self._applying_edit = False

    # --- scenarios -------------------------------------------------------------------------

    def _unique_name(self, wanted: str, tail: str = "") -> str:
        """``wanted`` + ``tail`` (e.g. " (copy)"), numbered " 2", " 3"… when taken; the base
        is shortened so the whole name stays within the model's limit (a 200-character name
        still duplicates)."""
        names = {s.name for s in self._project.scenarios}

        def fitted(ending: str) -> str:
            return wanted[: MAX_NAME_CHARS - len(ending)].rstrip() + ending

        candidate, n = fitted(tail), 2
        while candidate in names:
            candidate, n = fitted(f"{tail} {n}"), n + 1
        return candidate

    def _room_for_one_more(self) -> None:
        if len(self._project.scenarios) >= MAX_SCENARIOS:
            raise EditRefused(
                f"A project holds at most {MAX_SCENARIOS:,} scenarios; delete one first."
            )

    def _with_scenarios(self, scenarios: list[Scenario]) -> Project:
        data = {name: getattr(self._project, name) for name in Project.model_fields}
        data["scenarios"] = scenarios
        return Project.model_validate(data)

    def add_scenario(self, name: str = "New scenario") -> int:
        """Append a scenario with the default inputs; it becomes the current one.  Raises
        EditRefused (with the reason) when the project already has the most it can hold."""
        self._room_for_one_more()
        scenario = Scenario(name=self._unique_name(name))
        return self._insert(scenario, f"Add scenario {scenario.name!r}")

    def duplicate_scenario(self, index: int | None = None) -> int:
        """Copy a scenario (the current one by default) under a new name; the copy is current."""
        self._room_for_one_more()
        source = self._project.scenarios[self._index if index is None else index]
        copy = source.model_copy(update={"name": self._unique_name(source.name, " (copy)")})
        copy = Scenario.model_validate(copy.model_dump())
        return self._insert(copy, f"Duplicate scenario {source.name!r}")

    def _insert(self, scenario: Scenario, text: str) -> int:
        scenarios = [*self._project.scenarios, scenario]
        after = self._with_scenarios(scenarios)
        new_index = len(scenarios) - 1
        self._push(_SnapshotCommand(self, text, self._project, after, self._index, new_index))
        return new_index

    def replace_scenario(self, scenario: Scenario, text: str) -> str | None:
        """Replace the current scenario's inputs in one undoable step (e.g. a solver setup);
        returns the reason when the models refuse it."""
        scenarios = list(self._project.scenarios)
        scenarios[self._index] = scenario
        try:
            after = self._with_scenarios(scenarios)
        except ValidationError as exc:
            return describe_validation_error(exc)
        if after != self._project:
            self._push(_SnapshotCommand(self, text, self._project, after, self._index, self._index))
        return None

    def rename_scenario(self, index: int, name: str) -> str | None:
        """Rename a scenario; returns the reason when refused (empty, duplicate, too long)."""
        old = self._project.scenarios[index].name
        try:
            after = self.edited_project(("scenarios", index, "name"), name)
        except EditRefused as exc:
            return str(exc)
        if after != self._project:
            if old in self._opened:
                self._opened.add(after.scenarios[index].name)
            self._push(
                _SnapshotCommand(
                    self, f"Rename scenario {old!r}", self._project, after, self._index, index
                )
            )
        return None

    def delete_scenario(self, index: int) -> str | None:
        """Delete a scenario (undoable); the last one cannot be deleted."""
        scenarios = list(self._project.scenarios)
        if len(scenarios) <= 1:
            return "A project needs at least one scenario."
        removed = scenarios.pop(index)
        after = self._with_scenarios(scenarios)
        # The scenario shown stays shown; if it was the deleted one, its neighbour is.
        new_index = self._index - 1 if self._index > index else self._index
        new_index = max(0, min(new_index, len(scenarios) - 1))
        self._push(
            _SnapshotCommand(
                self, f"Delete scenario {removed.name!r}", self._project, after, index, new_index
            )
        )
        return None

    def switch_scenario(self, index: int) -> None:
        """Show another scenario (not an edit: not undoable, does not dirty the project)."""
        if not 0 <= index < len(self._project.scenarios):
            raise IndexError(f"no scenario number {index}")
        if index == self._index:
            return
        self._index = index
        self._opened.add(self.scenario.name)
        self.end_edit_burst()
        self._last_change_was_edit = False
        self.scenarioChanged.emit(index)
        self.changed.emit()
        self.evaluate()

    # --- files -----------------------------------------------------------------------------

    def load(self, project: Project, path: str | Path | None = None) -> None:
        """Replace the whole project (opened file or template); the undo history starts over."""
        self.undo_stack.clear()
        self._project = project
        self._index = 0
        self._opened = {project.scenarios[0].name}
        self._path = None if path is None else Path(path)
        self._cache.clear()
        self.end_edit_burst()
        self._last_change_was_edit = False
        self.undo_stack.setClean()
        self._loading = True  # listeners that also follow `changed` wait for it
        try:
            self.pathChanged.emit(self._path)
            self.scenarioChanged.emit(0)
        finally:
            self._loading = False
        self.changed.emit()
        self.evaluate()

    @property
    def loading(self) -> bool:
        """A whole project is being replaced: ``changed`` follows the signals emitted now, so a
        listener of both can do its work once, on ``changed``."""
        return self._loading

    def is_unopened(self, index: int) -> bool:
        """A template's scenario nobody has shown yet (its inputs are still the example's).
        Showing it is not an edit; the first edit in it clears the file's mark too."""
        scenario = self._project.scenarios[index]
        return not scenario.reviewed and scenario.name not in self._opened

    def mark_saved(self, path: str | Path) -> None:
        """The project was written to ``path``: it is the document's file now, and clean."""
        self._path = Path(path)
        self.end_edit_burst()
        self.undo_stack.setClean()
        self.pathChanged.emit(self._path)

    # --- applying and evaluating -----------------------------------------------------------

    def _apply(self, project: Project, index: int) -> None:
        switched = index != self._index
        self._project = project
        self._index = max(0, min(index, len(project.scenarios) - 1))
        self._last_change_was_edit = self._applying_edit
        if not self._applying_edit:
            self.end_edit_burst()  # after an undo/redo, typing starts a new step
        if switched:
            self.scenarioChanged.emit(self._index)
        self.changed.emit()
        self.evaluate()

    def prices_changed(self) -> None:
        """Price data was imported or removed: every cached evaluation is out of date."""
        self._cache.clear()
        self.evaluate()

    def evaluate(self) -> None:
        """Re-evaluate the current scenario; on failure keep the last valid results."""
        try:
            evaluation, curves = evaluate_with_curves(
                self._project, self.scenario, points=CURVE_POINTS
            )
        except EvaluationError as exc:
            self._fail(str(exc))
            return
        except Exception as exc:  # an engine bug must not take the window down on every key
            log.exception("evaluation failed unexpectedly")
            self._fail(f"Internal error while evaluating ({type(exc).__name__}: {exc}); logged.")
            return
        self.evaluation, self.curves, self.evaluation_error = evaluation, curves, None
        self.evaluated.emit(evaluation, curves)

    def _fail(self, message: str) -> None:
        self.evaluation_error = message
        self.evaluationFailed.emit(message)

    def evaluations(self) -> list[Evaluation]:
        """Every scenario's evaluation (those that cannot be evaluated are left out), for the
        side-by-side comparison.  Cached per immutable scenario snapshot, so an edit costs one
        evaluation, not one per scenario."""
        project = self._project
        out: list[Evaluation] = []
        fresh: dict[tuple[int, str, float, int, str], tuple[Scenario, Any, Evaluation]] = {}
        for i, scenario in enumerate(project.scenarios):
            key = (
                id(scenario),
                project.currency,
                project.usd_exchange_rate,
                id(project.catalog_overrides),
                project.quote_date,
            )
            hit = self._cache.get(key)
            if hit is not None:
                evaluation = hit[2]
            elif i == self._index and self.evaluation is not None and self.evaluation_error is None:
                evaluation = self.evaluation
            else:
                try:
                    evaluation = evaluate(project, scenario)
                except EvaluationError:
                    continue
                except Exception:
                    log.exception("evaluation of scenario %r failed unexpectedly", scenario.name)
                    continue
            fresh[key] = (scenario, project.catalog_overrides, evaluation)
            out.append(evaluation)
        self._cache = fresh
        return out

    def scenario_evaluation(self, index: int) -> Evaluation | str:
        """One scenario's evaluation, or the reason it cannot be evaluated: for views that show
        only some of the scenarios at a time.  Shares the cache of :meth:`evaluations`, so a
        scenario is evaluated once per version of it, whichever asks first."""
        project = self._project
        scenario = project.scenarios[index]
        overrides = project.catalog_overrides
        key = (
            id(scenario),
            project.currency,
            project.usd_exchange_rate,
            id(overrides),
            project.quote_date,
        )
        hit = self._cache.get(key)
        if hit is not None:
            return hit[2]
        if index == self._index and self.evaluation is not None and self.evaluation_error is None:
            evaluation = self.evaluation
        else:
            try:
                evaluation = evaluate(project, scenario)
            except EvaluationError as exc:
                return str(exc)
            except Exception:
                log.exception("evaluation of scenario %r failed unexpectedly", scenario.name)
                return "The evaluation failed unexpectedly (the details are in the log)."
        if len(self._cache) >= 2 * len(project.scenarios) + 16:
            # Forget versions of scenarios that are no longer in the project.
            live = {id(s) for s in project.scenarios}
            self._cache = {
                k: v for k, v in self._cache.items() if k[0] in live and v[1] is overrides
            }
        self._cache[key] = (scenario, overrides, evaluation)
        return evaluation
