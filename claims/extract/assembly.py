"""The last stage of extraction: a sentence's numbers read (``numbers``), given their units
(``units``), vetoed (``vetoes``) and qualified (``qualifiers``), then joined into
claims ("44 mg to 50 mg"), each naming the rule that read it."""

from __future__ import annotations

from dataclasses import replace

from claims import units
from claims.extract.lexicon import Lexicon
from claims.extract.numbers import NEGATIVE_SIGNS, NumberReading, approximate
from claims.extract.qualifiers import QualifierReading
from claims.extract.readings import Dropped, Number, Reading, Step
from claims.extract.units import UnitReading, single_currency_symbols
from claims.extract.vetoes import VETOES, Vetoes
from claims.model import Claim


class Reader(NumberReading, UnitReading, QualifierReading, Vetoes):
    """Reads the claims of one sentence from its tokens.

    ``quoted`` says whether the sentence starts inside a quotation opened before it,
    ``blocked`` lists character spans where no figure is read (phone numbers), and
    ``explain`` keeps in ``steps`` the rule or veto of each figure.
    """

    def __init__(
        self,
        lex: Lexicon,
        text: str,
        start: int,
        end: int,
        quoted: bool = False,
        blocked=(),
        explain: bool = False,
    ):
        super().__init__(text, start, end)
        self.lex = lex
        self.starts_quoted = quoted
        self.blocked = [span for span in blocked if span[0] < end and start < span[1]]
        self.steps: list[Step] | None = [] if explain else None

    def quoted_at(self, offset: int) -> bool:
        """True when the character at ``offset`` stands inside quotation marks."""
        return inside_quotes(self.text[self.offset : offset], self.starts_quoted)

    def claims(self, published: str | None) -> list[Claim]:
        """The claims of the sentence, in order; with ``explain`` on, ``steps`` says how
        each figure was read or dropped."""
        out: list[Claim] = []
        windows: list[int] = []  # the claims that are windows of time ("the past 24 hours")
        previous: Reading | None = None
        i = 0
        while i < self.n:
            lower = self.lowers[i]
            if not (lower[0].isdecimal() or lower.partition("-")[0] in self.lex.number_starts):
                i += 1
                continue
            if self.blocked and any(a <= self.starts[i] < b for a, b in self.blocked):
                i = self._drop(Dropped(i, i + 1, "phone_number"))
                continue
            date_end = self.date_run(i)
            if date_end > i:
                i = self._drop(Dropped(i, date_end, "date"))
                continue
            number = self.read_number(i)
            if number is None:
                i = self._drop(Dropped(i, i + 1, "unreadable")) if self.is_digits(i) else i + 1
                continue
            number = self.read_ratio(number) or self.read_range(number)
            reading = self._read(number)
            if isinstance(reading, Dropped):
                i = max(self._drop(reading), i + 1)
                continue
            reading = self._join(reading)
            if reading.kind == "number" or reading.unit_name == "other":
                reading = self._people_hurt(reading, previous)
            if previous is not None and reading.kind == "number":
                reading = self._parallel_unit(previous, reading)
            if reading.kind == "number":
                reading = self._number_of(reading)
            reading = self._feet_and_inches(self._compounded(reading))
            if reading.last <= i:
                raise AssertionError(f"reading did not move past token {i}: {self.sentence!r}")
            claim = self._claim(reading, published)
            window = self._time_window(reading, previous)
            restating = reading.kind == "percent" and bool(out) and self._restates(out[-1], reading)
            if not (window or restating):
                previous = reading  # a window is no figure a later one is set against, nor
                # a share restating a change ("fell 120 points, or 0.4%, to 33,876")
            if out and self._restates(out[-1], reading):
                claim = _inherit(out[-1], claim)
            if window:
                windows.append(len(out))
            out.append(claim)
            if self.steps is not None:
                self.steps.append(Step(claim.text, claim.start, claim.end, "claim", claim.rule))
            i = reading.last
        if len(windows) == len(out):
            return out  # a window alone is the claim ("within the next two months")
        return self._drop_windows(out, windows)

    def _time_window(self, reading: Reading, previous: Reading | None) -> bool:
        """True for a length of time opened by a window word: "over the past 24 hours",
        "during 2 days", "within 48 hours", or by "over" right after a figure ("save €800
        million over three years")."""
        if reading.dimension != "time" or reading.rate:
            return False
        start = self.phrase_start(reading.first)
        qualified = start < reading.first
        if qualified and self.lowers[start] in self.lex.window_prepositions:
            return True  # "within 48 hours": "within" is read as a qualifier too
        if qualified and self.lowers[start] == "over" and self._follows_figure(start, previous):
            return True  # "save €800 million over three years"
        before = self.lowers[max(0, start - 2) : start]
        if before[-1:] and before[-1] in self.lex.window_prepositions:
            return True  # "during 2 days"
        long = reading.unit_name in self.lex.long_periods
        if long and before[-1:] and before[-1] in self.lex.long_window_prepositions:
            return self._follows_figure(start - 1, previous)  # "advanced 5 km in 10 days"
        if len(before) < 2 or before[1] not in self.lex.window_words:
            return False
        owner = before[0] in self.lex.definite_determiners or before[0] in self.lex.possessives
        return owner  # "the past 24 hours", "its first 100 days"; not "will last 3 years"

    def _drop_windows(self, out: list[Claim], windows: list[int]) -> list[Claim]:
        """Drop the windows of time that frame another claim of the sentence: "87 times
        over the past 24 hours" gives the 87 its period, "Over the past two weeks, 1,200
        civilians were evacuated" the 1,200; the window is no claim of its own
        (ANNOTATION.md)."""
        for index in windows:
            claim = out[index]
            if self.steps is not None:
                for k, step in enumerate(self.steps):
                    if step.outcome == "claim" and step.start == claim.start:
                        self.steps[k] = replace(step, outcome="dropped", rule="time_window")
        return [claim for k, claim in enumerate(out) if k not in windows]

    def _parallel_unit(self, previous: Reading, reading: Reading) -> Reading:
        """A bare figure set against the one before it shares its unit: "4.1 million units,
        up from 3.2 million", "gained 41 points to 4,210.5", past a share restating the
        change ("fell 120 points, or 0.4%, to 33,876"), or the day's rise in brackets
        ("37,870 troops in Ukraine (+300 over the past day)"); not a percent's ("rose 5% to
        4,210.5" is no percent)."""
        if previous.kind not in ("count", "physical", "currency") or reading.number.kind == "vague":
            return reading
        start = self.phrase_start(reading.first)
        opener = self.match_backward(start, self.lex.parallel_openers, 2, lower=True)
        if self.texts[max(0, start - 2) : start] == ["(", "+"] and start - 2 - previous.last <= 3:
            opener = start - 2  # "37,870 troops in Ukraine (+300 over the past day)"
        free = previous.last
        if self.lowers[free : free + 2] == [",", "or"]:  # "fell 120 points, or 0.4%, to 33,876"
            free = next((k + 1 for k in range(free + 2, opener) if self.texts[k] == ","), free)
        between = range(free, opener)
        if opener == start or any(self.is_digits(k) for k in between):
            return reading
        aside = "," in self.texts[opener - 2 : opener] or self.lowers[opener - 1] == "total"
        if len(between) > 2 and not (len(between) <= 8 and aside):
            return reading  # "60.1 million phones in the third quarter, against 64.2 million"
            # ("5.9 million subscribers, bringing its total to 238 million" shares)
        return replace(reading, number=_scaled_as(reading.number, previous),
                       unit_name=previous.unit_name, dimension=previous.dimension,
                       kind=previous.kind, rate=previous.rate, rule="parallel_unit")  # fmt: skip

    def _people_hurt(self, reading: Reading, previous: Reading | None) -> Reading:
        """A bare figure, or "others", beside a word only people undergo counts people:
        "killing 17 people and wounding 20", "14 wounded", "wounded 15 others" (not
        "captured 12": tanks or villages); past a linking word only harm does ("12 were
        reported killed", not "12 remained missing": boats may be). The people are those
        counted just before, when they were people ("nine civilians were killed and 15
        injured": civilians)."""
        start = self.phrase_start(reading.first)
        before = self.lowers[start - 1] if start > 0 else ""
        k = reading.last
        while k < min(self.n - 1, reading.last + 2) and self.lowers[k] in self.lex.hurt_links:
            k += 1  # "12 were reported killed"
        hurt = self.lex.people_hurt if k == reading.last else self.lex.people_harmed
        after = self.lowers[k] if k < self.n else ""
        if before not in self.lex.people_hurt and after not in hurt:
            return reading
        if reading.number.kind == "fraction":
            return reading  # "killed fewer than half of its fighters": a share, no count
        people = "person"
        near = previous is not None and reading.first - previous.last <= 8
        if near and previous.kind == "count" and previous.unit_name:
            head = previous.unit_name.split()[-1]
            people = previous.unit_name if head in self.lex.person_nouns else people
        return replace(reading, unit_name=people, dimension="count", kind="count",
                       rule="people_hurt")  # fmt: skip

    def _number_of(self, reading: Reading) -> Reading:
        """A bare figure that "the number of X" before it in its clause says is a count of
        X: "the number of concentrated soldiers reaches 127,000", "the number of refugees
        is expected to reach 34.6 million"."""
        if reading.number.kind not in ("digits", "words"):
            return reading
        for k in range(reading.first - 2, max(-1, reading.first - 16), -1):
            if self.is_digits(k) or self.texts[k] in (";", ":", "(", ")"):
                return reading  # another figure's phrase, or another clause
            if self.lowers[k : k + 2] != ["number", "of"] or k > 0 and self.lowers[k - 1] == "a":
                continue  # "a number of" is some, no count
            plural = Number(k + 2, k + 2, 2.0, 2.0, 2.0, "digits")
            noun = self._counted_noun(k + 2, plural) if k + 2 < reading.first else None
            if noun is None or noun.kind != "count":
                return reading
            counted = replace(reading, unit_name=noun.unit, dimension="count", kind="count",
                              rule="number_of")  # fmt: skip
            rate = self.read_rate(counted.last)  # "the number of rounds fired reached 6,000 a day"
            if rate is not None:
                period, last = rate
                counted = replace(counted, unit_name=f"{noun.unit} / {period}", last=last,
                                  dimension="rate", rate=True)  # fmt: skip
            return counted
        return reading

    def _in_noun_phrase(self, start: int) -> bool:
        """True when "a" or "an", and at most one word, stand before the figure at ``start``:
        a noun after it is the phrase's head ("a 25.7% rise", "a sharp 3 percent drop"), not
        a verb ("About 60% increase their savings")."""
        before = self.lowers[max(0, start - 2) : start]
        return bool(before) and (before[-1] in ("a", "an") or before[:1] in (["a"], ["an"]))

    def _added_change(self, reading: Reading, start: int) -> str | None:
        """The change of a figure with a word that adds it before it ("another", "a further")
        and its qualifier from ``start``: the direction of the verb before them
        ("fell another 2 percent", "cut another 1,000 jobs"), else up ("sent another 500
        troops", "asked for another $33 billion"); a share after "another" that opens a
        clause is one more part, no change ("and another 20 percent were undecided"), and so
        are people hurt ("and another five were wounded")."""
        word = reading.first - 1
        k = min(word, start) - 1
        if k >= 0 and self.lowers[k] in ("a", "an"):
            k -= 1  # "fell a further 2%"
        direction = self.lex.change_words.get(self.lowers[k]) if k >= 0 else None
        if direction is not None and self.lowers[k] not in ("up", "down"):
            return direction
        opens = k < 0 or self.lowers[k] in self.lex.clause_openers or not self.is_word(k)
        share = reading.kind == "percent" and self.lowers[word] == "another"
        if reading.rule == "people_hurt":
            return None  # "five were killed and another five were wounded": others, no rise
        return None if opens and share else "up"

    def _feet_and_inches(self, reading: Reading) -> Reading:
        """A height in feet and a bare number of inches: "the 6-foot-5 guard", "at 5 feet 8,"
        are 6 feet 5 inches and 5 feet 8 inches, one amount in feet."""
        number, k = reading.number, reading.last
        if reading.unit_name != "foot" or number.value is None or number.decimals:
            return reading
        hyphened = self.hyphen_joins(k)
        if hyphened:
            k += 1  # "6-foot-5"
        elif k >= self.n or not self.near(k):
            return reading
        if not (self.texts[k].isdigit() and int(self.texts[k]) < 12):
            return reading
        part = self.read_number(k)
        if part is None or part.value is None or part.last != k + 1 or part.decimals:
            return reading  # "5 feet 8.5", "6 feet 2 and a half"
        # "6 feet 2 inches" is a compound and "10 feet 3 boats" two figures; the noun after
        # "6-foot-5" is the whole's ("the 6-foot-5 guard")
        other = None if hyphened else self._read(part)
        if other is not None and not (isinstance(other, Reading) and other.unit is None):
            return reading
        value = number.value + part.value / 12
        whole = replace(number, last=part.last, value=value, low=value, high=value)
        return replace(reading, number=whole, last=part.last, rule="compound_amount")

    def _compounded(self, reading: Reading) -> Reading:
        """The amount with every smaller part after it: "2 hours, 5 minutes and 20 seconds"."""
        joined = self._compound(reading)
        while joined is not reading:
            reading, joined = joined, self._compound(joined)
        return reading

    def _compound(self, reading: Reading) -> Reading:
        """ "4 dollars 20 cents", "6 ft 1 in", "2 hours and 30 minutes": an amount in two
        units, the second less than one of the first, is one amount in the first."""
        number, k = reading.number, reading.last
        if reading.rate or number.value is None or reading.kind not in ("physical", "currency"):
            return reading
        signed = k < self.n and reading.kind == "currency"
        signed = signed and self.texts[k] in single_currency_symbols() and number.scaled
        joined = not signed and k + 1 < self.n and self.lowers[k] == "and"
        if signed:
            k += 1  # "$2 billion $980 million": the sign written again
        elif joined and k + 1 < self.n and self.is_digits(k + 1):
            k += 1  # "3 dollars and 50 cents", "two hours and 17 minutes"
        if k >= self.n or not self.is_digits(k) or not self.near(k):
            return reading
        part = self.read_number(k)
        if part is None or part.value is None or part.first != k:
            return reading
        # "$ 11 billion 700 million": a smaller scaled amount after a scaled sum of money
        scaled_on = not signed and part.scaled and number.scaled and reading.kind == "currency"
        scaled_on = scaled_on and not joined  # not "€2 billion and 500 million came from Japan"
        if part.scaled != signed and not scaled_on:
            return reading
        other = self._read(part)
        if not isinstance(other, Reading) or (other.unit is None) != (signed or scaled_on):
            return reading
        if scaled_on and other.kind != "number":
            return reading
        if scaled_on:
            other = replace(other, unit_name=reading.unit_name, kind="currency")
        share = self._share_of(reading, other)
        if share is None or part.value * share >= self._last_unit(reading):
            return reading
        value = number.value + part.value * share
        whole = replace(number, last=part.last, value=value, low=value, high=value)
        joined = replace(reading, number=whole, last=other.last, rule="compound_amount")
        if other.rate:  # "2 hours 30 minutes a day": the rate is the whole's
            period = other.unit_name.partition(" / ")[2]
            joined = replace(joined, unit_name=f"{reading.unit_name} / {period}", rate=True,
                             dimension="rate")  # fmt: skip
        return joined

    def _last_unit(self, reading: Reading) -> float:
        """What the second part of an amount must stay below: one of its unit, or of its
        scale word ("$2 billion $980 million": below a billion)."""
        number = reading.number
        if not number.scaled or not number.value:
            return 1.0
        return number.value / self.raw_value(number)

    def _share_of(self, whole: Reading, part: Reading) -> float | None:
        """How much of one of ``whole``'s units one of ``part``'s is (a cent of a dollar:
        0.01, an inch of a foot: 1/12), or None when the part is no smaller unit of it."""
        if whole.kind == "currency" and part.kind == "currency" and part.unit is None:
            return 1.0 if part.unit_name == whole.unit_name else None  # "$2 billion $980 million"
        if whole.kind == "currency":  # "cents" after euros are euro cents
            subunits = units.currency_index()[3]
            found = subunits.get(tuple(self.lowers[part.unit.first : part.unit.last]))
            own = {name for currency, name in subunits.values() if currency.code == whole.unit_name}
            return 0.01 if found is not None and found[1] in own else None
        if part.kind != "physical" or part.unit is None or whole.unit is None:
            return None
        if part.unit.unit not in self.lex.compound_parts.get(whole.unit.unit, ()):
            return None  # "200 miles 30 feet above the ground": two figures
        big, small = units.base_factor(whole.unit.unit), units.base_factor(part.unit.unit)
        if big is None or small is None or big[2] or small[2] or not 0 < small[0] < big[0]:
            return None  # no offsets: "30 degrees 5 ..." is no compound
        return small[0] / big[0]

    def _drop(self, dropped: Dropped) -> int:
        """Note a dropped number for ``explain``; the token to read on from."""
        if self.steps is not None:
            start, end = self.starts[dropped.first], self.ends[dropped.last - 1]
            self.steps.append(Step(self.text[start:end], start, end, "dropped", dropped.veto))
        return dropped.last

    def _read(self, number: Number) -> Reading | Dropped:
        """Read the currency, unit and rate of ``number``, or the veto that drops it."""
        found = self._currency_before(number.first)
        if found and self.texts[found[1]] in self.lex.ambiguous_signs:
            priced = self.read_rate(number.last) is not None  # "RM59 a month": a price
            if not (self._money_shaped(number) or priced):
                found = None  # "PS5 consoles", "PS4": a console, not pounds
        currency, first = (found[0], found[1]) if found else (None, number.first)
        if currency is not None and self._signed_before(first) and number.value is not None:
            negative = -number.value  # "-$2.1B": a loss
            number, first = replace(number, value=negative, low=negative, high=negative), first - 1
        unit = self.read_unit(number, currency)
        if unit is not None and unit.scale != 1:
            number = _times(number, unit.scale)  # "1.9 mb/d": 1.9 million barrels a day
        if self._hyphen_compound(number) and self._attributive(unit) and number.decimals:
            if unit is None or unit.kind == "count":
                unit = None  # "a 7.8-magnitude quake", "6.0-sigma": the figure, named by its word
        for name, vetoed in VETOES:
            if vetoed(self, number, unit, currency):
                return Dropped(number.first, number.last, name)
        last = unit.last if unit is not None else number.last
        last += number.tail if unit is not None else 0  # "a year and a half", "a day or two"
        if unit is None and currency is None:
            shared = self._shared_unit(number, first)
            if shared is not None:
                return shared
            if self._past_hanging_hyphen(number.last) > number.last:
                return Dropped(number.first, number.last, "hanging_compound")  # "10- and
                # 20-year bonds": its noun is the last one's, and that one was dropped
        if currency is not None:
            unit_name, dimension, kind, rule = (
                currency.code,
                "currency",
                "currency",
                "currency_sign",
            )
            last = self._currency_echo(last, currency.code)
        elif unit is not None:
            unit_name, dimension, kind, rule = unit.unit, unit.dimension, unit.kind, unit.rule
        else:
            unit_name, dimension, kind, rule = "", "number", "number", "bare_number"
        reading = Reading(number, first, last, unit, unit_name, dimension, kind, rule=rule)
        rate = self._rate_after(last) if kind != "number" else None
        if rate is not None:
            period, reading.last = rate
            reading.unit_name = f"{unit_name} / {period}"
            reading.dimension = "rate"
            reading.rate = True
        return reading

    def _signed_before(self, k: int) -> bool:
        """True for a minus sign set against the currency sign at k, standing apart from the
        word before it: "-$2.1B", "(-€1.2bn)", not "US-$" nor "2-$3"."""
        if k == 0 or self.texts[k - 1] not in NEGATIVE_SIGNS or not self.glued(k):
            return False
        return k == 1 or not self.glued(k - 1) or not self.texts[k - 2][-1].isalnum()

    def _rate_after(self, last: int) -> tuple[str, int] | None:
        """The rate after a unit, also past a short "of" phrase naming what is measured:
        "$85 a barrel", "€20 billion of bonds a month", "150 minutes of exercise a week"."""
        rate = self.read_rate(last)
        if rate is not None or self.lowers[last : last + 1] != ["of"]:
            return rate
        for k in range(last + 2, min(self.n, last + 5)):
            if not self.is_word(k - 1) or self.is_digits(k - 1):
                return None
            rate = self.read_rate(k)
            if rate is not None:
                return rate
        return None

    def _shared_unit(self, number: Number, first: int) -> Reading | None:
        """The reading of a bare number that shares the unit of a figure beside it: a range's
        second end ("from 24.2 to 33-35 billion euros"), the whole it is part of ("280
        million of the 1.5 billion shekels"), the last of a list ("45 and 50 mg")."""
        if number.partner is not None:
            partner = self._read(number.partner)
            if isinstance(partner, Reading) and partner.kind != "count":
                return replace(partner, number=_scaled_as(number, partner), first=first,
                               last=number.last, unit=None, rule="shared_unit")  # fmt: skip
        shared = self._whole_of(number) or self._next_of_list(number)
        if shared is not None:
            return replace(shared, number=_scaled_as(number, shared), first=first,
                           last=number.last, unit=None, rule="shared_unit")  # fmt: skip
        return None

    def _to_after_aside(self, j: int) -> int:
        """Return the "to" that closes "from X ..." after a short aside of words, times or
        years ("in 2008", "combined", "at 10.45pm last night"), else j."""
        k = j
        while k < min(self.n, j + 8):
            if self.lowers[k] == "to":
                return k
            if self.is_digits(k):
                number = self.read_number(k)
                if number is None:
                    return j
                if not (self.date_run(k) > k or self.is_date_or_time(number, None)):
                    if not (len(self.texts[k]) == 4 and self.lowers[k - 1] == "in"):
                        return j  # another figure stands between
            elif not (self.is_word(k) or self.texts[k] in (".", ":")):
                return j  # punctuation ends the aside
            k += 1
        return j

    def _whole_of(self, number: Number) -> Reading | None:
        """The reading of the whole a part is "of": "280 million of the 1.5 billion
        shekels" -> the shekels, "411 of the 650 seats" -> the seats, whose unit the part
        shares."""
        j = number.last
        if self.lowers[j : j + 1] != ["of"] or j + 2 >= self.n:
            return None
        k = j + 2 if self.lowers[j + 1] in ("the", "its", "their", "a", "an") else j + 1
        start = k + 1 if self.texts[k] in single_currency_symbols() else k
        whole = self.read_number(start) if self.is_digits(start) else None
        reading = self._read(whole) if whole is not None and whole.value is not None else None
        if not isinstance(reading, Reading) or reading.kind not in (
            "currency",
            "physical",
            "percent",
            "count",
        ):
            return None
        if reading.kind != "count":
            return reading if number.scaled else None  # not "5 of the $100 notes"
        is_part = number.kind != "fraction" and (number.value or 0) < whole.value
        return reading if is_part else None  # "411 of the 650 seats" ("half of the 43": a share)

    def _next_of_list(self, number: Number) -> Reading | None:
        """The reading of the next figure in "45 and 50 mg", "5, 10 and 15 km" or "7 or 15
        civilians", whose unit the bare figures before it share (a counted noun only after
        "or", or after a hyphen left hanging: "killed 45 and 50 cases" may count two things,
        "four-, five- and six-cylinder engines" counts cylinders)."""
        j = self._past_hanging_hyphen(number.last)
        hanging = j > number.last
        while j + 1 < self.n and self.lowers[j] in (",", "and", "or") and self._opens_number(j + 1):
            following = self.read_number(j + 1)
            if following is None or following.value is None:
                return None
            after = self._past_hanging_hyphen(following.last)
            if after < self.n and self.lowers[after] in (",", "and", "or"):
                j = after  # "5, 10 and 15 km": read on to the figure with the unit
                continue
            reading = self._read(following)
            kinds = (
                ("physical", "percent", "count")
                if self.lowers[j] == "or" or hanging
                else ("physical", "percent")
            )
            if not isinstance(reading, Reading) or reading.kind not in kinds:
                return None  # "45 and 50 cases" may be two lists; "7 or 15 civilians" is one
            return reading
        return None

    def _opens_number(self, k: int) -> bool:
        """True when a number may start at token k: digits, or a number word ("half")."""
        return self.is_digits(k) or self.lowers[k] in self.lex.number_starts

    def _join(self, reading: Reading) -> Reading:
        """Join "44 mg to 50 mg", "from $350 per kg to $680 per kg", "between 5% and 6%"."""
        j = reading.last
        if j + 1 >= self.n or reading.number.value is None or not reading.unit_name:
            return reading
        opening = self.phrase_start(reading.first)  # "from up to 252 miles to"
        before = self.lowers[opening - 1] if opening > 0 else ""
        if before == "from" and self.lowers[j] != "to":
            j = self._to_after_aside(j)  # "from $36,040 at 10.45pm last night to $34,935"
        connector = self.lowers[j]
        if not self._is_range_connector(connector, before == "between"):
            return reading
        if connector == "to" and self._changed_to(reading.first, before in ("from", "between")):
            return reading  # "Brent climbed $2 to $85 a barrel": a change, then a level
        sign_end = self.match_forward(j + 1, units.currency_index()[0], 3, lower=False)
        for k in range(sign_end, min(sign_end + 3, self.n)):  # past "$US" of "and $US45m"
            if self.is_digits(k) or self.is_word(k):
                break
            if self.texts[k] == ",":
                return reading  # "four-, five- and six-cylinder": a list, not a range
        else:
            return reading
        second = self.read_number(k)
        if second is None or second.value is None or second.first > k:
            return reading
        if self._continues_as_range(second):
            return reading  # "from 24.2 to 33-35 billion euros": the first shares, not joins
        other = self._read(second)
        if not isinstance(other, Reading) or other.first > j + 3:
            return reading
        if other.unit_name != reading.unit_name:
            shared_rate = not reading.rate and other.unit_name.startswith(reading.unit_name + " / ")
            if reading.rate and reading.unit_name.startswith(other.unit_name + " / "):
                other = replace(reading, last=other.last)  # "from $75 per barrel to $45.88"
                shared_rate = True
            bare_end = other.unit_name == "" and before in ("from", "between")
            if not (shared_rate or bare_end):
                return reading  # "between $62 and $68 per share", "from 208 pounds to 193"
            if bare_end:
                other = replace(reading, last=other.last)
        low, high = reading.number.value, second.value
        if connector == "or" and not approximate(low, high):
            return reading
        shares = reading.kind in ("percent", "count") and before not in ("from", "between")
        if connector == "to" and low > high and shares:
            return reading  # "a lead of 54 percent to 38 percent": two sides, no range
        number = replace(reading.number, last=second.last, value=None, low=low, high=high)
        return replace(other, number=number, first=reading.first)

    def _restates(self, previous: Claim, reading: Reading) -> bool:
        """True when ``reading`` restates the claim before it in brackets, after a slash or
        after ", or": "7.5 million Danish crowns (US $1.1 million)", "296 hp (224 kW / 300
        PS)", "shed 120 points, or 0.4%"."""
        j = reading.first - 1
        if j > 0 and self.lowers[j] == "or" and self.texts[j - 1] == ",":
            return self.starts[j - 1] == previous.end
        if j < 0 or self.texts[j] not in ("(", "/", ","):
            return False
        if self.texts[j] == "(":
            return self.starts[j] - previous.end <= 1
        return j > 0 and self.texts[j - 1] != ")" and self._in_brackets(j)

    def _in_brackets(self, j: int) -> bool:
        """True when token j stands inside an open bracket of the sentence."""
        depth = 0
        for text in self.texts[:j]:
            depth += (text == "(") - (text == ")")
        return depth > 0

    def _follows_figure(self, start: int, previous: Reading | None) -> bool:
        """True for the word at ``start`` ("over", "in") right after a figure, or after the
        "of" phrase that says what it counts: "save €800 million over three years", "lost
        15% of his weight over 68 weeks", "advanced 5 km in 10 days" (not "served over 30
        years", "elections will be held in six months")."""
        if previous is None or previous.last > start:
            return False
        between = self.lowers[previous.last : start]
        if not between:
            return True
        words = all(self.is_word(k) for k in range(previous.last, start))
        return between[0] == "of" and len(between) <= 4 and words

    def _added_after(self, reading: Reading) -> bool:
        """True for "more" right after a count: "3,000 more troops", "5,000 additional
        troops", "hundreds more bodies" add to what there was (not "two more years", a
        length, nor "one killed and five more injured", "injured eight more", others)."""
        k = reading.number.last
        if k >= self.n or self.lowers[k] not in self.lex.added_after or reading.dimension == "time":
            return False
        after = self.lowers[k + 1] if k + 1 < self.n else ""
        compared = self.lowers[reading.last : reading.last + 1] == ["than"]  # "more troops than"
        before = self.lowers[reading.first - 1] if reading.first > 0 else ""
        hurt = after in self.lex.casualty_words or before in self.lex.casualty_words
        return after != "than" and not compared and not hurt  # "injured eight more": others

    def _claim(self, reading: Reading, published: str | None) -> Claim:
        number, last = reading.number, reading.last
        qualifier, start_token = number.qualifier or "=", reading.first
        found = self.read_qualifier_before(reading.first)
        added = reading.first > 0 and self.lowers[reading.first - 1] in self.lex.added_after
        if found is None and added:
            found = self.read_qualifier_before(reading.first - 1)  # "at least another 1,000"
        if found is not None:
            qualifier, start_token = found
        after = self.read_qualifier_after(last)
        if after is not None and qualifier == "=":
            qualifier, last = after
        inner = self.read_qualifier_after(number.last) if reading.unit is not None else None
        if inner is not None and qualifier == "=" and reading.unit.first >= inner[1]:
            qualifier = inner[0]  # "a dozen or so explosions": the qualifier before the noun
        change = self._added_change(reading, start_token) if added else None
        amount = reading.kind in ("percent", "currency") or reading.unit_name in (
            "point",
            "basis point",
        )
        change = change or self.read_change(start_token, amount)
        value, low, high = number.value, number.low, number.high
        if value is not None and start_token > 0 and self.lowers[start_token - 1] == "from":
            change = None  # "42%, up from 33%": the level it changed from ("rose from 4 to 5")
        if change is None and self._added_after(reading):
            change = "up"  # "3,000 more troops", "hundreds more bodies"
        if change is None and last < self.n and self._in_noun_phrase(start_token):
            change = self.lex.change_nouns_after.get(self.lowers[last])  # "a 25.7% rise"
        added = added or start_token > 0 and self.lowers[start_token - 1] in self.lex.added_after
        if added and reading.dimension == "time":
            change = None  # "a further two years", "an extra 10 minutes": a length, no change
        if change is None and self._signed_share(reading):
            change, value, low, high = "down", -value, -low, -high  # "IBEX -0.9%"
        if value is None:
            qualifier = "~" if qualifier == "~" else "range"  # "~25 – 40min": about a range
            low, high = sorted((low, high))  # "from 208 pounds to 193": the interval
        elif qualifier in ("<", "<="):
            low = None
        elif qualifier in (">", ">="):
            high = None
        if (
            value is None
            and start_token > 0
            and self.lowers[start_token - 1] in ("from", "between")
        ):
            start_token -= 1  # the range's opener belongs to it: "between 4,000 and 7,000"
        start, end = self.starts[start_token], self.ends[last - 1]
        number_start = self.starts[number.first]
        base_value, base_unit = _base(value, reading.unit_name, reading.kind, self.lex)
        return Claim(
            text=self.text[start:end],
            start=start,
            end=end,
            value=value,
            low=low,
            high=high,
            qualifier=qualifier,
            change=change,
            unit=reading.unit_name,
            unit_text=self._unit_text(reading),
            dimension=reading.dimension,
            base_value=base_value,
            base_unit=base_unit,
            value_text=self.text[number_start : self.ends[number.last - 1]],
            quoted=self.quoted_at(number_start),
            modality="reported",
            period_start=published,
            period_end=published,
            period_text=None,
            sentence=self.sentence,
            sentence_start=self.offset,
            rule=f"{number.kind}:{reading.kind}:{reading.rule}" + (":rate" if reading.rate else ""),
        )

    def _signed_share(self, reading: Reading) -> bool:
        """True for a percent with a minus sign after a name or a bracket, as market tables
        write a move ("DAX -1.1%", "(-0.4%)"): as "+0.2%" is a rise, so this is a fall. After
        a verb or a preposition it is a level below zero ("the rate stood at -0.5%")."""
        number = reading.number
        first = number.first
        if reading.kind != "percent" or number.value is None or number.value >= 0:
            return False
        if self.texts[first] not in NEGATIVE_SIGNS or not self.glued(first + 1):
            return False
        if first == 0 or self.texts[first - 1] == "(" or self.is_capitalized(first - 1):
            return True
        return (
            first > 1 and self.is_digits(first - 1) and self.is_capitalized(first - 2)
        )  # "DAX 40"

    def _unit_text(self, reading: Reading) -> str:
        """The unit words as written: "rounds daily", "$", "US$ per barrel"."""
        number = reading.number
        parts = []
        if reading.first < number.first:
            parts.append(self.phrase(reading.first, number.first))
        if reading.unit is not None:
            parts.append(self.phrase(reading.unit.first, reading.last))
        elif reading.last > number.last:
            parts.append(self.phrase(number.last, reading.last))
        return " ".join(parts)


def _inherit(previous: Claim, claim: Claim) -> Claim:
    """Give a restated figure the qualifier and change of the figure it restates."""
    if claim.qualifier != "=" or claim.value is None or previous.qualifier in ("=", "range"):
        return (
            claim if claim.change or not previous.change else replace(claim, change=previous.change)
        )
    low = None if previous.qualifier in ("<", "<=") else claim.low
    high = None if previous.qualifier in (">", ">=") else claim.high
    change = claim.change or previous.change
    return replace(claim, qualifier=previous.qualifier, low=low, high=high, change=change)


def _base(value: float | None, unit: str, kind: str, lex: Lexicon) -> tuple[float | None, str]:
    """Return the value in base units (m, kg, s; rates per day; money unchanged)."""
    if value is None:
        return None, unit
    if " / " in unit and kind != "physical":
        numerator, _, period = unit.partition(" / ")
        days = lex.period_days.get(period)  # how many days a period makes (month -> 30.4)
        if not days:
            return value, unit
        return value * (1.0 / days), f"{numerator} / day"
    if kind != "physical":
        return value, unit
    factors = units.base_factor(unit)
    if factors is None:
        return None, unit  # "12 tonnes per capita": pint has no "person" to convert
    factor, base_unit, offset = factors
    return (value + offset) * factor, base_unit


def inside_quotes(passage: str, open_before: bool) -> bool:
    """Whether a quotation is open after ``passage``, given whether one was open before it.

    Curly marks say which way they go; straight ones toggle. A new paragraph closes an
    open quotation (a quotation that goes on opens again with a new mark).
    """
    paragraph = passage.rpartition("\n")
    if paragraph[1]:
        passage, open_before = paragraph[2], False
    opened = passage.rfind("“")
    closed = passage.rfind("”")
    if opened != closed:
        return opened > closed
    return open_before != (passage.count('"') % 2 == 1)


def _times(number: Number, scale: float) -> Number:
    """``number`` multiplied by the scale its unit carries ("1.9 mb/d"), every end of it."""
    value = number.value * scale if number.value is not None else None
    low = number.low * scale if number.low is not None else None
    high = number.high * scale if number.high is not None else None
    return replace(number, value=value, low=low, high=high, scaled=True)


def _scaled_as(number: Number, other: Reading) -> Number:
    """``number`` scaled as the figure whose unit it shares ("1.5 and 1.9 mb/d")."""
    scale = other.unit.scale if other.unit is not None else 1.0
    return _times(number, scale) if scale != 1 else number
