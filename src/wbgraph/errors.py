"""Exception types. Each carries what a person needs to fix the input: where, what, and what to do."""

from __future__ import annotations

from pathlib import Path

__all__ = ["WbgraphError", "InputFileError", "SyntaxProblem", "QueryError", "NotFoundError", "OutputError"]


class WbgraphError(Exception):
    """Base of every error wbgraph raises on purpose.

    >>> err = WbgraphError("no actor has this label", node="Rusia", hint="did you mean 'Russia'?")
    >>> str(err)
    "no actor has this label (node Rusia). did you mean 'Russia'?"
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        node: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.node = node
        self.hint = hint
        super().__init__(self.__str__())

    def location(self) -> str:
        """The place as ``file:line:column``, or an empty string."""
        if self.file is None:
            return ""
        out = self.file
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.node and self.node not in self.message:
            text += f" (node {self.node})"
        if self.hint:
            text += f". {self.hint}"
        return text


class InputFileError(WbgraphError):
    """A file that cannot be read: missing, a directory, unknown format."""


class SyntaxProblem(WbgraphError):
    """A file whose RDF or SPARQL does not parse."""


class QueryError(WbgraphError):
    """A query that cannot run: unknown name, bad parameter, syntax error, write operation."""


class NotFoundError(WbgraphError):
    """A label or name that matches nothing, or matches several things."""


class OutputError(WbgraphError):
    """An output that cannot be written where it was asked."""
