"""Errors the ETL reports to a person: one line naming file, line, column and reason."""

from __future__ import annotations

import re

_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def single_line(text: str) -> str:
    """Return ``text`` as one printable line: control characters from a damaged file shown as hex escapes."""
    return _BREAKS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else " ", text)


class ExportError(Exception):
    """A file-level problem that stops the build (missing file or column, unreadable file...)."""

    def __init__(self, file: str, reason: str, line: int | None = None, column: str | None = None) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Return the message as one line: ``file, regel N, kolom 'x': reason``."""
        where = [self.file]
        if self.line is not None:
            where.append(f"regel {self.line}")
        if self.column is not None:
            where.append(f"kolom '{self.column}'")
        return f"{', '.join(where)}: {self.reason}"


class BuildError(Exception):
    """A build-level problem (too many rejects, no usable rows) that stops the build."""
