"""Stage 4 of extraction: the vetoes, each a named rule that says a number is no claim
(a date, a year, a time, a code or a name, an age, a calibre, "one" of an idiom).

``VETOES`` lists them in the order they are tried; ``claims extract --explain`` names
the one that dropped each number.
"""

from __future__ import annotations

import re

from claims import numbers, places, units
from claims.extract.lexicon import SPELLED_START
from claims.extract.readings import Number, Unit
from claims.extract.units import single_currency_symbols
from claims.sentences import Tokens

# Endings glued to a number that make it an ordinal: "21st-century".
_ORDINALS = frozenset(("st", "nd", "rd", "th"))
# A time of day written with a point after "at": "at 12.30" (quarter hours only, so that
# "Sterling was at 1.27" stays a figure).
_clock_time = re.compile(r"(?:[01]?\d|2[0-3])[.:](?:00|15|30|45)").fullmatch
# A day and a month written with a point, as much of Europe dates: "28.04", "3.11".
_day_month = re.compile(r"(?:0?[1-9]|[12]\d|3[01])\.(?:0[1-9]|1[0-2])").fullmatch


class Vetoes(Tokens):
    """The tests that drop a number, each named in ``VETOES``."""

    def date_run(self, i: int) -> int:
        """Return the end token of a date or a span of years at i ("2023-09-28", "2012-13",
        "2022/23", "28/09/2023", "24/7"), else i."""
        if not (self.is_digits(i) and self.texts[i].isdecimal()):
            return i
        if len(self.texts[i]) <= 2:
            return self._slash_date(i)
        if len(self.texts[i]) != 4:
            return i
        if not 1500 <= int(self.texts[i]) <= 2200:
            return i  # "5000-6000 shells a day" is a range of figures
        j = i + 1
        while (
            j + 1 < self.n
            and self.texts[j] in ("-", "/", "–")
            and self.glued(j)
            and self.glued(j + 1)
            and self.texts[j + 1].isdecimal()
            and len(self.texts[j + 1]) in (2, 4)
        ):
            j += 2
        if j > i + 1 and j < self.n and self.is_word(j) and units.is_plural(self.lowers[j]):
            return i  # "1500-2000 civilians": counted, not years
        return j if j > i + 1 else i

    def _slash_date(self, i: int) -> int:
        """Return the end of "28/09/2023" or "24/7" at i; a fraction ("1/4") is no date."""
        j = i
        parts = [int(self.texts[i])]
        while (
            j + 2 < self.n
            and self.texts[j + 1] in ("/", ".")
            and self.glued(j + 1)
            and self.glued(j + 2)
            and self.texts[j + 2].isdecimal()
        ):
            parts.append(int(self.texts[j + 2]))
            j += 2
        if len(parts) >= 3 or (
            len(parts) == 2 and self.texts[i + 1] == "/" and parts[0] >= parts[1]
        ):
            return j + 1
        return i

    def is_date_or_time(self, number: Number, unit: Unit | None) -> bool:
        first, last = number.first, number.last
        if unit is not None and unit.kind != "count":
            return False
        ends = (number.low, number.high) if number.value is None else (number.value,)
        small_integer = all(v is not None and v == int(v) and 1 <= v <= 31 for v in ends)
        before = self._month_at(first - 1)
        if first > 1 and self.texts[first - 1] == "." and self.glued(first - 1):
            before = self._month_at(first - 2)
        after = self._month_at(last)
        listed = first > 2 and self.lowers[first - 1] in ("and", "or", ",", "-")
        if small_integer and listed and number.kind == "digits":
            before = before or self._month_at(first - 3)  # "April 6 and 7": both days (not
            # "on April 9, five civilians were killed")
        if small_integer and (before or after):
            return True
        if unit is not None:
            return False
        next_word = self.lowers[last] if last < self.n else ""
        previous = self.lowers[first - 1] if first > 0 else ""
        if next_word == "of" and self._month_at(last + 1):
            return True
        if (
            next_word == ":"
            and last + 1 < self.n
            and self.is_digits(last + 1)
            and self.glued(last + 1)
        ):
            return True  # "10:30"
        if previous == ":" and first > 1 and self.glued(first) and self.is_digits(first - 2):
            return True  # the minutes of "0:59"
        if previous in self.lex.time_prepositions and _clock_time(self.texts[number.first]):
            return True  # "at 12.30", "after 14.00"
        weekday = any(w in self.lex.weekdays for w in self.lowers[max(0, first - 4) : first])
        after_weekday = previous == "(" and weekday  # "On Saturday evening (27.04)"
        if after_weekday and _day_month(self.texts[number.first]):
            return True  # "On Sunday (28.04) the court ruled": a day and a month
        if previous in self.lex.day_month_before and _day_month(self.texts[number.first]):
            return True  # "as of 08:00 on 15.11": a day and a month
        return next_word in self.lex.time_words

    def names_listed(self, k: int) -> tuple[int, int]:
        """How many names a list from token k gives ("Donetsk, Luhansk, Kherson and
        Zaporizhzhia" -> 4), and the token after it: capitalized words, each run one name,
        joined by commas and "and"; 0 names when anything else comes first."""
        count, in_name = 0, False
        while k < self.n:
            text = self.texts[k]
            if text in ("'", "‘", "’", '"', "“", "”") or text in ("-", "--") and not in_name:
                k += 1
                continue
            if self.is_capitalized(k):
                count += 0 if in_name else 1
                in_name = True
            elif text == "," or self.lowers[k] in ("and", "&"):
                in_name = False
            else:
                break
            k += 1
        return count, k

    def items_listed(self, k: int) -> int:
        """How many items a list after a colon gives, to the sentence's end ("energy
        facilities and people" -> 2): runs of words joined by commas, "and" or "or"; 0 when
        a number stands in it ("5 people: 3 soldiers and 2 civilians" counts them)."""
        count, in_item = 0, False
        for m in range(k, self.n):
            text = self.texts[m]
            if self.is_digits(m) or self.lowers[m] in self.lex.number_starts:
                return 0
            if text in (",", ";") or self.lowers[m] in ("and", "or"):
                in_item = False
            elif text in (".", "!", "?"):
                break
            elif self.is_word(m):
                count += 0 if in_item else 1
                in_item = True
        return count

    def dates_a_clause(self, first: int) -> bool:
        """True when the length of time at ``first`` opens its sentence ("Two days after the
        invasion, Russia ...") or stands after a date or a day it restates ("on February 26,
        two days after the start", "left Saturday, nearly 40 years after he defected"): it
        dates a clause."""
        k = first - 1
        while k >= 0:
            qualified = self.read_qualifier_before(k + 1)
            if qualified is not None:
                k = qualified[1] - 1  # "Nearly two days after ..."
            elif self.lowers[k] in self.lex.one_emphasis:
                k -= 1  # "Just one week after ..."
            else:
                break
        if k < 0:
            return True
        if self.texts[k] != ",":
            return False
        window = range(max(1, k - 4), k)  # "on February 26,", "in 2014,", "on Saturday,"
        days = self.lex.weekdays
        return any(self._month_at(j) or self._year_at(j) or self.lowers[j] in days for j in window)

    def dates_a_verb(self, first: int) -> bool:
        """True when the length of time at ``first``, before "after" or "before", follows a
        verb of an event it dates ("the blasts come one week after ...", "arrived two months
        after they were promised"), not one of how long ("served 10 years before her
        release") nor a preposition ("sentenced to 10 years after a trial")."""
        k = self.phrase_start(first) - 1
        return k >= 0 and self.lowers[k] in self.lex.dating_verbs

    def _named_before_noun(self, number: Number) -> bool:
        """True for a whole unscaled number before a word in lower case that is no noun's
        end: the "20" of "the Group of 20 meeting" (not "a Senate of 100.", "a BMI of 30 or
        more", "a Nation of 40 million")."""
        last = number.last
        if number.decimals or number.scaled or last >= self.n or not self.is_word(last):
            return False
        word = self.texts[last]
        return word.islower() and word not in self.lex.noun_stop and word not in ("and", "or")

    def _title_inside(self, first: int, last: int) -> bool:
        """True for a spelled number written capitalized after a word in lower case and
        before a capitalized word: part of a title or a name ("by Three Kings film-maker",
        "at Seven Oaks"), not a headline's Title Case ("Three Killed In Blast")."""
        if first == 0 or last >= self.n or not self.is_capitalized(first):
            return False
        before = self.texts[first - 1]
        return before.isalpha() and before.islower() and self.is_capitalized(last)

    def _lettered_after(self, last: int) -> bool:
        """True when a letter in brackets is glued after the number ending before ``last``:
        "401(k)", "501(c)(3)"."""
        if last + 2 >= self.n or self.texts[last] != "(" or not self.glued(last):
            return False
        letter = self.texts[last + 1]
        return len(letter) == 1 and letter.isalpha() and self.texts[last + 2] == ")"

    def _year_at(self, j: int) -> bool:
        """True for a year written alone after a word that dates: "in 2014", not "arrested
        1800 people"."""
        return (
            numbers.year(self.texts[j]) is not None and self.lowers[j - 1] in self.lex.year_before
        )

    def age_word_before(self, first: int) -> int:
        """The token that may make the number at ``first`` an age, read back past "aged
        between 20 and", "under the age of", "between the ages of four months and"."""
        k = first - 1
        while k > 0:
            if self.lowers[k] in self.lex.age_gaps:
                k -= 1
                continue
            if self.lowers[k] not in ("and", "to", "or"):
                break
            j = k - 1
            if self.is_word(j) and units.unit_index()[0].get((self.lowers[j],)) is not None:
                j -= 1  # "four months and"
            if j < 0 or not (self.is_digits(j) or self.lowers[j] in self.lex.number_starts):
                break
            k = j - 1
        return max(k, 0) if first > 0 else first

    def names_before(self, k: int) -> int:
        """How many names a list ending at token k gives ("Ukraine and Russia" -> 2):
        capitalized runs joined by commas and one "and"; 0 when there is no "and", for
        "In Kyiv, Kharkiv" may be two places or a place and its region."""
        count, in_name, joined = 0, False, False
        while k >= 0:
            lower = self.lowers[k]
            if lower in self.lex.not_names or lower in self.lex.months:
                return 0  # "In Kyiv and Lviv, two ...", "Between January and March, two ..."
            if lower in self.lex.weekdays:
                return 0
            if self.is_capitalized(k):
                count += 0 if in_name else 1
                in_name = True
            elif self.texts[k] == "," or lower in ("and", "&"):
                joined = joined or lower in ("and", "&")
                in_name = False
            else:
                break
            k -= 1
        return count if joined else 0

    def figure_within(self, start: int, end: int) -> bool:
        """True when a number starts at a token of [start, end)."""
        return any(self._opens_figure(k) for k in range(max(0, start), min(end, self.n)))

    def _opens_figure(self, k: int) -> bool:
        """True when a number starts at token k: digits, or a number word (not "a", nor
        another "one")."""
        return self.is_digits(k) or self.lowers[k] in SPELLED_START and self.lowers[k] != "one"

    def _month_at(self, k: int) -> str:
        """The month named at token k ("May", "Sept"), written with its capital, as an
        abbreviation with its dot ("oct. 14"), or in lower case when it is no verb ("oct
        14"), else ""."""
        if not (0 <= k < self.n and self.lowers[k] in self.lex.months):
            return ""
        if self.texts[k][0].isupper():
            return self.lowers[k]  # not "12 may have been killed"
        dotted = k + 1 < self.n and self.texts[k + 1] == "." and self.glued(k + 1)
        if dotted and len(self.lowers[k]) <= 4 or self.lowers[k] in self.lex.lowercase_months:
            return self.lowers[k]  # "oct. 14", "oct 14"
        return ""

    def is_identifier(self, number: Number, unit: Unit | None, currency) -> bool:
        """True for names and codes: "F-16", "155s", "Section 427", "iPhone 11", "737 Max"."""
        first, last = number.first, number.last
        text = self.texts[number.first]
        if len(text) > 1 and text[0] == "0" and text[1].isdecimal() and currency is None:
            return True  # "06F6", "0958": a leading zero marks a code
        if (
            first > 0
            and self.glued(first)
            and self.texts[first - 1][0].isalpha()
            and currency is None
        ):
            return True  # "M1A1", "A330", "COVID19": letters glued before the digits
        if currency is not None or (unit is not None and unit.kind not in ("count",)):
            return False
        if first > 0 and self.glued(first):
            prev = self.texts[first - 1]
            if prev[0].isalpha():
                return True  # "A330", "COVID19"
            if (
                prev == "+"
                and first > 1
                and self.glued(first - 1)
                and self.texts[first - 2][-1].isalnum()
            ):
                return True  # "J1149.5+6663": a catalogue code, not "(+300 over the past day)"
            numbered = first > 1 and (self.is_digits(first - 2) or self.texts[first - 2] == ")")
            if prev == "(" and numbered and self.glued(first - 1):
                return True  # "article 2(4)", "501(c)(3)": a paragraph's number
            if (
                prev == "."
                and first > 1
                and self.glued(first - 1)
                and self.is_capitalized(first - 2)
            ):
                return True  # "ID.5", "No.10": a model's or a list's number
            if prev == "-" and first > 1 and self.glued(first - 1) and self.is_word(first - 2):
                return True  # "F-16", "Su-25"
        if last < self.n and self.glued(last) and self.lowers[last].partition("-")[0] in _ORDINALS:
            return True  # "21st-century telescopes"
        if self._lettered_after(last):
            return True  # "a 401(k) plan", "a 501(c)(3) charity": a section of a code
        if number.kind == "words" and self._title_inside(first, last):
            return True  # "directed by Three Kings film-maker": a title
        named_of = first > 2 and self.lowers[first - 1] == "of" and self.is_capitalized(first - 2)
        if named_of and unit is None and currency is None and self._named_before_noun(number):
            return True  # "the Group of 20 meeting": a name before the noun it qualifies
        if last < self.n and self.glued(last) and (unit is None or unit.first != last):
            nxt = self.texts[last]
            if nxt[0].isalnum() or nxt in ("'", "’"):
                return True  # "155s", "96th", "5G", "1990's"
        before = self.lowers[first - 1] if first > 0 else ""
        if before == "." and first > 1 and self.glued(first - 1):
            before = self.lowers[first - 2]  # "No. 10"
        if before in self.lex.identifier_before:
            return True  # "Section 427", "COVID -19", "No. 10"
        if "," in self.texts[number.first] or number.scaled:
            return False  # "Ukraine 70,000", "63,150 Model 3s": amounts, not names
        if first > 1 and self.near(first) and self._is_name(first - 1):
            named_on = unit is not None and unit.first < self.n and self.is_capitalized(unit.first)
            if unit is None or named_on or number.four_digits or self._model_number(number):
                return True  # "Voyager 2", "iPhone 11 Pro cameras"; not "gave Ukraine 31 tanks"
        if unit is None and not number.decimals and last < self.n and self.near(last):
            if self._is_name(last):
                return True  # "11 Pro Max", "575 Wilbraham Road", "787 Dreamliner"
        return self._named_sibling(number, unit)

    def _named_sibling(self, number: Number, unit: Unit | None) -> bool:
        """True for a number listed after one that names something: "Nord Stream 1 and 2",
        "Articles 4 and 5", "Leopard 1 and 2 tanks" name several things by their numbers
        (not "Flight MH17 and 3 other planes", "Article 5 and 30 member states": counts)."""
        k = number.first - 2
        if k < 0 or self.lowers[k + 1] not in ("and", "or", "&", ","):
            return False
        if not (self.is_digits(k) and self.texts[k].isdecimal() and len(self.texts[k]) <= 3):
            return False
        sibling = self.read_number(k)
        if sibling is None or sibling.last != k + 1 or number.value is None:
            return False
        if unit is not None:  # a noun after it: siblings only in a short run of numbers
            near = abs(number.value - (sibling.value or 0)) <= 3
            if not near or self.lowers[number.last : number.last + 1] == ["other"]:
                return False
        return self.is_identifier(sibling, None, None)

    def _model_number(self, number: Number) -> bool:
        """True for a one-digit number after a name that is no place or people: a model's
        or a project's number ("Leopard 2 tanks", "Nord Stream 2 sanctions"), not a count
        given to a country ("gave Ukraine 31 tanks")."""
        text = self.texts[number.first]
        if not text.isdecimal() or number.value is None or number.value >= 10:
            return False
        if self.lowers[number.last : number.last + 1] in (["more"], ["additional"], ["new"]):
            return False  # "promised Zelensky 4 more tanks": a count given
        return places.lookup(self.texts[number.first - 1]) is None

    def _is_name(self, j: int) -> bool:
        """True for a capitalized word that is a name, not a month, weekday or sentence start."""
        if not self.is_capitalized(j) or j == 0:
            return False
        lower = self.lowers[j]
        if lower in self.lex.months or lower in self.lex.weekdays or "'" in lower or "’" in lower:
            return False
        people = places.lookup(self.texts[j])
        if people is not None and people.how == "demonym":
            return False  # "1260 Russian military": whose they are, no name of a model
        return lower not in self.lex.qualifiers_before and lower not in self.lex.change_words

    def is_year(self, number: Number, unit: Unit | None, currency) -> bool:
        if not number.four_digits or currency is not None or number.scaled:
            return False
        before = self.lowers[number.first - 1] if number.first > 0 else ""
        lo = number.low if number.low is not None else 0
        twice = unit is not None and self.lowers[unit.first : unit.last] == ["year"]
        if twice and before in self.lex.year_before and before not in ("a", "an"):
            return 1500 <= lo <= 2200  # "in 2023 year": a translation's year named twice
        if unit is not None and unit.kind != "count":
            return False  # "a 2000 year history"
        if not 1500 <= lo <= 2200:
            return False
        level = unit is not None and self.lowers[unit.first : unit.last] in (
            [word] for word in self.lex.year_levels
        )
        if level and self.lowers[unit.last : unit.last + 1] != ["of"]:
            return True  # "returned to 2007 levels": the year measured against
        if unit is not None and self.is_capitalized(unit.first):
            return True  # "the 2024 Paris Olympics", "the 2022 World Cup": a year of a name
        if self._month_at(number.first - 1):
            return True  # "in February 2022 currently exceeds 465,000"
        written = self.texts[unit.last - 1] if unit is not None else ""
        round_count = units.is_plural(written) and lo % 100 == 0  # "the company's 2000 employees"
        if before.endswith(("'s", "’s")) and not round_count:
            return True  # "Russia's 2022 invasion", "Ukraine's 1991 borders"
        definite = before in self.lex.definite_determiners
        if unit is not None and definite and self.is_word(unit.first):
            if not units.is_plural(self.lowers[unit.first]):
                return True  # "the 1996 law protects": a count's noun is plural
        return unit is None or number.value is None or before in self.lex.year_before

    def is_age_apposition(self, number: Number, unit: Unit | None) -> bool:
        """True for "Senard, 65, now faces" and "... alongside Oleksandra Kuvshynova, 24.":
        a person's age set off by commas, or by a comma at the end of the sentence."""
        first, last = number.first, number.last
        if unit is not None or number.kind != "digits" or first < 2:
            return False
        named = self.is_capitalized(first - 2) or self.lowers[first - 2] in self.lex.person_nouns
        if self.texts[first - 1] != "," or not named:
            return False  # "Senard, 65," and "a woman, 72,"
        age = number.value is not None and not number.decimals and 0 < number.value < 120
        if not age or "," in self.texts[first]:
            return False  # "The death toll in Gaza, 1,200, was higher": no age
        if last < self.n and self.texts[last] == ",":
            return True
        return last == self.n or last == self.n - 1 and self.texts[last] in (".", "!", "?")

    def is_idiom(self, number: Number, unit: Unit | None = None) -> bool:
        """True for "on the one hand", "at one point": "one" in a set phrase; not "that
        one soldier", "as one cruise missile", where a counted noun follows the phrase."""
        if number.kind != "words" or number.value != 1:
            return False
        for first in range(max(0, number.first - 3), number.first + 1):
            end = self.match_forward(first, self.lex.one_idioms, 5, lower=True)
            ends_on_one = end == number.last and unit is not None and unit.first == number.last
            if end > number.first and not ends_on_one:
                return True
        return False

    def _names_a_weapon(self, k: int) -> bool:
        """True when a weapon noun follows within two words: "155mm artillery shells"."""
        for j in range(k, min(self.n, k + 3)):
            if self.lowers[j] in self.lex.calibre_nouns:
                return True
            if not (self.is_word(j) or self.texts[j] == "-"):
                return False
        return False

    def _attributive(self, unit: Unit | None) -> bool:
        """True when a hyphenated number-word names a kind of thing ("10-point plan",
        "two-month contract") rather than measuring it ("40-km convoy")."""
        if unit is not None and unit.rule == "hyphen_count":
            return self._numbered_list(unit)  # "a 10-point plan", not "a three-game series"
        if unit is None or unit.kind == "count":
            return True
        k = unit.last
        if unit.dimension != "time" or k >= self.n or not self.near(k):
            return False
        if self.texts[k] in single_currency_symbols() or self.is_digits(k):
            return True  # "a five-year $700000 award"
        return self.is_word(k) and self.lowers[k] not in self.lex.noun_stop

    def length_adjective(self, k: int) -> bool:
        """True for "-long" hyphened at k after a length of time: "a year-long search"."""
        return self.hyphen_joins(k) and self.lowers[k + 1] in self.lex.length_adjectives

    def _numbered_list(self, unit: Unit) -> bool:
        """True when a hyphened count numbers the items of what it names: "a 10-point plan",
        "a five-step process"; not a margin, "a 10-point lead"."""
        after = self.lowers[unit.last] if unit.last < self.n else ""
        return unit.unit in self.lex.listing_nouns and after not in self.lex.margin_nouns

    def _score_at(self, k: int) -> bool:
        """True for a score at token k, two whole numbers of one or two digits joined by a
        dash, the winner's first: "7-5", "6-3" (not "2-3", a range)."""
        if k < 0 or k + 2 >= self.n or self.texts[k + 1] not in ("-", "–"):
            return False
        ends = (self.texts[k], self.texts[k + 2])
        joined = self.glued(k + 1) and self.glued(k + 2)
        small = all(end.isdigit() and len(end) <= 2 for end in ends)
        return joined and small and int(ends[0]) > int(ends[1])

    def _juxtaposed(self, number: Number) -> bool:
        """True for a bare number set right against another, with only a space between."""
        j = number.last
        return (
            number.kind == "digits"
            and j < self.n
            and self.is_digits(j)
            and self.starts[j] - self.ends[j - 1] == 1
        )

    def _past_hanging_hyphen(self, k: int) -> int:
        """The token after a hyphen at k that hangs, its noun said once at the end of the
        list ("two- and three-bedroom flats"); k itself when there is none."""
        if not (k + 1 < self.n and self.texts[k] == "-" and self.glued(k)):
            return k
        return k if self.glued(k + 1) and self.texts[k + 1] != "," else k + 1  # "four-, five-"

    def _hyphen_compound(self, number: Number) -> bool:
        """True for a number joined by a hyphen to the word after it ("10-point")."""
        return self.hyphen_joins(number.last) and self.is_word(number.last + 1)


# ---- the vetoes, in the order they are tried: each takes the reader, the number, its
# unit (None for none) and the currency before it (None for none)


def _lone_number_word(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """A spelled number alone ("one of them", "the two met") is no figure; "two of the
    boats", "three million", a qualified one ("killed at least six"), one of people hurt
    ("three wounded", "one had died", "wounding six") and one a change reached ("the number
    of injured grew to five") are."""
    if currency is not None or number.kind != "words" or unit is not None:
        return False
    if reader._past_hanging_hyphen(number.last) > number.last:
        return False  # "two- and three-bedroom flats": its noun comes with the last
    counted_of = number.value != 1 and reader._of_follows(number.last)
    qualified = reader.read_qualifier_before(number.first) is not None
    following = reader.lowers[number.last : number.last + 3]
    before = reader.lowers[number.first - 1 : number.first]  # "killing six"
    hurt = any(word in reader.lex.casualty_words for word in following + before)
    hurt = hurt or following[:1] == ["more"]
    reached = number.first > 1 and reader.lowers[number.first - 1] in ("to", "by")
    reached = reached and reader.lowers[number.first - 2] in reader.lex.change_words
    return number.last - number.first < 3 and not (counted_of or qualified or hurt or reached)


def _one_of(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "one of the sources", "one of its buyers": one member of a group, not a count."""
    return unit is not None and unit.rule == "one_of_noun" and number.value == 1


def _half_of_a_period(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "in the first half of 2023", "the second half": a part of a year or a game."""
    if number.kind != "fraction" or reader.lowers[number.first] != "half" or number.first == 0:
        return False
    return reader.lowers[number.first - 1] in reader.lex.half_before


def _age(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "the 67-year-old was", "a 5-year-old girl", "an 11-year-old rising star": a
    person's age, no claim; the age of a thing named after it ("the 100-year-old bridge",
    "the 2-year-old war", "400 million-year-old fossils") is a figure."""
    before = reader.lowers[reader.age_word_before(number.first)]
    top = number.value if number.value is not None else number.high
    if before in reader.lex.age_words and unit is None and top is not None:
        return top < 120  # "those aged 65 and older", "aged 40 to 64"
    days = reader.lex.period_days.get(unit.unit) if unit is not None else None
    if before in ("age", "ages") and days and top is not None:
        return top * days / reader.lex.period_days["year"] < 120  # "the ages of four months"
    if before in reader.lex.age_closing_words and unit is None and top is not None:
        closes = number.last >= reader.n or not reader.is_word(number.last)
        closes = closes or reader.lowers[number.last] in reader.lex.age_closers
        return closes and top < 120  # "she turned 30.", not "turned 3 of the 5 chances"
    if unit is None or unit.dimension != "age" or number.scaled or number.value is None:
        return False
    if number.value >= 120:
        return False
    following = reader.lowers[unit.last : unit.last + 6]
    return not any(units.singular(word) in reader.lex.thing_nouns for word in following)


def _meeting_length(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "more than five hours of talks", "the meeting, which lasted roughly 45 minutes": how
    long a meeting, a call or a visit took (ANNOTATION.md: "a 40-minute call"); not "15
    months of negotiations", the length of a process."""
    if unit is None or unit.dimension != "time" or unit.unit not in reader.lex.meeting_units:
        return False
    after = reader.lowers[unit.last : unit.last + 2]
    if after[:1] == ["of"] and after[1:] and after[1] in reader.lex.meeting_nouns:
        return True  # "five hours of talks"
    before = reader.lowers[max(0, number.first - 6) : number.first]
    lasted = [k for k, word in enumerate(before) if word in reader.lex.lasting_verbs]
    if not lasted:
        return False  # "the meeting, which lasted 45 minutes"; not "the war had lasted"
    subject = before[max(0, lasted[-1] - 4) : lasted[-1]]
    return any(word in reader.lex.meeting_nouns for word in subject)


def _record_span(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "9%, the highest in 23 years", "for the first time in 30 years", "its strongest
    performance for almost 10 years": the span a record is set against, the frame of the
    record, no figure of its own; not a streak ("the most profitable company for five
    straight years") nor "for" without a superlative ("the first judge to sit for 30
    years")."""
    if unit is None or unit.dimension != "time" or unit.unit not in reader.lex.long_periods:
        return False
    start = reader.phrase_start(number.first)
    preposition = reader.lowers[start - 1] if start > 0 else ""
    if preposition not in reader.lex.record_prepositions:
        return False
    inside = reader.lowers[number.first : unit.last]
    if any(word in reader.lex.streak_words for word in inside):
        return False
    words = reader.lowers[max(0, start - 3) : start - 1]  # "for the first time in 30 years"
    if preposition == "in" and words[1:] == ["time"] and words[0] in reader.lex.record_words:
        return True
    for k in (start - 2, start - 3):  # "the highest in", "its highest level in"
        if k < 1 or reader.lowers[k] not in reader.lex.superlatives:
            continue
        owner = reader.lowers[k - 1]
        owned = owner in reader.lex.definite_determiners or owner in reader.lex.possessives
        if not (owned or owner.endswith(("'s", "’s"))):
            return False  # "Most residents have lived there for 20 years"
        between = reader.lowers[k + 1 : start - 1]  # the record's noun, if any: "level"
        return all(word.isalpha() and word not in reader.lex.noun_stop for word in between)
    return False


def _point_in_time(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "annexed eight years ago", "eight years later", "Three months on, ...": a length of
    time that dates an event is a date, no claim (ANNOTATION.md); "the war has lasted 500
    days" is one."""
    last = unit.last + number.tail if unit is not None else 0  # "a year or two ago"
    if unit is None or unit.dimension != "time" or last >= reader.n:
        return False
    after = reader.lowers[last]
    following = reader.texts[last + 1] if last + 1 < reader.n else ""
    if after in reader.lex.anchors_before_pause:
        return following in (",", ";", ":", "—", "–")  # "Three months on,"
    if after in reader.lex.anchors_of_events:
        if following in ("", ",", ".", ";", ":", "—", "–"):
            return True  # "bombs dropped nearly 80 years before, ...": "before" as "earlier"
        return reader.dates_a_clause(number.first) or reader.dates_a_verb(number.first)
    return after in reader.lex.time_anchors and following != "than"  # "3 weeks later than promised"


def _named_list(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "annexes four regions -- Donetsk, Luhansk, Kherson and Zaporizhzhia", "two inmates,
    Andy and Red": a count whose members the sentence names right after it announces a
    list; the names are the news, not the count. So does a count set off after the names
    it sums up: "Ukraine and Russia, two of the biggest grain exporters"."""
    if unit is not None and unit.kind != "count" or number.value is None:
        return False
    if not (2 <= number.value <= 10 and number.value == int(number.value)):
        return False
    # "Ukraine and Russia, two of the biggest exporters": a part of a group, after the names
    partitive = unit.rule == "one_of_noun" if unit else reader._of_follows(number.last)
    if partitive and number.first > 1 and reader.texts[number.first - 1] == ",":
        if reader.names_before(number.first - 2) == number.value:
            return True
    if unit is None:
        return False
    k = unit.last
    if k < reader.n and reader.lowers[k] in ("of", "in"):  # "four regions of Ukraine -- ..."
        k += 1
        while k < reader.n and reader.is_capitalized(k):
            k += 1
    if k >= reader.n or reader.texts[k] not in (",", ":", "—", "–", "-", "--"):
        return False
    names, end = reader.names_listed(k + 1)
    said = reader.lowers[end : end + 2]
    if any(word in reader.lex.speech_verbs for word in said):
        return False  # "killed two people, Russian and Ukrainian officials said": the source
    if reader.texts[k] == ":" and names != number.value:
        return reader.items_listed(k + 1) == number.value  # "two targets: energy and people"
    return names == number.value


def _definite_reference(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "the two nations", "those three cases": a spelled small number after "the" and
    before a noun for parties, or after "these" or "those", points back at things already
    named; it counts nothing new. ("the two soldiers killed", "the eight years" and "the
    27 member states" stay figures.)"""
    if number.kind != "words" or number.scaled or unit is None or unit.kind != "count":
        return False
    before = reader.lowers[number.first - 1] if number.first > 0 else ""
    head = unit.unit.split()[-1] if unit.unit else ""
    if head not in reader.lex.reference_nouns and before not in ("these", "those"):
        return False  # "the two soldiers killed on Tuesday": a count
    if before == "between" and number.value == 2:
        return head in reader.lex.reference_nouns  # "trade between two countries fell"
    definite = before in reader.lex.definite_determiners
    return definite and number.value is not None and 2 <= number.value <= 10


def _discourse_count(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "Nato's repurposing has four elements", "let us answer two questions": a small
    spelled number before a noun of the speaker's own argument announces the points that
    follow; it counts nothing anyone could check."""
    if number.kind != "words" or number.value is None or not 2 <= number.value <= 10:
        return False
    if unit is None or unit.kind != "count" or not unit.unit:
        return False
    return unit.unit.split()[-1].lower() in reader.lex.discourse_nouns


def _superlative_rank(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "the world's two largest nuclear states", "its three biggest banks", "the top five
    economies": a spelled small number by a superlative picks out members of a ranking; it
    counts nothing. So does a cup's stage, spelled or in digits ("the last eight", "the
    last 16 of the Champions League")."""
    k = number.first - 1
    stage = k > 0 and reader.lowers[k] in reader.lex.stage_words and unit is None
    if stage and number.kind == "digits" and number.value in (4, 8, 16, 32, 64):
        the = reader.lowers[k - 1] == "the" and reader.lowers[k - 2 : k - 1] != ["of"]  # not
        # "won 16 of the last 16": the games before
        return the and _names_a_stage(reader, number.last)
    if number.kind != "words" or number.value is None or not 2 <= number.value <= 10:
        return False
    after = reader.lowers[number.last] if number.last < reader.n else ""
    if stage:
        k, after = k - 1, "top"  # "reached the last eight of the Champions League": a stage
    if k > 0 and reader.lowers[k] == "top":
        k, after = k - 1, "top"  # "into the top five global economies"
    before = reader.lowers[k] if k >= 0 else ""
    owned = before in reader.lex.definite_determiners or before in reader.lex.possessives
    owned = owned or before.endswith(("'s", "’s"))
    return (after in reader.lex.superlatives or after == "top") and owned


def _names_a_stage(reader: Vetoes, j: int) -> bool:
    """True when what follows "the last 16" at ``j`` makes it a cup's stage: the clause's
    end, a stage's noun, or "of" and a competition's name ("the last 16 of the Champions
    League"), not a count of people with its noun left out ("The last 4 were released",
    "the last 8 of the 33 miners")."""
    after = reader.lowers[j] if j < reader.n else ""
    if after in ("", ",", ".", ";", ":", ")") or after in reader.lex.stage_nouns:
        return True
    k = j + 1 + (reader.lowers[j + 1 : j + 2] == ["the"])
    return after == "of" and k < reader.n and reader.is_capitalized(k)


def _slashed_name(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "9/11", "the 9/11 attacks" are a name (a fraction counts no things); "1/4 inch",
    "1/40 of" and a share of tenths or halves ("7/10 doctors recommend") are figures."""
    if not number.slashed or reader._of_follows(number.last):
        return False
    if unit is None:
        return True
    share = reader.texts[number.last - 1] in reader.lex.share_denominators  # "7/10 doctors"
    return unit.kind == "count" and not share


def _idiom(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "on the one hand", "at one point": "one" in a set phrase."""
    return reader.is_idiom(number, unit)


def _single_one(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "One study found", "one place where", "Russia's one chance": "one" and a singular
    noun picks a thing out, it counts nothing (the annotated news holds no claim of one);
    "at least one person", "only one tank", "one man was killed", "one missile and 40
    drones" and "one million" are figures."""
    if number.kind != "words" or number.value != 1 or number.scaled:
        return False
    if reader.lowers[number.first] != "one" or unit is None or unit.kind != "count":
        return False
    before = reader.lowers[number.first - 1] if number.first > 0 else ""
    if reader.read_qualifier_before(number.first) is not None or before in reader.lex.one_emphasis:
        return False  # "at least one person", "only one tank"
    following = reader.lowers[unit.last : unit.last + 4]
    acted = reader.lowers[max(0, number.first - 3) : number.first] + following
    if any(word in reader.lex.casualty_words or word in reader.lex.acts_on for word in acted):
        return False  # "one man was killed", "pledged one Patriot battery"
    for k in range(unit.last, min(unit.last + 5, reader.n - 1)):
        if reader.lowers[k] in ("and", ",", "plus") and reader.figure_within(k + 1, k + 2):
            return False  # "one missile and 40 drones", "one system this year and three more"
    start = number.first
    joined = reader.lowers[start - 1 : start] in (["and"], [","], ["plus"])
    joined = joined or reader.lowers[max(0, start - 3) : start] == ["as", "well", "as"]
    return not (joined and reader.figure_within(start - 8, start - 1))  # "40 drones and one"


def _calibre(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "155mm shells", "a 152 mm self-propelled gun": the calibre of a weapon."""
    return (
        unit is not None
        and unit.unit in reader.lex.calibre_units
        and reader._names_a_weapon(unit.last)
    )


def _ordinal(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "the one hundred and eighty-first day", "the forty-second president": a spelled
    number hyphened to an ordinal word is a rank, no figure."""
    last = number.last
    hyphened = reader.lowers[last : last + 1] == ["-"] and reader.glued(last)
    return hyphened and reader.lowers[last + 1 : last + 2] in ([w] for w in numbers.ORDINAL_WORDS)


def _attributive_compound(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "a 10-point plan", "a five-year $700000 award", "a year-long search": a number-word
    that names a kind (not "a 7.8-magnitude quake": a figure with decimals, named by its
    word)."""
    if unit is not None and unit.dimension == "time" and reader.length_adjective(unit.last):
        return True  # "more than a year-long search", "the 10-year-long contract"
    if currency is not None or not (reader._hyphen_compound(number) and reader._attributive(unit)):
        return False  # "a $5-billion package": money, a figure
    if unit is not None and unit.rule == "multiplier":
        return False  # "a 10-fold rise": so many times, a figure
    if unit is not None and unit.dimension == "time" and unit.last < reader.n:
        if reader.lowers[unit.last] in reader.lex.duration_marks:
            return False  # "approaches the 16-month mark": the length is the point
    return not (number.decimals and (unit is None or unit.kind == "count"))


def _date_or_time(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "May 6", "10:30", "at 12.30", "6 pm": a day of a month or a time."""
    return reader.is_date_or_time(number, unit)


def _year(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "in 2022", "the 1812 campaigns": a year."""
    return reader.is_year(number, unit, currency)


def _identifier(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "F-16", "Section 427", "iPhone 11", "737 Max": a code or part of a name."""
    return reader.is_identifier(number, unit, currency)


def _age_apposition(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "Senard, 65, now faces": a person's age between commas."""
    return reader.is_age_apposition(number, unit)


def _juxtaposed(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "245 23 yen", "Leopard 2 14": two bare numbers side by side, a code or a table."""
    return unit is None and currency is None and reader._juxtaposed(number)


def _bracketed_label(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "Smith (12) and Jones (8)": a bare whole number under 100 alone in brackets after a
    name is a label (a shirt, a rank, an age), not a figure; "(12%)" has a unit and
    "Lombardy (1,420)" a count, and stay figures."""
    first, last = number.first, number.last
    if unit is not None or currency is not None or number.kind != "digits" or number.decimals:
        return False
    if number.value is None or number.value >= 100 or "," in reader.texts[first]:
        return False  # "Lombardy (1,420)", "Labour (412)": counts set beside their names
    if first < 2 or last >= reader.n or reader.texts[last] != ")":
        return False
    if reader.texts[first - 1] != "(" or not reader.is_capitalized(first - 2):
        return False
    return places.lookup(reader.texts[first - 2]) is None  # "Kherson (7)": a count there


def _score_or_span(reader: Vetoes, number: Number, unit: Unit | None, currency) -> bool:
    """ "89-89", "141 to 5": a score or a vote; "2012-13": a span of years."""
    if number.value is not None or unit is not None or number.kind == "vague":
        return False
    if number.first > 0 and reader.lowers[number.first - 1] == "from":
        return False  # "lower the age from 27 to 25": a change, both ends figures
    if number.low >= number.high or number.four_digits:
        return True
    first, last = number.first, number.last  # "won 7-5, 3-6, 6-3": the sets of a match
    listed = first > 3 and reader.texts[first - 1] == "," and reader._score_at(first - 4)
    return (
        listed or last + 1 < reader.n and reader.texts[last] == "," and reader._score_at(last + 1)
    )


#: (name, test) of each veto, in the order tried: the first that holds drops the number
#: and is the one explain names ("In 2022 Russia ..." is a year before it is a name). The
#: tests are pure, so their order changes which name is shown, never what is dropped.
VETOES = (
    ("lone_number_word", _lone_number_word),
    ("one_of", _one_of),
    ("half_of_a_period", _half_of_a_period),
    ("age", _age),
    ("meeting_length", _meeting_length),
    ("record_span", _record_span),
    ("point_in_time", _point_in_time),
    ("named_list", _named_list),
    ("definite_reference", _definite_reference),
    ("discourse_count", _discourse_count),
    ("superlative_rank", _superlative_rank),
    ("slashed_name", _slashed_name),
    ("idiom", _idiom),
    ("single_one", _single_one),
    ("calibre", _calibre),
    ("ordinal", _ordinal),
    ("attributive_compound", _attributive_compound),
    ("date_or_time", _date_or_time),
    ("year", _year),
    ("identifier", _identifier),
    ("age_apposition", _age_apposition),
    ("juxtaposed", _juxtaposed),
    ("bracketed_label", _bracketed_label),
    ("score_or_span", _score_or_span),
)
