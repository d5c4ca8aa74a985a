"""A settings class that refuses the environment, said in one line that names the variables and
never shows a value (pydantic's own message repeats the input, passwords included)."""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_settings import BaseSettings


def settings_problem(exc: BaseException) -> str | None:
    """`invalid settings: …` for a ValidationError of a settings class, else None."""
    if not isinstance(exc, ValidationError):
        return None
    settings_class = _settings_class(exc.title)
    if settings_class is None:  # the validation of data, not of the environment: a bug
        return None
    prefix = str(settings_class.model_config.get("env_prefix", "")).upper()
    problems = [
        _problem(prefix, error["loc"], error["msg"])
        for error in exc.errors(include_input=False, include_url=False, include_context=False)
    ]
    return f"invalid settings: {'; '.join(problems)}"


def _problem(prefix: str, loc: tuple[int | str, ...], message: str) -> str:
    message = message.removeprefix("Value error, ")
    # A field's error names its variable; the class's own checks name theirs in the message.
    return f"{prefix}{'_'.join(str(part) for part in loc).upper()}: {message}" if loc else message


def _settings_class(name: str) -> type[BaseSettings] | None:
    pending: list[type[BaseSettings]] = [BaseSettings]
    while pending:
        cls = pending.pop()
        if cls.__name__ == name and cls is not BaseSettings:
            return cls
        pending.extend(cls.__subclasses__())
    return None
