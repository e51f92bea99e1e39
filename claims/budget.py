"""How long a build lets extraction take (#14).

Extraction takes time in proportion to a text, but a text of nothing but figures costs ten to
a hundred times what news of its size does. A build gives the documents of each file a time
budget together: ``MIN_SECONDS``, and ``seconds_per_mb`` for each MB of their text. A document
is extracted with what its file has left, its own share added; past it, it is refused and the
build goes on. Shared by a file's documents, the budget cannot be got round by cutting a text
into many records, each under a budget of its own.

Time is the processor time of the thread that extracts (``time.thread_time``), so that other
work on the machine, or the writer beside a pool, changes little what a budget allows.
"""

from __future__ import annotations

from claims.defaults import MIN_SECONDS
from claims.model import Document

#: The least a document whose file has time left may take: what the fixed cost of reading
#: a short text needs, fifty times over (0.2 ms for a sentence).
MIN_DOCUMENT_SECONDS = 0.01


def time_budget(text: str, seconds_per_mb: float | None) -> float | None:
    """The seconds the extraction of ``text`` may take alone: ``MIN_SECONDS`` and
    ``seconds_per_mb`` per million characters; None (no limit) when ``seconds_per_mb`` is.

    >>> time_budget("x" * 3_000_000, 5.0), time_budget("", 5.0), time_budget("x", None)
    (17.0, 2.0, None)
    """
    if seconds_per_mb is None:
        return None
    return MIN_SECONDS + seconds_per_mb * len(text) / 1e6


class FileBudgets:
    """The time budget of each file's documents in one build, granted as they are sent.

    Documents sent together (a pool's batch) share what their file has left beyond their
    own shares, evenly, and hold it until ``settle`` says what each took. A document whose
    file has some time left gets ``MIN_DOCUMENT_SECONDS`` at least, which the fixed cost of
    a short text needs; once what a file's documents took passes what they may take
    together, the file's next documents get none.

    >>> budgets = FileBudgets(5.0)
    >>> big = Document("5 km " * 200_000, path="a.jsonl#1")
    >>> small = Document("5 km", path="a.jsonl#2")
    >>> [round(s, 6) for s in budgets.grant(big, small)]  # 2 s shared, and each its share
    [6.0, 1.00002]
    >>> budgets.settle(big, 6.5); budgets.settle(small, 0.0)
    >>> third = Document("5 km", path="a.jsonl#3")
    >>> [round(s, 6) for s in budgets.grant(third)]  # what the first two left
    [0.50004]
    >>> budgets.settle(third, 0.6); budgets.grant(Document("5 km", path="a.jsonl#4"))
    [0.0]
    """

    def __init__(self, seconds_per_mb: float | None):
        self.seconds_per_mb = seconds_per_mb
        #: file -> seconds its documents granted so far may take together
        self.allowed: dict[str | None, float] = {}
        #: file -> seconds its documents took; seconds held by documents not yet settled
        self.spent: dict[str | None, float] = {}
        self.held: dict[str | None, float] = {}
        #: id(document) -> the seconds granted it
        self.granted: dict[int, float] = {}

    def grant(self, *docs: Document) -> list[float | None]:
        """The seconds each of ``docs``, sent together, may take (0: none), held until
        ``settle``; a document granted before keeps its grant. None: no limit."""
        if self.seconds_per_mb is None:
            return [None] * len(docs)
        new = [doc for doc in docs if id(doc) not in self.granted]
        by_file: dict[str | None, list[Document]] = {}
        for doc in new:
            by_file.setdefault(_file_of(doc), []).append(doc)
        for file, group in by_file.items():
            shares = [time_budget(doc.text, self.seconds_per_mb) - MIN_SECONDS for doc in group]
            allowed = self.allowed.get(file, MIN_SECONDS) + sum(shares)
            self.allowed[file] = allowed
            spent, held = self.spent.get(file, 0.0), self.held.get(file, 0.0)
            free = max(0.0, allowed - sum(shares) - spent - held) / len(group)
            for doc, share in zip(group, shares, strict=True):
                left = max(share + free, MIN_DOCUMENT_SECONDS) if allowed > spent else 0.0
                self.granted[id(doc)] = left
                self.held[file] = self.held.get(file, 0.0) + left
        return [self.granted[id(doc)] for doc in docs]

    def settle(self, doc: Document, seconds: float) -> None:
        """Count the ``seconds`` that ``doc`` took in its file's budget, and free what it held."""
        left = self.granted.pop(id(doc), None)
        if left is None:
            return
        file = _file_of(doc)
        self.held[file] -= left
        self.spent[file] = self.spent.get(file, 0.0) + seconds

    def close(self, file: str | None) -> None:
        """Forget a file whose documents are all settled: memory stays flat in a build."""
        for table in (self.allowed, self.spent, self.held):
            table.pop(file, None)

    def refusal(self, left: float) -> str:
        """Why a document is refused, that was granted ``left`` seconds (0 or less: none)."""
        rule = (
            f"the documents of a file may take {MIN_SECONDS:g} s and {self.seconds_per_mb:g} s "
            "per MB of their text, together"
        )
        if left <= 0:
            return f"not extracted: the documents before it in its file took its time ({rule})"
        return (
            f"took longer to extract than its time budget, {_seconds(left)} s ({rule}): a text "
            "stranger than news (a table, a list of numbers, no full stops)"
        )


def _seconds(seconds: float) -> str:
    """Seconds as a reader wants them: "0.004", "2.8", "17", "102"."""
    return f"{seconds:.0f}" if seconds >= 10 else f"{seconds:.2g}"


def _file_of(doc: Document) -> str | None:
    """The file a document was read from: its path without the record (``a.jsonl#7``)."""
    return doc.path.partition("#")[0] if doc.path else None
