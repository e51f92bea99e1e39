"""Stage 2 of extraction: the unit of a number: a currency sign or word, a physical unit
of the lexicon (with powers and "/unit"), the counted noun ("60,000 shells"), and a rate
("daily", "per barrel")."""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from claims import numbers, units
from claims.extract.readings import Number, Unit
from claims.sentences import Tokens

# Determiners after "N of" that open the noun the N are taken from: "two of the boats".
_OF_OWNERS = frozenset("the his her its their our your these those".split())
# A number that can be a time before "pm": "5", "10.45" (not "2.1" or "2.123").
_clock_like = re.compile(r"(?:[01]?\d|2[0-3])(?:[.:][0-5]\d)?").fullmatch


@functools.cache
def single_currency_symbols() -> frozenset:
    """Currency signs of one token ("$", "€"), as they may open the second end of a range."""
    return frozenset(k[0] for k in units.currency_index()[0] if len(k) == 1)


# Marks that end a clause: a unit symbol set apart from its number stands before one
# ("takes 1.5 h.") or before "of" ("500 g of flour").
_CLAUSE_ENDS = frozenset((".", ",", ";", ":", ")", "!", "?"))
# Quote marks that may stand around a word of a counted noun: '43 "filtration camps"'.
_SCARE_QUOTES = frozenset(('"', "“", "”", "'", "‘", "’"))


class UnitReading(Tokens):
    """Reads the unit after (or the currency before) a number."""

    def _currency_before(self, first: int):
        """Return (Currency, first token) of a currency sign or code before token ``first``."""
        symbols, _, codes, _ = units.currency_index()
        start = self.match_backward(first, symbols, 3, lower=False)
        if start < first and self.near(first):
            sign = self.texts[first - 1]
            if sign.isalpha() and sign.islower() and not self.glued(first):
                return None  # "euro200 million" is money, "joined the euro 25 years ago" not
            return symbols[tuple(self.texts[start:first])], start
        if first > 0 and (self.texts[first - 1],) in codes and self.near(first):
            return codes[(self.texts[first - 1],)], first - 1
        return None

    def read_unit(self, number: Number, currency) -> Unit | None:
        """Read the unit after the number: percent, money, a physical unit or a counted noun."""
        j = number.last
        if j < self.n and self.texts[j] == "-" and self.glued(j) and self.is_word(j + 1):
            j += 1  # "12-year-old", "155-mm"
        if currency is None and (
            self.lowers[number.first].endswith("fold") or self.lowers[j : j + 1] == ["fold"]
        ):
            last = number.last if self.lowers[number.first].endswith("fold") else j + 1
            return Unit(number.first, last, "time", "count", "count", "multiplier")  # "10-fold"
        if j >= self.n:
            return None
        inner = self.read_qualifier_after(j)
        if inner is not None and inner[1] < self.n and self.is_word(inner[1]):
            j = inner[1]  # "a dozen or so explosions", "5,000 or more troops"
        share = number.kind == "fraction" or number.slashed
        if (share or number.kind == "vague") and self.lowers[j] == "of":
            j += 1  # "millions of Americans", "two-thirds of Ukrainians"
            if share and j < self.n and self.lowers[j] in ("a", "an"):
                j += 1  # "1/16 of a US pint"
        elif self._of_groups(number) and self.lowers[j] == "of" and currency is None:
            j += 1  # "a million of them", "a couple of shops"
            if j < self.n and self.lowers[j] in _OF_OWNERS:
                j += 1  # "40m of its speakers", "a million of their supporters"
        if currency is not None:
            return None
        if number.named:
            entry = units.unit_index()[0][(number.named,)]
            return Unit(number.first, number.last, entry.name, entry.dimension, "physical",
                        "named_quantity", scale=entry.scale)  # fmt: skip
        money = self._currency_after(j) or self._scaled_code(number, j)
        if money is not None:
            return replace(self._scale_after(number, money), rule="currency_word")
        physical = self._physical_unit(j)
        if physical is not None:
            return replace(physical, rule=physical.rule or "lexicon_unit")
        if number.kind == "fraction":
            if self.lowers[j : j + 1] in ([w] for w in self.lex.points_after_a_fraction):
                # "by a quarter point"
                return Unit(j, j + 1, "point", "count", "count", "counted_noun")
            return None
        # "6.7 million COVID-19 deaths": capitals with a hyphened number are a name, no label
        hyphen_code = j + 1 < self.n and self.texts[j + 1] == "-" and self.glued(j + 1)
        capitals = j < self.n and self.texts[j].isupper() and len(self.texts[j]) > 1
        if number.decimals and self.near(j) and capitals and not hyphen_code:
            return Unit(j, j + 1, self.texts[j], "count", "count", "label")  # "0.5 WAR", "3.2 GPA"
        if self.lowers[j : j + 1] == ["of"] and j + 1 < self.n and self.lowers[j + 1] in _OF_OWNERS:
            # "one of the best speakers", "two of the boats", "seven of his closest allies"
            counted = self._counted_noun(j + 2, number, skip=self.lex.one_of_skip)
            return replace(counted, rule="one_of_noun") if counted else None  # not "weeks"
        model = self._plural_model(j) if j < self.n and self.is_digits(j) else None
        if model is not None:
            return model  # "20 737-800s"
        if j < self.n and (self.is_digits(j) or self.lowers[j] in self.lex.number_starts):
            measured = self._measured_noun(number, j)
            if measured is not None or self.is_digits(j):
                return measured
        if j == number.last + 1 and j < self.n:  # after a hyphen
            compound = self._compound_noun(number, j)
            if compound is not None:
                return compound
        counted = self._counted_noun(j, number)
        if counted is None:
            return None
        last = counted.last
        opened = sum(self.texts[k] in _SCARE_QUOTES for k in range(j, last)) % 2
        if opened and last < self.n and self.texts[last] in _SCARE_QUOTES and self.glued(last):
            last += 1  # '43 identified "camps"': the closing quote too
        return replace(counted, last=last, rule=counted.rule or "counted_noun")

    def _compound_noun(self, number: Number, j: int) -> Unit | None:
        """The noun a number is hyphened to when the two stand before another word: "a
        three-game series", "the 12-nation bloc", "a two-run homer" count games, nations and
        runs, in the singular English writes them in; not "one-time", "one-man" (idioms of
        one), "zero-sum", "two-pronged" or "three-sided" (adjectives), "20-odd" (a
        qualifier) or "a 7.8-magnitude quake" (a whole counts, a decimal measures)."""
        if (
            number.value in (None, 0, 1)
            or number.decimals
            or number.kind not in ("digits", "words")
        ):
            return None  # "a 7.8-magnitude quake" measures, it counts nothing
        if number.kind == "words" and number.first > 0 and self.is_capitalized(number.first):
            return None  # "World War Two-era tanks": part of a name
        word = self.lowers[j]
        if not (self.texts[j].isalpha() and self.texts[j].islower() and self.glued(j)):
            return None  # "hour-long", "Covid-era"
        if j + 1 >= self.n:
            return None
        if word in self.lex.noun_stop or word in self.lex.not_nouns or not self.is_word(j + 1):
            return None
        if word.endswith(("ed", "ing", "ly", "est")) or len(word) < 3 or units.is_plural(word):
            return None  # "6- and 12-packs": a noun of its own, no adjective
        if word in numbers.ORDINAL_WORDS:
            return None  # "the eighty-first day": an ordinal
        if word in self.lex.kind_nouns:
            return None  # "a five-star hotel", "a 12-gauge shotgun": a grade, no count
        return Unit(j, j + 1, word, "count", "count", "hyphen_count")

    def _plural_model(self, j: int) -> Unit | None:
        """A model's number made plural, right after a count: "20 737-800s", "12 777s"."""
        k = j + 1
        while k < self.n and self.glued(k) and (self.texts[k].isalnum() or self.texts[k] == "-"):
            if self._plural_ending(k):
                return self._model_made_plural(j, k)
            k += 1
        return None

    def _plural_ending(self, k: int) -> bool:
        """True for the "s" glued at k after a model's digits: the plural of "F-16s"."""
        return self.lowers[k] == "s" and self.glued(k) and self.is_digits(k - 1)

    def _model_made_plural(self, j: int, s: int) -> Unit:
        """The model from token j to its plural "s" at token s, as the unit it counts."""
        model = self.text[self.starts[j] : self.ends[s - 1]]
        return Unit(j, s + 1, model, "count", "count", "plural_model")

    def _measured_noun(self, number: Number, j: int) -> Unit | None:
        """ "1 million 155mm shells", "four 155-mm howitzers", "5 million 330ml cans", "14
        three-point attempts": a count set before a measure or a hyphened number that names
        the kind of thing counted counts the thing; the measure stays in the unit ("155mm
        shell") and is no figure of its own."""
        if number.kind not in ("digits", "words") or not self.near(j):
            return None
        inner = self.read_number(j)
        if inner is None or inner.value is None or inner.scaled or inner.first != j:
            return None
        k = inner.last
        hyphened = self.hyphen_joins(k)
        k += 1 if hyphened else 0  # "155-mm", "three-point"
        measure = self._physical_unit(k)
        if measure is not None and measure.kind == "physical":
            end = measure.last
        elif hyphened and self.is_word(k):
            end = k + 1  # "three-point", "four-door"
        else:
            return None
        counted = self._counted_noun(end, number) if end < self.n else None
        if counted is None or counted.first != end:
            return None
        written = self.text[self.starts[j] : self.ends[end - 1]]
        return Unit(j, counted.last, f"{written} {counted.unit}", "count", "count", "measured_noun")

    def _of_groups(self, number: Number) -> bool:
        """True for a number of groups, which "of" may follow: "a million of them", "a
        couple of shops", "a dozen of the soldiers"."""
        return number.scaled or self.lowers[number.last - 1] in numbers.MULTIPLIER_WORDS

    def _scaled_code(self, number: Number, j: int) -> Unit | None:
        """A currency code with a scale letter glued before it: "5 MUSD" (5 million US
        dollars), "300 kEUR"; the number takes the scale."""
        text = self.texts[j] if j < self.n else ""
        scale = numbers.CODE_PREFIXES.get(text[:1])
        currency = units.currency_index()[2].get((text[1:],))
        if scale is None or currency is None or number.value is None or number.scaled:
            return None
        if not self.near(j):
            return None
        number.value *= scale
        number.low = number.high = number.value
        number.scaled = True
        return Unit(j, j + 1, currency.code, "currency", "currency")

    def _scale_after(self, number: Number, unit: Unit) -> Unit:
        """A scale word after a currency's code or name: "60 USD million", "5 euros
        billion" -> the number times the scale, the unit reaching past it."""
        k = unit.last
        if k >= self.n or not self.near(k) or number.value is None:
            return unit
        scale = numbers.SCALE_WORDS.get(self.lowers[k])
        if not scale or self.lowers[k] == "hundred" or number.scaled:
            return unit
        number.value *= scale
        number.low = number.high = number.value
        number.scaled = True
        return replace(unit, last=k + 1)

    def _currency_after(self, j: int) -> Unit | None:
        if not (self.near(j) or self.glued(j)):
            return None
        symbols, words, codes, subunits = units.currency_index()
        for index, lower in ((words, True), (codes, False), (subunits, True)):
            end = self.match_forward(j, index, 4, lower=lower)
            if end > j:
                key = tuple((self.lowers if lower else self.texts)[j:end])
                found = index[key]
                if index is subunits:
                    _, name = found
                    if key == ("p",) and not self.glued(j):
                        continue
                    return Unit(j, end, name, "currency", "currency")
                if key[-1].lower() in self.lex.ambiguous_currency and not self._money_word(j, end):
                    continue  # "two real problems", "2 million won their appeals"
                return Unit(j, end, found.code, "currency", "currency")
        end = self.match_forward(j, symbols, 3, lower=False)
        if end > j and (self.glued(j) or self._sign_after(j, end)):
            return Unit(j, end, symbols[tuple(self.texts[j:end])].code, "currency", "currency")
        return None

    def _money_word(self, j: int, end: int) -> bool:
        """True when a currency name that is also a word ("won", "real", "bucks") at [j, end)
        is money: a scale word before it ("3 trillion won") or a money word near, and no
        determiner after it, which makes it a verb ("2 million won their appeals")."""
        after = self.lowers[end] if end < self.n else ""
        if after in self.lex.definite_determiners or after in self.lex.possessives:
            return False
        scaled = j > 0 and self.lowers[j - 1] in numbers.SCALE_WORDS
        return scaled or self._money_near(j)

    def _sign_after(self, j: int, end: int) -> bool:
        """True for a currency sign set after the amount, as much of Europe writes it
        ("7 €", "12,50 €"): one mark, not a letter, and no amount after it, whose sign it
        would be ("7 €50", "5 $ 10")."""
        sign = self.texts[j]
        if end != j + 1 or len(sign) != 1 or sign.isalnum():
            return False
        return not (end < self.n and self.is_digits(end))

    def _physical_unit(self, j: int) -> Unit | None:
        """Read a unit of the lexicon at j, with powers ("km^2", "km2") and "/unit"."""
        if not (self.glued(j) or self.near(j)):
            return None
        found = self._lexicon_unit(j)
        if found is None:
            system_end = self.match_forward(j, self.lex.unit_system_words, 2, lower=True)
            if system_end == j or not self.near(system_end):
                return None
            found = self._lexicon_unit(system_end)  # "a US pint", "imperial gallons"
            if found is None or found.kind != "physical":
                return None
            found = replace(found, first=j)
        unit = found
        if unit.kind == "physical":
            unit = self._unit_power(unit)
            if unit.last + 1 < self.n and self.texts[unit.last] == "/" and self.glued(unit.last):
                below = self._lexicon_unit(unit.last + 1) or self._denominator(unit.last + 1)
                if below is not None and below.kind == "physical" and self.glued(unit.last + 1):
                    below = self._unit_power(below)
                    name = f"{unit.unit} / {below.unit}"
                    unit = Unit(j, below.last, name, units.pint_dimension(name), "physical")
        return unit

    def _denominator(self, j: int) -> Unit | None:
        """A symbol read only after "/": the "s" of "km/s2"."""
        entry = units.denominator_index().get((self.texts[j],))
        return self._make_physical(j, j + 1, entry) if entry is not None else None

    def _lexicon_unit(self, j: int) -> Unit | None:
        by_word, by_symbol, longest = units.unit_index()
        end = self.match_forward(j, by_symbol, longest, lower=False)
        if any(self.is_digits(k) and not self.glued(k) for k in range(j + 1, end)):
            end = j + 1 if (self.texts[j],) in by_symbol else j  # "800 km 2 weeks ago": km
        if end > j:
            key = tuple(self.texts[j:end])
            run_on = (
                end < self.n
                and self.glued(end)
                and (
                    self.is_word(end)
                    or (
                        self.is_digits(end) and self.texts[end] not in ("2", "3")
                    )  # "PS5", not "cm2"
                    or (self.texts[end] == "-" and end + 1 < self.n and self.is_digits(end + 1))
                )
            )  # "60 F-16 jets", "24 A-10 aircraft": model names, not units
            clock = (
                key[0].lower() in self.lex.time_words and j > 0 and _clock_like(self.texts[j - 1])
            )
            if self._symbol_fits(j, end) and not (run_on or clock):
                return self._make_physical(j, end, by_symbol[key])
        end = self.match_forward(j, by_word, longest, lower=True)
        if end > j:
            entry = by_word[tuple(self.lowers[j:end])]
            if entry.name == "pound":
                weighed = self._pounds_of(end)
                if weighed == "force":
                    return self._make_physical(j, end, by_word[("pound-force",)])
                if weighed == "money" or (weighed is None and self._money_near(j)):
                    return Unit(j, end, "GBP", "currency", "currency", "pounds_as_money")
            return self._make_physical(j, end, entry)
        return None

    def _symbol_fits(self, j: int, end: int) -> bool:
        """Decide a unit symbol at [j, end): ambiguous ones need the number glued to them
        ("5m", "20g"), except capital letters ("5 W", "30 C"), "in" before "thick", and a
        symbol before a smaller part ("8 m 2 dm"), "of" ("500 g of flour") or a clause's
        end ("takes 1.5 h.")."""
        symbol = "".join(self.texts[j:end])
        if symbol == '"' and self.text[self.offset : self.starts[j]].count('"') % 2 == 1:
            return False  # the closing mark of "English 101"
        if self.glued(j) or symbol not in self.lex.glued_only:
            return True
        after = self.lowers[end] if end < self.n else ""
        if symbol == "in":  # "2 in thick", "2 in.", not "2 in 1979", "12,300 in March"
            closes = after == "" or not (self.is_word(end) or self.is_digits(end))
            return after in self.lex.inch_cues or closes
        if j > 0 and self._grouped(j - 1):
            return True  # "278,000 t", "816 000 t": a large amount, then its unit
        if symbol == "m" and after in self.lex.metre_cues:
            return True  # "the 400 m long bridge"
        if self._part_follows(j, end):
            return True  # "8 m 2 dm": an amount in two units
        if after == "of" or end >= self.n or self.texts[end] in _CLAUSE_ENDS:
            return True  # "500 g of flour", "the flight takes 1.5 h."
        return len(symbol) == 1 and symbol.isupper()  # "5 W charger", "2.5 F and", "3 L of"

    def _part_follows(self, j: int, end: int) -> bool:
        """True when a number and a smaller part of the unit at [j, end) follow it: the
        "2 dm" of "8 m 2 dm" says the "m" is metres."""
        if end + 1 >= self.n or not self.is_digits(end):
            return False
        entry = units.unit_index()[1].get(tuple(self.texts[j:end]))
        part = self._lexicon_unit(end + 1)
        parts = self.lex.compound_parts.get(entry.name, ()) if entry is not None else ()
        return part is not None and part.unit in parts

    def _grouped(self, k: int) -> bool:
        """True when token k ends a number grouped in thousands ("278,000", "816 000")."""
        if not self.is_digits(k):
            return False
        if "," in self.texts[k] and numbers.parse_digits(self.texts[k]) is not None:
            return True
        return len(self.texts[k]) == 3 and k > 0 and self.is_digits(k - 1) and self.near(k)

    def _unit_power(self, unit: Unit) -> Unit:
        """Raise a unit to the power written after it: "km^2", "km2", "km cubed"."""
        k = unit.last
        power = None
        if (
            k + 1 < self.n
            and self.texts[k] == "^"
            and self.glued(k)
            and self.texts[k + 1] in ("2", "3")
        ):
            power, k = self.texts[k + 1], k + 2
        elif k < self.n and self.texts[k] in ("2", "3") and self.glued(k):
            power, k = self.texts[k], k + 1
        elif k < self.n and self.lowers[k] in ("squared", "cubed") and self.near(k):
            power, k = ("2" if self.lowers[k] == "squared" else "3"), k + 1
        elif k + 1 < self.n and self.texts[k] in ("-", "−") and self.texts[k + 1] == "1":
            if self.glued(k) and self.glued(k + 1):
                name = f"1 / {unit.unit}"  # "s-1"
                return Unit(unit.first, k + 2, name, units.pint_dimension(name), "physical")
        if power is None:
            return unit
        name = f"{unit.unit} ** {power}"
        return Unit(unit.first, k, name, units.pint_dimension(name), "physical")

    def _make_physical(self, j: int, end: int, entry) -> Unit:
        kind = "physical" if entry.pint else entry.dimension
        return Unit(j, end, entry.name, entry.dimension, kind, scale=entry.scale)

    def _pounds_of(self, end: int) -> str | None:
        """What the words after "pounds of" at ``end`` say the pounds are: "money" ("pounds of
        taxpayers' money", "pounds of the budget"), "force" ("pounds of thrust") or "weight"
        ("pounds of beef"); None when no "of" and a word follow."""
        if end + 1 >= self.n or self.lowers[end] != "of" or not self.is_word(end + 1):
            return None
        after = self.lowers[end + 1 : end + 4]
        if after[0] in self.lex.definite_determiners or after[0] in self.lex.possessives:
            return "money"  # "20 million pounds of its transfer budget": a share of a sum
        if any(word in self.lex.pounds_of_money for word in after):
            return "money"
        return "force" if after[0] in self.lex.pounds_of_force else "weight"

    def _money_near(self, j: int) -> bool:
        """True when a money word stands within a few words of token j ("paid 30 million
        pounds"): it decides plain "pounds" and currency names that are common words."""
        window = self.lowers[max(0, j - 8) : j + 4]
        return any(w in self.lex.pound_money_cues for w in window)

    def _counted_noun(self, j: int, number: Number, skip=frozenset()) -> Unit | None:
        """Read the counted noun after a number: "60,000 shells", "two defense sources".

        ``skip`` holds words read past ("best" in "one of the best speakers"), where the
        noun is plural although the number is one.
        """
        glued = j == number.last and j < self.n and self.glued(j) and self.is_word(j)
        if glued and not (len(self.texts[j]) > 2 and units.is_plural(self.texts[j])):
            return None  # "3ami", "3G networks" are names; "300Palestinians" lost a space
        modifiers: list[str] = []
        k = j
        singular_expected = number.value == 1 and not number.scaled and not skip
        by_word, _, _ = units.unit_index()
        limit = j + 7  # seven words; a model's name counts as one ("Boeing 7E7-8")
        while k < self.n and k < limit:
            name_part = self._name_part(k, j)
            if name_part > k:
                limit += name_part - k - 1
                k = name_part
                continue
            if k > j and self._plural_ending(k):
                return self._model_made_plural(j, k)  # "6 F-16s", "12 M777s"
            if self.texts[k] in _SCARE_QUOTES and k + 1 < self.n and self.is_word(k + 1):
                k += 1  # '43 identified "camps"': quotes around a word of the noun
                continue
            if not self.is_word(k) or not self.near(k):
                return None
            word, lower = self.texts[k], self.lowers[k]
            if lower in skip or (skip and lower.endswith("est") and self.is_word(k + 1)):
                k += 1  # "one of the best", "one of the proudest moments"
                continue
            joined = modifiers or k > j and self.is_capitalized(k - 1)
            if lower in ("and", "or") and joined and self._word_follows(k):
                k += 1  # "4.3M digital and physical sales", "350 Toyota and Honda cars"
                continue
            if self._no_noun_at(k):
                return None
            entry = by_word.get((lower,))
            if entry is not None and k > j and not word[0].isupper():
                found = self._make_physical(
                    k, k + 1, entry
                )  # "517 rushing yards", not "World Cups"
                return replace(found, rule="unit_after_modifiers")
            noun_ends = (
                k + 1 >= self.n
                or not self.is_word(k + 1)
                or not self.near(k + 1)
                or (self.lowers[k + 1] in self.lex.noun_stop)
            )
            capitalized = word[0].isupper()
            next_capitalized = k + 1 < self.n and self.texts[k + 1][0].isupper()
            if singular_expected and units.is_plural(word) and modifiers:
                return Unit(j, k, " ".join(modifiers), "count", "count")  # "One proposal asks"
            plural = units.is_plural(word) or lower in self.lex.uncounted_plurals  # "six crew"
            head_later = self._head_later(k, capitalized)
            if plural and not (capitalized and next_capitalized) and not head_later:
                noun = units.singular(word)
                end = k + 1
                if noun in self.lex.of_heads and self.lowers[end : end + 1] == ["of"]:
                    noun, end = self._of_phrase(noun, end)  # "rounds of talks"
                return Unit(j, end, " ".join([*modifiers, noun]), "count", "count")
            verbal = lower.endswith(("ing", "ed", "ly"))  # "Nord Stream 1 leaking has stopped"
            if singular_expected and noun_ends and not capitalized and not verbal:
                noun = " ".join([*modifiers, lower])
                return Unit(j, k + 1, noun, "count", "count")
            if lower.endswith(("ing", "ed", "ly")) and not (self._plural_soon(k) or capitalized):
                return None  # "20 armored fighting vehicles", "20 Boeing 7E7-8 jets" read on,
                # "5 killed" stops
            if not capitalized and lower not in self.lex.noun_drop:
                modifiers.append(lower)
            k += 1
            if k < self.n and self.texts[k] == "." and self.glued(k) and self._abbreviated(k):
                k += 1  # "8,500 U.S. troops", "three Citigroup Inc. executives": the
                # abbreviation's closing dot
        return None

    def _plural_soon(self, k: int) -> bool:
        """True when a plural noun follows the word at k closely enough to be the head its
        participle describes ("20 armored fighting vehicles"), or, after an adverb, the head
        of its adjective ("two potentially lucrative oil exploration contracts"); not past a
        verb ("12 reportedly suffered serious injuries")."""
        verb_after = self.lowers[k + 1 : k + 2] and self.lowers[k + 1].endswith(("ed", "ing"))
        adverb = self.lowers[k].endswith("ly") and not verb_after
        reach = min(self.n, k + 5 if adverb else k + 3)
        return any(units.is_plural(self.lowers[m]) for m in range(k + 1, reach))

    def _abbreviated(self, dot: int) -> bool:
        """True when the dot at ``dot`` closes an abbreviation inside a noun phrase: one with
        dots of its own ("U.S.") or a short capitalized one before a lower-case word ("Inc.
        executives", "Corp. shares") or a name's opening one before a name ("3,000 Ft. Hood
        soldiers"), not a sentence's end."""
        word = self.texts[dot - 1]
        if "." in word:
            return True
        if dot + 1 >= self.n:
            return False
        if word in self.lex.name_abbreviations and self.is_capitalized(dot + 1):
            return True
        return word[:1].isupper() and len(word) <= 4 and self.texts[dot + 1].islower()

    def _head_later(self, k: int, capitalized: bool) -> bool:
        """True when the plural at k is no head of its noun, the plural after it is: a name's
        ("Patriot missiles"), a noun both singular and plural ("armoured personnel
        carriers") or one that stays plural before a noun ("human rights groups")."""
        following = k + 1 < self.n and self.near(k + 1)
        following = following and self.lowers[k + 1] not in self.lex.noun_stop
        next_plural = following and units.is_plural(self.lowers[k + 1])
        lower = self.lowers[k]
        modifier = lower in self.lex.uncounted_plurals or lower in self.lex.plural_modifiers
        return next_plural and (capitalized or modifier)

    def _word_follows(self, k: int) -> bool:
        """True when a word that opens no number follows token k: "digital and physical
        sales" reads on, "12 MPs and two NGOs" is two figures."""
        return (
            k + 1 < self.n
            and self.is_word(k + 1)
            and self.lowers[k + 1] not in self.lex.number_starts
        )

    def _no_noun_at(self, k: int) -> bool:
        """True when the word at k ends the search for a counted noun: a stop word ("of",
        "the"), a word that is never one, a possessive, or a time ("2.1 last year": a
        time, not "2.1 years")."""
        lower = self.lowers[k]
        if lower in self.lex.noun_stop or lower in self.lex.not_nouns or "'" in lower:
            return True
        if "’" in lower:
            return True
        following = self.lowers[k + 1] if k + 1 < self.n else ""
        return lower in self.lex.time_deictics and following in self.lex.periods

    def _name_part(self, k: int, j: int) -> int:
        """The token after a model's name or number at k, inside the noun phrase that starts
        at j ("14 Leopard 2 tanks", "60 F-16 fighter jets", "24 A-10 attack aircraft");
        k itself when there is none."""
        if self.is_digits(k) and k > j and self.near(k) and self._in_name(k):
            end = k + 1
            while (
                end < self.n
                and self.glued(end)
                and (self.texts[end].isalnum() or self._dashed_digits(end))
            ):
                if self.lowers[end] == "s":
                    break  # "12 M777s": the plural ending, no part of the name
                end += 1  # "14 Leopard 2A4 tanks", "20 Boeing 7E7-8 jets": glued on
            return end  # "14 Leopard 2 tanks", "two new 737 Max jets": part of a name
        if (
            self.texts[k] == "-"
            and k > j
            and self.glued(k)
            and k + 1 < self.n
            and self.glued(k + 1)
            and self.is_digits(k + 1)
        ):
            return k + 2  # "60 F-16 fighter jets", "13 MiG-29 jets": a model's number
        if self._designator(k):
            return k + 3  # "24 A-10 attack aircraft": "A" is no article here
        code = k + 1 < self.n and self.texts[k].isupper() and self.texts[k].isalpha()
        if code and k > j and self.glued(k + 1) and self.is_digits(k + 1):
            return k + 2  # "six Airbus A380 jets": capitals glued to a number
        dotted = self.texts[k] == "." and k > j and self.is_capitalized(k - 1)
        if (
            dotted
            and k + 1 < self.n
            and self.glued(k)
            and self.glued(k + 1)
            and self.is_digits(k + 1)
        ):
            return k + 2  # "300 ID.5 models": a model's number
        return k

    def _of_phrase(self, noun: str, of: int) -> tuple[str, int]:
        """The noun with the "of" phrase that says what it counts ("round of talks"),
        unless that phrase is ammunition ("rounds of small arms ammunition" -> round)."""
        window = self.lowers[of + 1 : of + 5]
        if any(w in self.lex.of_neutral for w in window):
            return noun, of
        words = []
        k = of + 1
        while (
            k < self.n
            and len(words) < 3
            and self.is_word(k)
            and self.lowers[k] not in self.lex.noun_stop
        ):
            words.append(self.lowers[k])
            k += 1
            if units.is_plural(words[-1]):
                break  # "rounds of talks", not "rounds of talks failed"
        if not words:
            return noun, of
        return f"{noun} of {' '.join(words)}", k

    def _dashed_digits(self, k: int) -> bool:
        """True for a dash at k with digits glued after it: the "-8" of "7E7-8"."""
        return (
            self.texts[k] == "-" and k + 1 < self.n and self.glued(k + 1) and self.is_digits(k + 1)
        )

    def _designator(self, k: int) -> bool:
        """True for a model designator at k: a capitalized word, a hyphen and digits, glued
        ("A-10", "F-16", "S-300")."""
        return (
            k + 2 < self.n
            and self.is_capitalized(k)
            and self.texts[k + 1] == "-"
            and self.glued(k + 1)
            and self.glued(k + 2)
            and self.is_digits(k + 2)
        )

    def _in_name(self, k: int) -> bool:
        """True for digits that belong to a name: "Leopard 2", "737 Max"."""
        return self.is_capitalized(k - 1) or (
            k + 1 < self.n and self.near(k + 1) and self.is_capitalized(k + 1)
        )

    def read_rate(self, k: int) -> tuple[str, int] | None:
        """Read a rate after the unit: "daily", "a day", "per day", "/day", "per barrel"."""
        if k >= self.n or not self.near(k):
            return None
        lower = self.lowers[k]
        if lower in self.lex.rate_adverbs:
            return self.lex.rate_adverbs[lower], k + 1
        if self.hyphen_joins(k):
            return self.read_rate(k + 1)  # "52,000 barrel-a-day refinery"
        if lower not in self.lex.rate_per or k + 1 >= self.n or not self.near(k + 1):
            return None
        nxt = units.singular(self.lowers[k + 1])
        after = self.lowers[k + 2] if k + 2 < self.n else ""
        if nxt in self.lex.periods and after in self.lex.not_after_period:
            return None  # "5% a year ago" is no rate; "$85 a barrel after" is one
        if nxt in self.lex.periods:
            return self.lex.periods[nxt], k + 2
        if nxt in self.lex.per_nouns:
            return self.lex.per_nouns[nxt], k + 2
        unit = self._physical_unit(k + 1)
        if unit is not None and unit.kind == "physical" and unit.scale == 1:
            if lower not in self.lex.rate_strict_per or unit.last == k + 2:
                return unit.unit, unit.last  # "per barrel", "$4 a gallon", "per sq m"
        if lower in self.lex.rate_strict_per:
            return None
        if self.is_word(k + 1) and nxt not in self.lex.noun_stop:
            return nxt, k + 2
        return None

    def _currency_echo(self, j: int, code: str) -> int:
        """Skip a currency named again after the amount: "$75 U.S. per barrel", "$31.20 US"."""
        echoes = units.currency_echoes()
        end = self.match_forward(j, echoes, 3, lower=False)
        if end > j and self.near(j) and echoes[tuple(self.texts[j:end])] == code:
            if end < self.n and self.texts[end] == "." and self.glued(end):
                end += 1  # the closing dot of "U.S."
            return end
        return j
