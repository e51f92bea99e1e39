"""Show how far a build is: a bar on a terminal, a plain line now and then in a log.

A terminal gets click's progress bar over the bytes to read, with documents, claims and
MB/s beside it. Anything else (a CI log, a file, a pipe) gets one line every ``every``
seconds, so that a long build shows it is alive without flooding the log.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TextIO

import click

if TYPE_CHECKING:  # the store loads sqlite-utils: not needed to draw a bar
    from claims.store import BuildProgress


class BuildDisplay:
    """Call with a ``BuildProgress``; close when the build ends."""

    def __init__(self, stream: TextIO, every: float = 5.0, terminal: bool | None = None):
        self.stream, self.every = stream, every
        self.terminal = stream.isatty() if terminal is None else terminal
        self.started = self.last = time.monotonic()
        self.bar = None
        self.shown_bytes = 0

    def __call__(self, state: BuildProgress) -> None:
        now = time.monotonic()
        if self.terminal:
            self._bar(state)
        elif now - self.last >= self.every:
            self.last = now
            click.echo(f"build: {self.describe(state, now)}", file=self.stream)

    def describe(self, state: BuildProgress, now: float | None = None) -> str:
        """ "3/10 files, 120 documents, 2,400 claims, 1 refused, 1.9 MB/s" """
        elapsed = max((now or time.monotonic()) - self.started, 1e-6)
        files = f"{state.files}/{state.files_total}" if state.files_total else f"{state.files}"
        refused = f", {state.refused} refused" if state.refused else ""
        return (
            f"{files} files, {state.documents:,} documents, {state.claims:,} claims{refused}, "
            f"{state.bytes / elapsed / 1e6:.1f} MB/s"
        )

    def _bar(self, state: BuildProgress) -> None:
        if self.bar is None:
            self.bar = click.progressbar(
                length=state.bytes_total or None,
                label="Building",
                file=self.stream,
                item_show_func=lambda shown: shown,
            )
            self.bar.__enter__()
        self.bar.update(state.bytes - self.shown_bytes, self.describe(state))
        self.shown_bytes = state.bytes

    def echo(self, line: str) -> None:
        """Print ``line`` on a line of its own, then the bar again below it."""
        if self.bar is not None:
            self.stream.write("\r\x1b[2K")
            click.echo(line, file=self.stream)
            self.bar.render_progress()
        else:
            click.echo(line, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
