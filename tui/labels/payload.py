"""Label data to JSON and back, for the print job that keeps it.

Any frozen dataclass made of strings, numbers, booleans, dates, Decimals, tuples and other such
dataclasses round-trips: dates as ISO text, Decimals as text (exact), tuples as lists. Decoding
follows the dataclass's type hints, so a payload stored years ago comes back as the same objects.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

T = TypeVar("T")


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def decode(value: Any, hint: Any) -> Any:
    """`value` from JSON as the type `hint` says; ValueError/TypeError when it cannot be."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None:
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return decode(value, options[0]) if len(options) == 1 else value
    if hint is date:
        return date.fromisoformat(value)
    if hint is Decimal:
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(f"{value!r} is not a number") from exc
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_mapping(hint, value)
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, list):
            raise TypeError(f"expected a list, got {value!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(v, args[0]) for v in value)
        return tuple(decode(v, a) for v, a in zip(value, args, strict=True))
    if origin is dict:
        return {k: decode(v, typing.get_args(hint)[1]) for k, v in value.items()}
    return value


def from_mapping(cls: type[T], raw: Mapping[str, Any]) -> T:
    if not isinstance(raw, Mapping):
        raise TypeError(f"expected an object for {cls.__name__}, got {raw!r}")
    hints = typing.get_type_hints(cls)
    values = {f.name: decode(raw[f.name], hints[f.name]) for f in dataclasses.fields(cls) if f.name in raw}  # type: ignore[arg-type]
    return cls(**values)
