"""The JSON Schema of a .ftrag file (printed by ``ftrag schema``, committed in resources/)."""

from __future__ import annotations

from typing import Any

from engine.fileformat import FORMAT_NAME, SCHEMA_VERSION
from engine.model.project import Project


def project_file_schema() -> dict[str, Any]:
    project = Project.model_json_schema(mode="validation")
    defs = project.pop("$defs", {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://ftrag-advisor.invalid/schema/ftrag-{SCHEMA_VERSION}.json",
        "title": "FTRAG Advisor project file",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "schema_version", "project"],
        "properties": {
            "format": {"const": FORMAT_NAME},
            "schema_version": {"const": SCHEMA_VERSION},
            "app_version": {"type": "string"},
            "saved_at": {"type": "string", "format": "date-time"},
            "project": {"$ref": "#/$defs/Project"},
        },
        "$defs": {**defs, "Project": project},
    }
