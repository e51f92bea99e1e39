"""Errors: each names the file and the reason, is a ValueError and a ClaimsError, and pickles."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from claims.errors import ClaimsError, DocumentError, LexiconError, PathError, StoreError

ERRORS = [
    # the error, its message, its path
    (DocumentError("feed/b.txt", "empty file"), "feed/b.txt: empty file", "feed/b.txt"),
    (DocumentError(Path("feed") / "b.txt", "empty file"), "feed/b.txt: empty file", "feed/b.txt"),
    (StoreError("x.db", "is a folder"), "x.db: is a folder", "x.db"),
    (
        LexiconError("units.yaml", "rounds", "needs a 'name'"),
        "units.yaml: entry 'rounds': needs a 'name'",
        "units.yaml",
    ),
]


@pytest.mark.parametrize("error, message, path", ERRORS, ids=[e[1] for e in ERRORS])
def test_path_errors(error, message, path):
    # Review of #2, item 9: DocumentError, StoreError and LexiconError share PathError.
    assert isinstance(error, PathError)
    assert isinstance(error, ValueError) and isinstance(error, ClaimsError)
    assert (str(error), error.path) == (message, path)
    # Errors may cross a process pool: they must come back whole.
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.path) == (type(error), message, path)


def test_lexicon_error_keeps_its_entry_and_fault():
    error = LexiconError("nouns.yaml", "stop", "must be a list of words")
    assert (error.key, error.fault) == ("stop", "must be a list of words")
    assert error.reason == "entry 'stop': must be a list of words"
