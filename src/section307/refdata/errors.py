"""Error types shared by the reference-data parsers and the downloader."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem in one place of a source file.

    ``row`` is the 1-based row a spreadsheet user would see (the header is row 1);
    for HTML and XML sources it is the line number in the file.
    """

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.reason}"


class ParseFailed(Exception):
    """The file cannot be read at all (wrong type, bad encoding, missing required columns)."""

    def __init__(self, errors: RowError | Iterable[RowError]) -> None:
        self.errors: list[RowError] = [errors] if isinstance(errors, RowError) else list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class FetchError(Exception):
    """A source could not be downloaded or copied (bad scheme, too large, wrong content type...)."""
