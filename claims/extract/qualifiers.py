"""Stage 3 of extraction: what qualifies a figure ("about", "up to", "or more", the
"sub-" of "sub-7") and the change it states ("rose 5%", "up by 3", "+0.2%")."""

from __future__ import annotations

from claims.sentences import Tokens


class QualifierReading(Tokens):
    """Reads qualifiers and change words around a figure."""

    def read_qualifier_before(self, first: int) -> tuple[str, int] | None:
        start = self.match_backward(first, self.lex.qualifier_phrases, 4, lower=True)
        if start < first and self.near(first):
            phrase = tuple(self.lowers[start:first])
            if start > 0 and self.lowers[start - 1] in self.lex.phrasal_verbs.get(phrase, ()):
                return None  # "turns over €450m", "handed over 5": a verb's particle
            if start > 1 and self.texts[start - 1] == "-" and self.glued(start):
                return None  # "shot an 8-under 64": part of the compound before it
            return self.lex.qualifier_phrases[phrase], start
        return None

    def phrase_start(self, first: int) -> int:
        """Where the figure at ``first`` starts with its qualifier: "at least" of "at least
        6,000"; ``first`` itself when it has none."""
        qualified = self.read_qualifier_before(first)
        return qualified[1] if qualified else first

    def read_qualifier_after(self, k: int) -> tuple[str, int] | None:
        """Read "or more", "plus" after a figure; not "5,000 troops plus 300 tanks"."""
        end = self.match_forward(k, self.lex.qualifier_after_phrases, 2, lower=True)
        if end > k and self.near(k):
            if end < self.n and (self.is_digits(end) or self.lowers[end] in self.lex.number_starts):
                return None
            if self.lowers[end : end + 1] == ["to"]:
                return None  # "40 missiles and up to 90 drones": the next figure's "up to"
            return self.lex.qualifier_after_phrases[tuple(self.lowers[k:end])], end
        return None

    def read_change(self, first: int, amount: bool = False) -> str | None:
        """Read a change word before the figure: "rose 5%", "up by 3", "fell to", "+0.2%".
        ``amount``: the figure is a share, money or points, which a verb such as "closed"
        moves up or down ("closed up 3%"), where it closes things down ("closed down 5
        plants")."""
        j = first - 1
        if j >= 0 and self.texts[j] == "+" and self.glued(first):
            return "up"  # "Dow +0.2%"
        j = self._past_described(j)  # "rose a higher-than-expected 42 percent"
        if j > 0 and self.lowers[j] in self.lex.one_emphasis:
            j -= 1  # "an increase of just 112%"
        if j > 0 and self.lowers[j] == "by" and self.lowers[j - 1] not in self.lex.change_words:
            return self._change_by(j)  # "cut gas consumption by 15 percent"
        if j >= 0 and self.lowers[j] == "to":
            return None  # "rose to $4.3 billion": the level reached, no rise (DESIGN.md)
        if j >= 0 and self.lowers[j] in ("by", "from", "of"):
            j -= 1  # "rose by 5%", "an increase of 4%"
        if j > 0 and self.lowers[j] in self.lex.range_hedges:
            j -= 1 + (self.lowers[j - 1] == "by")  # "rose (by) anywhere from 25 to 47 percent"
        if j < 0 or self.lowers[j] not in self.lex.change_words:
            return None
        if (
            self.lowers[j] in ("up", "down")
            and j > 0
            and self.lowers[j - 1] in self.lex.change_vetoes
        ):
            if not (amount and self.lowers[j - 1] in self.lex.amount_movers):
                return None  # "gave up 517 yards"
        return self.lex.change_words[self.lowers[j]]

    def _past_described(self, j: int) -> int:
        """The change word before "a" or "an" and the words that describe the figure after
        them, ending at j ("surged by an impressive 9.5 per cent", "rose a higher-than-expected
        42 percent"); j itself when there is none."""
        k = j
        while k > max(0, j - 6) and (self.is_word(k) or self.texts[k] == "-"):
            lower = self.lowers[k]
            if lower in ("a", "an"):
                before = self.lowers[k - 1]
                verb = before == "by" or before in self.lex.change_words
                return k - 1 if k < j and verb else j
            word = lower.replace("-", "")  # "higher-than-expected"
            stop = lower in self.lex.noun_stop or lower in self.lex.change_words
            if self.texts[k] != "-" and (stop or not word.isalpha()):
                return j
            k -= 1
        return j

    def _change_by(self, by: int) -> str | None:
        """The change of a verb and its object before "by": "cut natural gas consumption by
        15 percent", "raised its key rate by 50 basis points"; a verb or a clause between
        ends the search ("the increase was driven by 5 companies", "cut off the town held
        by 2,000 soldiers")."""
        agent = self.lowers[by - 1]
        if agent in self.lex.change_by_verbs and self.texts[by - 1].islower():
            return self.lex.change_by_verbs[agent]  # "inflation slowed by 0.3 points"
        participle = agent.endswith(("ed", "en")) or agent in self.lex.agent_participles
        if participle and agent not in self.lex.change_by_verbs:
            return None  # "the town held by 2,000 soldiers": the agent of another verb
        for k in range(by - 2, max(-1, by - 8), -1):
            lower = self.lowers[k]
            if lower in self.lex.change_by_verbs and self.texts[k].islower():
                return self.lex.change_by_verbs[lower]  # not "the Lower House ... by 250"
            if not self.is_word(k) or self.is_digits(k) or lower in self.lex.change_by_stops:
                return None
        return None
