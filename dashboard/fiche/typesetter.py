"""typst in a process of its own: a compile that nobody waits for any more is stopped by ending that process.

Why not in the web worker: a typst compile, once begun, runs to its end and holds the worker's interpreter
lock all along (``/health`` waited for it during a burst of PDFs), and typst keeps what it laid out for the
next compiles: tens of MiB in every worker. Here each worker starts one typesetting process (stdlib and
typst only, no pandas, no Dash) and talks to it over a pipe; the worker waits in ``select``, free for its
other requests, and calls the render's ``check`` every few milliseconds: when that raises (the client hung
up) the process is killed at once and a fresh one started for the next PDF.

The protocol, both ways a 4-byte big-endian length and then that many bytes: the request is one JSON
object (``template``, ``key``, ``inputs``, ``timestamp``, or ``ping`` to wait until the compiler is loaded);
the answer starts with one status byte (0: a PDF follows, 1: a Dutch error text follows).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import select
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typst

#: Where Debian keeps the fonts the fiche is set in (read from disk: the fiche never fetches a font).
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
#: A blank page: each compile of it counts as one of typst's compiles (see :meth:`Compilers.forget`).
BLANK = "blank.typ"
#: typst's Python package keeps what a compile memoised until ten later compiles did not use it, and gives no
#: other way to drop it: about 13 MiB a fiche. After each compile this many blank compiles (microseconds each)
#: age it: what only one fiche used is gone after the next fiche, while what every fiche uses (the template,
#: the fonts' shaping of the labels) is used again before it reaches ten and stays. Eleven would forget that
#: too: a fiche then costs about eight times the compile.
FORGET_AFTER = 8
#: Seconds between two calls of a render's ``check`` while typst works.
CHECK_EVERY = 0.01
_HEADER = struct.Struct(">I")


class TypesetError(RuntimeError):
    """typst refused the document, or its process stopped."""


def fonts() -> typst.Fonts:
    """Return the fonts of the templates: Debian's DejaVu and Liberation when there, else the system's."""
    import typst

    dirs = [str(d) for d in FONT_DIRS if d.is_dir()]
    # The fonts of the template only, when the system has them: scanning every installed font costs start-up.
    return typst.Fonts(include_system_fonts=not dirs, include_embedded_fonts=False, font_paths=dirs)


class Compilers:
    """The typesetting process's compiler (fonts and templates loaded once) and the blank page that ages it."""

    def __init__(self, root: Path, first: str, forget_after: int = FORGET_AFTER) -> None:
        import typst

        self.forget_after = forget_after
        self.main = typst.Compiler(input=root / first, root=root, font_paths=fonts())
        self.blank = typst.Compiler(input=root / BLANK, root=root, font_paths=[])

    def compile(self, template: str, key: str, inputs: str, timestamp: str) -> bytes:
        """Return the PDF of ``template`` reading ``inputs`` (JSON) from ``sys.inputs`` under ``key``."""
        pdf = self.main.compile(input=template, format="pdf", sys_inputs={key: inputs},
                                timestamp=dt.datetime.fromisoformat(timestamp))
        assert isinstance(pdf, bytes)
        return pdf

    def forget(self) -> None:
        """Let typst drop what only the last compile memoised (one cache per process, aged by each compile)."""
        for _ in range(self.forget_after):
            self.blank.compile(format="pdf")


def _read_exact(stream: IO[bytes], size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def serve(root: Path, first: str, forget_after: int, requests: IO[bytes], answers: IO[bytes]) -> None:
    """Answer requests from ``requests`` on ``answers`` until the worker closes the pipe."""
    compilers = Compilers(root, first, forget_after)
    while (header := _read_exact(requests, _HEADER.size)) is not None:
        body = _read_exact(requests, _HEADER.unpack(header)[0])
        if body is None:
            return
        ask = json.loads(body)
        try:
            status, out = 0, (b"" if ask.get("ping") else
                              compilers.compile(ask["template"], ask["key"], ask["inputs"], ask["timestamp"]))
        except Exception as exc:  # a template error: say it, and stay up for the next document
            status, out = 1, f"typst weigerde {Path(ask['template']).name}: {exc}".encode()
        try:
            answers.write(bytes([status]) + _HEADER.pack(len(out)) + out)
            answers.flush()
        except BrokenPipeError:  # the worker is gone (stopped, restarted): so is the reason to run
            return
        if not ask.get("ping"):
            compilers.forget()  # once the PDF is on its way: the worker does not wait for it


class Typesetter:
    """The worker's side: one typesetting process at a time, started when first needed and after each kill."""

    def __init__(self, root: Path, first: str, forget_after: int = FORGET_AFTER) -> None:
        self.root, self.first, self.forget_after = root, first, forget_after
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        #: Processes ended because a render was cancelled (a figure for the tests and the log).
        self.killed = 0

    @property
    def pid(self) -> int | None:
        """Return the process id of the typesetting process, if one runs."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _command(self) -> list[str]:
        return [sys.executable, "-m", __name__, str(self.root), self.first, str(self.forget_after)]

    def _ensure(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            # The package's own folder first on the path: the process runs this very code, from any directory.
            package_root = str(Path(__file__).resolve().parents[2])
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root,
                                                                              os.environ.get("PYTHONPATH")]))}
            self._proc = subprocess.Popen(self._command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                          close_fds=True)
        return self._proc

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()

    def close(self) -> None:
        """End the typesetting process (a new one starts at the next document)."""
        with self._lock:
            self._stop()

    def _ask(self, request: dict[str, Any], check: Callable[[], None] | None) -> bytes:
        with self._lock:
            if check is not None:
                check()  # cancelled while another document had the process: nothing to stop yet
            proc = self._ensure()
            assert proc.stdin is not None and proc.stdout is not None
            body = json.dumps(request).encode()
            try:
                proc.stdin.write(_HEADER.pack(len(body)) + body)
                proc.stdin.flush()
                while True:
                    if check is not None:
                        check()  # once at least, the compile begun: a client gone by now stops it too
                    if select.select([proc.stdout], [], [], CHECK_EVERY)[0]:
                        break
                head = _read_exact(proc.stdout, 1 + _HEADER.size)
                answer = _read_exact(proc.stdout, _HEADER.unpack(head[1:])[0]) if head else None
            except OSError as exc:  # the process is gone (killed from outside, out of memory)
                self._stop()
                raise TypesetError(f"het typst-proces is weg ({type(exc).__name__})") from exc
            except BaseException:
                # Cancelled (or the worker is stopping): the compile must not go on for nobody.
                self.killed += 1
                self._stop()
                raise
            if head is None or answer is None:
                code = proc.wait()
                self._stop()
                raise TypesetError(f"het typst-proces stopte (code {code})")
        if head[0] != 0:
            raise TypesetError(answer.decode(errors="replace"))
        return answer

    def warm_up(self) -> None:
        """Start the process and wait until its compiler, fonts and template are loaded."""
        self._ask({"ping": True}, None)

    def typeset(self, template: str, key: str, inputs: str, created: dt.date,
                check: Callable[[], None] | None = None) -> bytes:
        """Return the PDF of ``template`` (a file in ``root``) with ``inputs`` (JSON) under ``key``.

        The PDF's creation date is ``created`` (same input, same bytes). ``check`` is called every
        :data:`CHECK_EVERY` seconds while typst works; what it raises ends the process and reaches the caller.
        """
        stamp = dt.datetime.combine(created, dt.time(), tzinfo=dt.UTC).isoformat()
        return self._ask({"template": str(self.root / template), "key": key, "inputs": inputs, "timestamp": stamp},
                         check)


def main(argv: list[str]) -> None:
    """Run the typesetting process: ``python -m dashboard.fiche.typesetter ROOT FIRST FORGET_AFTER``."""
    root, first, forget_after = Path(argv[0]), argv[1], int(argv[2])
    # The answers get the pipe of stdout to themselves: anything else printed goes to stderr (the server's log).
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(root, first, forget_after, sys.stdin.buffer, answers)


if __name__ == "__main__":
    main(sys.argv[1:])
