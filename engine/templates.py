"""Built-in example projects (resources/templates/*.ftrag)."""

from __future__ import annotations

from pathlib import Path

from engine.catalog import RESOURCES
from engine.fileformat import load_project
from engine.model.project import Project

TEMPLATE_DIR = RESOURCES / "templates"
DEFAULT_TEMPLATE = "support-assistant"


def template_names() -> list[str]:
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.ftrag"))


def template_path(name: str) -> Path:
    if name not in template_names():
        raise KeyError(f"no template named {name!r} (available: {', '.join(template_names())})")
    return TEMPLATE_DIR / f"{name}.ftrag"


def load_template(name: str = DEFAULT_TEMPLATE) -> Project:
    """A template; its scenarios after the first (which is shown on opening) are marked as not
    opened yet: their inputs are the example's until someone looks at them."""
    project = load_project(template_path(name))
    data = {field: getattr(project, field) for field in Project.model_fields}
    data["scenarios"] = [
        s.model_copy(update={"reviewed": i == 0}) for i, s in enumerate(project.scenarios)
    ]
    return Project.model_validate(data)
