"""A claim's frame (#16): what is measured, whose, where, and what kind of figure, read from
sentences of the shapes that made wrong links (tests/context/frames.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from claims import extract
from claims.frames import Frame
from claims.xref import fits, frame_of_claim, same_frame

CASES = yaml.safe_load((Path(__file__).parent / "context" / "frames.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[case["text"][:60] for case in CASES])
def test_the_frame_of_a_claim(case):
    (claim,) = [
        c for c in extract(case["text"], published="2023-02-15") if c.text == case["figure"]
    ]
    frame = frame_of_claim(claim)
    assert (frame.key(claim.dimension) if frame else None) == case["frame"]


BORDER = Frame("troop", "Russia", "border of Ukraine", "level", "2022-02-18")

FITS = [
    # two frames -> they may be of one quantity (agree, repeat), they can conflict
    (BORDER, BORDER, True, True),
    (BORDER, Frame("troop", "Russia", "Belarus", "level", "2022-02-18"), False, False),
    (BORDER, Frame("troop", "Russia", "", "level", "2022-02-18"), True, False),
    (BORDER, Frame("troop", "Russia", "border", "level", "2022-02-18"), True, False),
    (BORDER, Frame("troop", "Russia", "border of Ukraine", "change", "2022-02-18"), False, False),
    (BORDER, Frame("troop", "Ukraine", "border of Ukraine", "level", "2022-02-18"), False, False),
    # a subject unknown on one side, where the place is known: "100,000 soldiers at the
    # borders of Ukraine"
    (BORDER, Frame("troop", "", "border of Ukraine", "level", "2022-02-19"), True, True),
    # no period: no conflict
    (BORDER, Frame("troop", "Russia", "border of Ukraine", "level"), True, False),
    # no place on either side: one scope for a level, not for losses
    (Frame("EUR aid:military", "Germany", "", "level", "2023-03-10"),
     Frame("EUR aid:military", "Germany", "", "level", "2023-03-15"), True, True),
    (Frame("troop", "Russia", "", "loss", "2023-02-16"),
     Frame("troop", "Russia", "", "loss", "2023-02-16"), True, False),
    # an aspect unknown on one side fits; a package is no total
    (Frame("USD aid", "United States", "", "tranche"),
     Frame("USD aid:military", "United States", "", "tranche"), True, False),
    (Frame("USD aid", "United States", "", "tranche", "2023-05-02"),
     Frame("USD aid", "United States", "", "level", "2023-05-02"), False, False),
]  # fmt: skip


@pytest.mark.parametrize("a, b, fit, conflict", FITS)
def test_which_frames_fit_and_which_can_conflict(a, b, fit, conflict):
    assert (fits(a, b), same_frame(a, b)) == (fit, conflict)
    assert (fits(b, a), same_frame(b, a)) == (fit, conflict)
