"""The README's examples run as doctests, so that they show real output."""

from __future__ import annotations

import doctest
import re


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


def test_ci_runs_the_readme_test_command_step_by_step(root):
    # Review of #2, item 8: under `set -e`, a failed step inside an && chain did not stop
    # .ci/run, so that a failed install went on to the smoke test and "CI passed".
    readme = (root / "README.md").read_text(encoding="utf-8")
    [command] = re.findall(r"^python3 -m venv .*pytest$", readme, flags=re.MULTILINE)
    steps = command.split(" && ")
    lines = [
        line.strip()
        for line in (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "set -euo pipefail" in lines
    start = lines.index(steps[0])
    assert lines[start : start + len(steps)] == steps
    assert [line for line in lines if "&&" in line] == []
