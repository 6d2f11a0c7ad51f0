"""TOML tables into frozen dataclasses, strictly: the dataclass is the only description of a table.

Each field's annotation says what a key takes: `bool`, `int`, `float` (an integer is welcome),
`str`, a `Literal` of choices, another dataclass (a table), or `tuple[SomeDataclass, ...]` (an
array of tables). `Annotated[int, between(1, 999)]` adds a rule beyond the type; a rule raises a
`LotkeeperError` with a sentence, as the checks in `tui.codes` do. A wrong type, a broken rule
and an unknown key are all refused, naming the key (`printers[0].timeout_s`) and what it expects.
A field with `metadata={"key": False}` is not read from the file. Missing keys keep defaults.

Hand-written rather than a validation library because it is this small and adds nothing to the
start-up time every `lotkeeper` command pays; it does only what the config needs.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from datetime import date, time
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin, get_type_hints

from tui.errors import ConfigError, InvalidInput, LotkeeperError

T = TypeVar("T")
Rule = Callable[[Any], object]
"""Raises a LotkeeperError with a sentence when a value breaks it."""

_KINDS: dict[type, tuple[tuple[type, ...], str]] = {
    bool: ((bool,), "true or false"),
    int: ((int,), "a whole number"),
    float: ((int, float), "a number"),
    str: ((str,), "text in quotes"),
}


def shown(value: object) -> str:
    """A value as it would be written in the file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        return format(value, "g")
    return repr(value)


def above(low: float) -> Rule:
    def rule(value: float) -> None:
        if not value > low:
            raise InvalidInput(f"expected a number above {low:g}, got {shown(value)}")

    return rule


def between(low: int, high: int) -> Rule:
    def rule(value: int) -> None:
        if not low <= value <= high:
            raise InvalidInput(f"expected a whole number from {low} to {high}, got {shown(value)}")

    return rule


def load(cls: type[T], data: object, where: str = "") -> T:
    """`data` (a parsed TOML table) as a `cls`; `where` names the table in messages."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a table of keys, got {shown(data)}")
    hints = _fields(cls)  # type: ignore[arg-type]  # a dataclass type is hashable
    unknown = sorted(set(data) - set(hints))
    if unknown:
        what = f"key(s) in {_name(where)}" if where else "section(s) in the config"
        raise ConfigError(f"unknown {what}: {', '.join(unknown)}{_hint(unknown, hints)}")
    values = {key: _value(hints[key], value, _join(where, key)) for key, value in data.items()}
    return cls(**values)


@cache
def _fields(cls: type) -> Mapping[str, Any]:
    hints = get_type_hints(cls, include_extras=True)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.metadata.get("key", True)}


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _name(where: str) -> str:
    return where if where.endswith("]") else f"[{where}]"


def _hint(unknown: list[str], known: Mapping[str, Any]) -> str:
    import difflib  # only a mistake needs it

    close = [m for key in unknown for m in difflib.get_close_matches(key, known, n=1)]
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _value(kind: Any, value: object, key: str) -> Any:
    rules: tuple[Rule, ...] = ()
    if get_origin(kind) is Annotated:
        kind, *extra = get_args(kind)
        rules = tuple(extra)
    result = _typed(kind, value, key)
    for rule in rules:
        try:
            rule(result)
        except LotkeeperError as exc:  # a sentence that names the key already is kept as it is
            raise ConfigError(
                exc.message if exc.message.startswith(key) else f"{key}: {exc.message}"
            ) from None
    return result


def _typed(kind: Any, value: object, key: str) -> Any:
    if dataclasses.is_dataclass(kind):
        return load(kind, value, key)  # type: ignore[arg-type]
    if get_origin(kind) is tuple:
        (item, _) = get_args(kind)
        if not isinstance(value, list):
            raise ConfigError(f"{key}: expected a list of tables ([[{key}]] entries), got {shown(value)}")
        return tuple(_value(item, entry, f"{key}[{i}]") for i, entry in enumerate(value))
    if get_origin(kind) is Literal:
        choices = get_args(kind)
        if value not in choices or not isinstance(value, str):
            raise ConfigError(f"{key}: expected one of {', '.join(map(shown, choices))}, got {shown(value)}")
        return value
    if kind not in _KINDS:  # a programming error in a section's dataclass, not a user's mistake
        raise TypeError(f"{key}: a config field must be bool, int, float, str, a Literal or a table")
    accepted, expected = _KINDS[kind]
    if not isinstance(value, accepted) or (kind is not bool and isinstance(value, bool)):
        raise ConfigError(f"{key}: expected {expected}, got {shown(value)}")
    return float(value) if kind is float else value  # type: ignore[arg-type]
