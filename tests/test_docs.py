"""The README's examples run as doctests, so that they show real output."""

from __future__ import annotations

import doctest


def test_readme_examples(root):
    result = doctest.testfile(
        str(root / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted > 0
    assert result.failed == 0


def test_readme_gives_the_two_set_up_commands(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/claims serve" in readme
    assert (
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest" in readme
    )
