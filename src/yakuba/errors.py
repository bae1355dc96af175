"""Errors that carry a message a clerk can act on.

Every rejection of input names the field (項目) and says in Japanese what is wrong, so the
same text can be shown in the API (HTTP 422), the web UI and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one input field: ``field`` is the Japanese item name shown to the clerk."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class YakubaError(Exception):
    """Base of every error yakuba raises on purpose."""

    http_status = 400


@dataclass
class InputError(YakubaError):
    """Bad input: one or more fields are wrong. Nothing was changed."""

    problems: list[FieldProblem] = field(default_factory=list)
    http_status = 422

    def __init__(self, *problems: FieldProblem | tuple[str, str]) -> None:
        fixed = [p if isinstance(p, FieldProblem) else FieldProblem(*p) for p in problems]
        self.problems = fixed
        super().__init__("; ".join(str(p) for p in fixed))

    @classmethod
    def single(cls, field_name: str, message: str) -> InputError:
        return cls(FieldProblem(field_name, message))


class NotFound(YakubaError):
    """The thing asked for does not exist (or may not be seen by the caller)."""

    http_status = 404


class Conflict(YakubaError):
    """Someone else changed the data first; the caller must reload and try again."""

    http_status = 409


class Forbidden(YakubaError):
    """The caller is authenticated but not allowed to do this."""

    http_status = 403
