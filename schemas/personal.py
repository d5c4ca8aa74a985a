"""Which event fields are personal data: declared with the `Personal` marker on the field.

A personal field travels encrypted with its person's key (`schemas/sealing.py`); once the key is
deleted the field reads as its `erased` value, which the marker lets through validation only
when the decoder says so (context `erased`), never from a producer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ValidationInfo, ValidatorFunctionWrapHandler

# What a deleted account shows where its name was (web pages, rebuilds, exports).
ERASED_NAME = "Cuenta eliminada"
# What a deleted account keeps instead of its cédula (both databases, rebuilds): unique, and no
# cédula (digits) matches it.
ERASED_CEDULA_PREFIX = "x"
# Field names that always hold personal data: a data class with one of them must mark it
# Personal (tests/unit/schemas/test_personal_fields.py fails otherwise).
PERSONAL_NAMES = frozenset(
    {"cedula", "nombre", "telefono", "raw_response", "voting_place", "novedad", "message"}
)
ERASED_CONTEXT = "erased"


@dataclass(frozen=True)
class Personal:
    """Field marker: `Annotated[str, Field(...), Personal(erased="...")]`. Put it last, so it
    wraps the field's own constraints (an erased value need not satisfy them)."""

    erased: Any = None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema  # the schema builder pydantic itself uses

        return core_schema.with_info_wrap_validator_function(self._validate, handler(source))

    def _validate(
        self, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        if (
            value == self.erased
            and isinstance(info.context, dict)
            and info.context.get(ERASED_CONTEXT)
        ):
            return value
        return handler(value)


def erased_cedula(user_id: UUID) -> str:
    return f"{ERASED_CEDULA_PREFIX}{user_id.hex}"


def is_erased_cedula(value: str) -> bool:
    return value.startswith(ERASED_CEDULA_PREFIX)


def personal_fields(model: type[BaseModel]) -> dict[str, Personal]:
    """The fields of `model` marked Personal, with their markers."""
    return {
        name: marker
        for name, field in model.model_fields.items()
        for marker in field.metadata
        if isinstance(marker, Personal)
    }
