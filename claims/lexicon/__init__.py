"""Rules as data: the YAML files beside this module, loaded once and checked on load.

Each file is read by ``load(name)``; a malformed file raises ``LexiconError`` naming the
file, the entry and the fault, so a bad edit to a word list fails loudly at import time.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from claims.errors import LexiconError

LEXICON_DIR = Path(__file__).parent

# libyaml's loader reads the same YAML as PyYAML's own, eight times faster (0.13 s -> 0.015 s
# for these files, at every start); PyYAML's own where it was built without libyaml.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def load(name: str, folder: Path | None = None):
    """Return the parsed content of ``<name>.yaml`` in ``folder`` (this one by default)."""
    path = (folder or LEXICON_DIR) / f"{name}.yaml"
    try:
        with path.open(encoding="utf-8") as f:
            data = yaml.load(f, Loader=_Loader)
    except OSError as e:
        raise LexiconError(str(path), name, f"cannot be read: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise LexiconError(str(path), name, f"is not valid YAML: {e}") from None
    if data is None:
        raise LexiconError(str(path), name, "is empty")
    return data


def words(
    name: str, key: str, case_sensitive: bool = False, folder: Path | None = None
) -> frozenset[str]:
    """Return the list ``key`` of ``lexicon/<name>.yaml`` as a set of words, lower-cased
    unless ``case_sensitive``. A word listed twice is refused: it hides an editing slip."""
    data = load(name, folder)
    path = str((folder or LEXICON_DIR) / f"{name}.yaml")
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(w, str) for w in items):
        raise LexiconError(path, key, "must be a list of words")
    folded = [w if case_sensitive else w.lower() for w in items]
    repeated = sorted({w for w in folded if folded.count(w) > 1})
    if repeated:
        raise LexiconError(path, key, f"lists {', '.join(map(repr, repeated))} more than once")
    return frozenset(folded)


def mapping(
    name: str, key: str, value_type=str, case_sensitive: bool = False, folder: Path | None = None
) -> dict:
    """Return the mapping ``key`` of ``lexicon/<name>.yaml``, keys lower-cased unless
    ``case_sensitive``."""
    data = load(name, folder)
    items = data.get(key) if isinstance(data, dict) else None
    path = str((folder or LEXICON_DIR) / f"{name}.yaml")
    if not isinstance(items, dict):
        raise LexiconError(path, key, "must be a mapping")
    out = {}
    for k, v in items.items():
        if not isinstance(v, value_type) or isinstance(v, bool):
            kind = getattr(value_type, "__name__", "number")
            raise LexiconError(path, f"{key}.{k}", f"must be a {kind}, not {v!r}")
        out[str(k) if case_sensitive else str(k).lower()] = v
    return out


def word_lists(name: str, key: str, folder: Path | None = None) -> dict[str, frozenset[str]]:
    """Return the mapping ``key`` of ``lexicon/<name>.yaml`` whose every value is a list of
    words ("meter: [centimeter, millimeter]"), each list as a set."""
    items = mapping(name, key, list, case_sensitive=True, folder=folder)
    path = str((folder or LEXICON_DIR) / f"{name}.yaml")
    for k, words_of in items.items():
        if not all(isinstance(w, str) for w in words_of):
            raise LexiconError(path, f"{key}.{k}", "must be a list of words")
    return {k: frozenset(words_of) for k, words_of in items.items()}
