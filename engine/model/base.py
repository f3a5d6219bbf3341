"""Building blocks shared by every input model: strict frozen models and uncertain numbers.

Every numeric input a consultant types is an :class:`Estimate`: a likely value with an optional
low/high range beside it (the uncertainty analysis samples the range; the deterministic engine
uses the likely value).  In a ``.ftrag`` file an estimate without a range is written as a bare
number, so files stay readable: ``"queries_per_month": 1000`` or
``"queries_per_month": {"likely": 1000, "low": 500, "high": 4000}``.

Each estimate field declares its unit and bounds with :func:`quantity`; the bounds are checked on
the likely value and on both ends of the range, and the error names the field.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


class Strict(BaseModel):
    """Frozen, unknown keys refused, NaN/inf refused, true/false refused where a number belongs
    (JSON integers are still numbers): the base of every model in a file."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        validate_default=True,
        str_max_length=20_000,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is None or not _holds_bool(value):
            return value
        if _numeric(cls.model_fields[info.field_name].annotation):
            raise ValueError("expected a number, got true/false")
        return value


def _holds_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, dict):
        return any(isinstance(v, bool) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_bool(v) for v in value)
    return False


def _numeric(annotation: Any) -> bool:
    """True when a field holds numbers (float, int, optionals, and dicts/lists of them)."""
    if annotation in (float, int):
        return True
    args = get_args(annotation)
    if not args:
        return False
    origin = get_origin(annotation)
    if origin is dict:
        return _numeric(args[-1])
    # Optional[X], list[X], tuple[X, Y]: numeric when a non-None member is.
    return any(_numeric(a) for a in args if a is not type(None))


class Estimate(Strict):
    """A number a person estimated: the likely value, and optionally a low–high range around it."""

    likely: float = Field(description="The most likely value.")
    low: float | None = Field(default=None, description="Low end of the plausible range.")
    high: float | None = Field(default=None, description="High end of the plausible range.")

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError("expected a number, got true/false")
        if isinstance(data, int | float):
            return {"likely": data}
        return data

    @model_validator(mode="after")
    def _ordered(self) -> Estimate:
        if self.low is not None and self.low > self.likely:
            raise ValueError(f"low ({self.low:g}) is above the likely value ({self.likely:g})")
        if self.high is not None and self.high < self.likely:
            raise ValueError(f"high ({self.high:g}) is below the likely value ({self.likely:g})")
        return self

    @property
    def has_range(self) -> bool:
        return self.low is not None or self.high is not None

    @model_serializer(mode="plain")
    def _serialize(self) -> Any:
        if not self.has_range:
            return _tidy(self.likely)
        out: dict[str, float] = {"likely": _tidy(self.likely)}
        if self.low is not None:
            out["low"] = _tidy(self.low)
        if self.high is not None:
            out["high"] = _tidy(self.high)
        return out

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        obj = handler(core_schema)
        return {"anyOf": [{"type": "number"}, obj]}


def _tidy(number: float) -> float:
    """Whole numbers are written without '.0' so files read naturally (1000, not 1000.0)."""
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def quantity(
    likely: float,
    *,
    unit: str,
    description: str,
    ge: float = 0.0,
    le: float = 1e15,
    integer: bool = False,
    step: float | None = None,
    decimals: int | None = None,
    label: str | None = None,
) -> Any:
    """A field holding an :class:`Estimate`, with its unit, bounds and description as metadata.

    The GUI builds its spin boxes from this metadata (range, unit suffix, tooltip); the
    validator of :class:`Section` enforces the bounds.
    """
    extra: dict[str, Any] = {"unit": unit, "minimum": ge, "maximum": le, "integer": integer}
    if step is not None:
        extra["step"] = step
    if decimals is not None:
        extra["decimals"] = decimals
    if label is not None:
        extra["label"] = label
    return Field(
        default=Estimate(likely=likely),
        description=description,
        json_schema_extra=extra,
    )


def field_meta(model: type[BaseModel], name: str) -> dict[str, Any]:
    """The unit/bounds metadata a :func:`quantity` field carries (empty for other fields)."""
    extra = model.model_fields[name].json_schema_extra
    return dict(extra) if isinstance(extra, dict) else {}


class Section(Strict):
    """A group of inputs; checks every estimate against its field's declared bounds."""

    section_title: ClassVar[str] = ""

    @field_validator("*", mode="after")
    @classmethod
    def _within_bounds(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, Estimate) or info.field_name is None:
            return value
        meta = field_meta(cls, info.field_name)
        if not meta:
            return value
        lo, hi, unit = meta["minimum"], meta["maximum"], meta["unit"]
        for what, number in (("likely", value.likely), ("low", value.low), ("high", value.high)):
            if number is None:
                continue
            if number < lo or number > hi:
                raise ValueError(
                    f"{what} value {number:g} is outside the allowed range {lo:g} – {hi:g} {unit}"
                )
            if meta.get("integer") and not math.isclose(number, round(number)):
                raise ValueError(f"{what} value {number:g} must be a whole number")
        return value
