"""Context of claims: who asserts each figure, whether it is quoted, a fact or a pledge,
when it holds, and what it measures.

The document is read sentence by sentence, in order, so that what a sentence says can
serve the ones after it: a person named with a role ("US Ambassador to NATO, Julianne
Smith") stands behind the role later ("The US ambassador said"), a surname behind its full
name, "she" behind the last person named, and a quotation attributed at its end behind the
sentences it spans. Word lists live in lexicon/speech.yaml, modality.yaml and periods.yaml.
"""

from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass, field, replace

from claims import concepts, lexicon, places, speakers
from claims.errors import ExtractionTimeout
from claims.model import Claim
from claims.periods import PeriodReader
from claims.sentences import Tokens, WordScan, split_sentences

_SPEECH_VERBS = lexicon.words("speech", "verbs")
_LEAD_VERBS = lexicon.words("speech", "lead_in_verbs")
_PLACE_PREPOSITIONS = lexicon.words("places", "locatives")
_LOOKING_AHEAD = frozenset(("pledge", "plan", "forecast"))  # modalities of what is to come
_AUXILIARIES = lexicon.words("concepts", "auxiliaries")
_LEAD_NOUNS = lexicon.words("speech", "lead_in_nouns")
# A list item: a line opened by a dash, a bullet or a number ("- 3,100 tanks", "2. ...").
_LIST_ITEM = re.compile(r"\s*(?:[-–—•*▪·]|\d{1,2}[.)])\s")
_AFTER_SUBJECT = lexicon.words("speech", "after_subject_phrases")
_ACCORDING = lexicon.words("speech", "according")
_ROLES = lexicon.words("speech", "roles")
_PRONOUNS = lexicon.words("speech", "pronouns")
_OUTLET_WORDS = lexicon.words("speech", "outlet_words")
_PARTICLES = lexicon.words("speech", "name_particles")
_ORGANIZATION_WORDS = lexicon.words("speech", "organization_words")
_TIME_FILLERS = lexicon.words("speech", "time_fillers")
_MODALITY_ORDER = lexicon.load("modality")["order"]
_WEEKDAYS = lexicon.words("nonclaims", "weekdays")
_NOUN_STOP = lexicon.words("nouns", "stop")


def _cue_phrases(words) -> dict[tuple[str, ...], str]:
    """Index phrases by their lower-case word tuples ("according to" -> ("according", "to"))."""
    return {tuple(w.split()): w for w in words}


_CUES = {name: _cue_phrases(lexicon.load("modality")["cues"][name]) for name in _MODALITY_ORDER}
_AFTER_SUBJECT_PHRASES = _cue_phrases(_AFTER_SUBJECT)
_ACCORDING_PHRASES = _cue_phrases(_ACCORDING)
# Words that may open a speech cue or a modality cue: most tokens are neither.
_CUE_FIRST_WORDS = frozenset(_SPEECH_VERBS) | {
    phrase[0] for index in (_AFTER_SUBJECT_PHRASES, _ACCORDING_PHRASES) for phrase in index
}
_MODALITY_FIRST_WORDS = frozenset(phrase[0] for index in _CUES.values() for phrase in index)
# Words skipped between a speaker and the verb: "Smith also said", "she reportedly stressed".
_BETWEEN_SPEAKER_AND_VERB = frozenset(
    "also has have had was is been then later earlier previously further again".split()
)
# Words that open a new clause: a cue beyond them speaks of something else.
_CLAUSE_BOUNDS = frozenset(lexicon.words("modality", "clause_bounds"))
# Words that end the clause before a figure: "that" does not ("promised that 100,000").
_CLAUSE_OPENERS = _CLAUSE_BOUNDS - {"that"}


@dataclass
class _Said:
    """Who asserts the words of a sentence, and which characters are their words."""

    speaker: str | None = None
    via: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)  # character spans of the words
    listing: bool = False  # the sentence ends in a colon: the items of a list follow

    def covers(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.spans)


class _Reader:
    """Reads a document's sentences in order, keeping track of the people named so far."""

    def __init__(self) -> None:
        self.people: dict[str, str] = {}  # lower-case surname -> full name
        self.roles: dict[str, str] = {}  # role word -> full name of its holder
        self.last_person: str | None = None

    # ---- names

    def name_left(self, tokens: Tokens, k: int) -> tuple[int, int] | None:
        """The run of capitalized words (with particles: "von der") that ends at token k."""
        if k < 0 or not tokens.is_capitalized(k):
            return None
        end = k + 1
        while k >= 0 and (tokens.is_capitalized(k) or tokens.lowers[k] in _PARTICLES):
            k -= 1
        start = k + 1
        while not tokens.is_capitalized(start):
            start += 1  # a run starts with a capital: "of Ukraine" is no name
        return start, end

    def name_right(self, tokens: Tokens, k: int) -> tuple[int, int] | None:
        """The run of capitalized words (with particles) that starts at token k."""
        start, caps, lowers, n = k, tokens.caps, tokens.lowers, tokens.n
        while k < n and (caps[k] or lowers[k] in _PARTICLES):
            k += 1
        while k > start and not caps[k - 1]:
            k -= 1
        return (start, k) if k > start else None

    def person(self, tokens: Tokens, run: tuple[int, int]) -> str:
        """The name in a run of capitalized words, after its roles, as first known."""
        start, end = run
        roles = [k for k in range(start, end) if tokens.lowers[k] in _ROLES]
        if any(tokens.lowers[k] in _ORGANIZATION_WORDS for k in range(start, end)):
            roles = []  # "the General Staff of the Ukrainian Armed Forces" is no person
        if roles and roles[-1] + 1 < end:
            for k in roles:
                self._holds(tokens.lowers[k], tokens.phrase(roles[-1] + 1, end))
            start = roles[-1] + 1
        name = tokens.phrase(start, end)
        return self._known(name)

    def _known(self, name: str) -> str:
        """The fullest form of a name seen so far ("Smith" -> "Julianne Smith")."""
        surname = name.split()[-1].lower()
        if " " in name:
            self.people[surname] = name
        return self.people.get(surname, name) if " " not in name else name

    def _holds(self, role: str, name: str) -> None:
        name = self._known(name)
        self.roles[role] = name
        if " " in name:
            self.last_person = name

    def learn_names(self, tokens: Tokens) -> None:
        """Record the people a sentence names with a role: "US Ambassador to NATO, Julianne
        Smith,", "Ursula von der Leyen, the President of the European Commission,"."""
        read_to = 0
        for k in tokens.capitalized():
            if k < read_to:
                continue  # inside the run before
            run = self.name_right(tokens, k)
            if run is None:
                continue
            name = self.person(tokens, run)
            for role in self._roles_beside(tokens, run):
                self._holds(role, name)
            read_to = run[1]

    def _roles_beside(self, tokens: Tokens, run: tuple[int, int]) -> list[str]:
        """Role words in the comma-set phrase right before or right after a name."""
        found = []
        start, end = run
        if start > 1 and tokens.texts[start - 1] == ",":
            k = start - 2
            while k >= 0 and tokens.texts[k] not in (",", ".", ";") and start - k < 8:
                if tokens.lowers[k] in _ROLES:
                    found.append(tokens.lowers[k])
                k -= 1
        if end < tokens.n and tokens.texts[end] == ",":
            k, roles = end + 1, []
            while k < tokens.n and tokens.texts[k] not in (",", ".", ";") and k - end < 10:
                if tokens.lowers[k] in _ROLES:
                    roles.append(tokens.lowers[k])
                k += 1
            if k < tokens.n and tokens.texts[k] == ",":
                found += roles  # "Ursula von der Leyen, the President of the Commission,"
        if start > 0 and tokens.lowers[start - 1] in _PLACE_PREPOSITIONS:
            return []  # "In a speech in Congress, the president said": no holder
        return found

    # ---- who said it

    def attribution(self, tokens: Tokens) -> _Said:
        """Find who says the words of a sentence, and which words are theirs."""
        for k, word in enumerate(tokens.lowers):
            if word not in _CUE_FIRST_WORDS:
                continue
            said = self._according(tokens, k) or self._speech(tokens, k)
            if said is not None and said.speaker:
                if speakers.looks_like_person(said.speaker):
                    self.last_person = self.people.get(said.speaker.lower(), said.speaker)
                return said  # "Kirby said ... He added": he is Kirby
        return self._lead_in(tokens) or _Said()

    def _lead_in(self, tokens: Tokens) -> _Said | None:
        """Who gives the figures after a colon: "The General Staff gave these figures for
        Russian losses: 180,000 personnel, 3,100 tanks" (and the list items after it)."""
        colon = next((k for k, text in enumerate(tokens.texts) if text == ":"), None)
        if colon is None:
            return None
        nouns = [k for k in range(max(0, colon - 8), colon) if tokens.lowers[k] in _LEAD_NOUNS]
        if not nouns:
            return None
        for verb in range(nouns[0] - 1, max(-1, nouns[0] - 4), -1):
            if tokens.lowers[verb] in _LEAD_VERBS:
                subject = self._subject_left(tokens, verb, far=False)
                if subject is None:
                    return None
                end = tokens.offset + len(tokens.sentence)
                return _Said(subject[0], None, [(tokens.ends[colon], end)], colon == tokens.n - 1)
        return None

    def _according(self, tokens: Tokens, k: int) -> _Said | None:
        end = tokens.match_forward(k, _ACCORDING_PHRASES, 3, lower=True)
        if end == k:
            return None
        j = end + 1 if end < tokens.n and tokens.lowers[end] == "the" else end
        run = self.name_right(tokens, j) if j < tokens.n and tokens.is_capitalized(j) else None
        if run is not None:
            speaker, source_end = self.person(tokens, run), run[1]
            later = self._named_after_role(tokens, source_end)
            if later is not None:  # "According to Kyiv's mayor, Vitali Klitschko,"
                speaker, source_end = later
        else:
            source_end = j
            while source_end < tokens.n and tokens.is_word(source_end):
                if tokens.lowers[source_end] in ("who", "which", "that"):
                    break
                source_end += 1
            speaker = tokens.phrase(end, source_end) if source_end > end else None
        first, last = tokens.starts[k], tokens.ends[max(source_end, end) - 1]
        spans = [(tokens.offset, first), (last, tokens.offset + len(tokens.sentence))]
        return _Said(speaker, None, spans)

    def _named_after_role(self, tokens: Tokens, k: int) -> tuple[str, int] | None:
        """After "Kyiv's": a role, a comma and the person's name ("mayor, Vitali Klitschko")."""
        j = k
        while j < tokens.n and tokens.is_word(j) and not tokens.is_capitalized(j) and j - k < 3:
            j += 1
        if j == k or tokens.lowers[j - 1] not in _ROLES or j + 1 >= tokens.n:
            return None
        if tokens.texts[j] != "," or not tokens.is_capitalized(j + 1):
            return None
        run = self.name_right(tokens, j + 1)
        if run is None:
            return None
        name = self.person(tokens, run)
        self._holds(tokens.lowers[j - 1], name)
        return name, run[1]

    def _speech(self, tokens: Tokens, k: int) -> _Said | None:
        phrase_end = tokens.match_forward(k, _AFTER_SUBJECT_PHRASES, 4, lower=True)
        if phrase_end == k and tokens.lowers[k] not in _SPEECH_VERBS:
            return None
        if tokens.is_capitalized(k) and k > 0:
            return None  # a name, not a verb: "Says", "Notes" inside a sentence
        verb_end = phrase_end if phrase_end > k else k + 1
        sentence_end = tokens.offset + len(tokens.sentence)
        if tokens.lowers[k].endswith("ing") and k > 1 and tokens.texts[k - 1] == ",":
            opener = self._sentence_name(tokens, k)  # "X has launched a coup, saying he has"
            if opener is not None:
                return _Said(opener, None, [(tokens.ends[verb_end - 1], sentence_end)])
        subject = self._subject_left(tokens, k, far=phrase_end > k)
        if subject is not None:
            speaker, first = subject
            spans = [(tokens.ends[verb_end - 1], sentence_end)]
            if self._after_content(tokens, first):
                spans.append((tokens.offset, tokens.starts[first]))  # "..., X said"
            return _Said(speaker, self._via(tokens, verb_end), spans)
        run = self.name_right(tokens, verb_end) if verb_end < tokens.n else None
        if run is not None:  # "..., said Jens Stoltenberg"
            return _Said(self.person(tokens, run), None, [(tokens.offset, tokens.starts[k])])
        return None

    def _sentence_name(self, tokens: Tokens, k: int) -> str | None:
        """The person or body that opens the sentence, whose words a participle of speech
        after a comma gives ("Yevgeny Prigozhin, the head of Wagner, has launched a coup,
        saying he has 25,000 fighters"); None when the sentence opens with no name."""
        start = 1 if tokens.lowers[0] == "the" else 0
        run = self.name_right(tokens, start) if tokens.is_capitalized(start) else None
        if run is None or run[1] >= k:
            return None
        end = run[1]
        word = tokens.lowers[end]
        if tokens.texts[end] != "," and word not in _AUXILIARIES and not word.endswith("ed"):
            if not concepts.is_verb(tokens, end):
                return None  # "Ukraine's forces, saying": no name opens the sentence
        return self.person(tokens, run)

    @staticmethod
    def _after_content(tokens: Tokens, first: int) -> bool:
        """True when the speaker at ``first`` follows the words it says: a comma or a
        closing quote stands before it, past the few words of a title ("..., the UK
        Ministry of Defence said", "..., Kremlin spokesman Dmitry Peskov said")."""
        k = first - 1
        while k >= 0 and first - k <= 5 and tokens.is_word(k):
            if tokens.lowers[k] == "and" and not tokens.is_capitalized(k + 1):
                break  # "..., and analysts said": another clause; "Chinese and Ukrainian"
            k -= 1
        return k >= 0 and tokens.texts[k] in (",", "”", '"', "’")

    def _subject_left(self, tokens: Tokens, k: int, far: bool) -> tuple[str, int] | None:
        """The speaker before a speech verb at k, and its first token."""
        j = k - 1
        while j >= 0 and (
            tokens.lowers[j] in _BETWEEN_SPEAKER_AND_VERB
            or tokens.lowers[j] in _TIME_FILLERS
            or _adverb(tokens, j)
        ):
            j -= 1  # "Smith also said", "Biden last week said"
        if j >= 1 and tokens.lowers[j] in _WEEKDAYS and tokens.lowers[j - 1] == "on":
            j -= 2  # "Julianne Smith, on Wednesday said"
        if j >= 0 and tokens.texts[j] == "," and j >= 1:
            appositive = self._before_appositive(tokens, j)
            if appositive is not None:
                j = appositive
            elif tokens.is_capitalized(j - 1):
                j -= 1  # "the commander, General Valerii Zaluzhnyi, said": the name in commas
            elif far:
                return None
        if j < 0:
            return None
        if tokens.lowers[j] in _PRONOUNS:
            return (self.last_person, j) if self.last_person else None
        if tokens.is_capitalized(j):
            run = self.name_left(tokens, j)
            if run is not None:
                return self.person(tokens, run), run[0]
        if tokens.lowers[j] in _ROLES and tokens.lowers[j] in self.roles:
            first = j
            while first > 0 and tokens.is_word(first - 1) and tokens.lowers[first - 1] != ",":
                first -= 1
                if tokens.lowers[first] == "the":
                    break
            return self.roles[tokens.lowers[j]], first
        if far:  # "Christine Lambrecht has been quoted ... as saying": the clause's subject
            for start in range(k):
                if tokens.is_capitalized(start):
                    run = self.name_right(tokens, start)
                    if run is not None:
                        return self.person(tokens, run), run[0]
        if tokens.is_word(j) and tokens.lowers[j] not in _NOUN_STOP:
            first = j  # "defense sources said": a group, named by its words
            while first > 0:
                if tokens.is_word(first - 1) and tokens.lowers[first - 1] not in _NOUN_STOP:
                    first -= 1
                elif _joins_names(tokens, first - 1):
                    first -= 2  # "Chinese and Ukrainian customs data show"
                elif (
                    first > 1 and tokens.texts[first - 1] == "." and "." in tokens.texts[first - 2]
                ):
                    first -= 2  # "U.K. officials say": "U.K" and "."
                else:
                    break
            return tokens.phrase(first, j + 1), first
        return None

    def _before_appositive(self, tokens: Tokens, comma: int) -> int | None:
        """For "Ursula von der Leyen, the President of the European Commission, said":
        the last token of the name before the appositive, if the phrase holds a role."""
        k = comma - 1
        while k >= 0 and tokens.texts[k] != "," and comma - k < 12:
            k -= 1
        if k < 1 or tokens.texts[k] != ",":
            return None
        phrase = tokens.lowers[k + 1 : comma]
        if not any(word in _ROLES for word in phrase):
            return None
        run = self.name_left(tokens, k - 1)
        if run is None:
            return None
        name = self.person(tokens, run)
        for word in phrase:
            if word in _ROLES:
                self._holds(word, name)
        return k - 1

    def _via(self, tokens: Tokens, j: int) -> str | None:
        """The outlet after "told": "told broadcaster CNN", "told the BBC"."""
        if j == 0 or tokens.lowers[j - 1] not in ("told", "tells", "tell"):
            return None
        outlet_word = False
        while j < tokens.n and tokens.lowers[j] in (*_OUTLET_WORDS, "the"):
            outlet_word = outlet_word or tokens.lowers[j] in _OUTLET_WORDS
            j += 1
        run = self.name_right(tokens, j) if j < tokens.n and tokens.is_capitalized(j) else None
        if run is None:
            return None
        name = tokens.phrase(*run)
        return name if outlet_word or name.isupper() else None

    # ---- modality and time

    def modality(self, tokens: Tokens, claim: Claim, said: _Said) -> str:
        """The first modality whose cue stands in the figure's clause (not in the speaker's
        name, and not in a clause after it: "two months after they were promised")."""
        first, last = self._clause(tokens, claim)
        found = set()
        for k in range(first, last):
            if tokens.lowers[k] not in _MODALITY_FIRST_WORDS:
                continue
            if said.speaker and said.spans and not said.covers(tokens.starts[k]):
                continue
            for name in _MODALITY_ORDER:
                if tokens.match_forward(k, _CUES[name], 3, lower=True) > k:
                    found.add(name)
        for name in _MODALITY_ORDER:
            if name in found:
                return name
        return "estimate" if claim.qualifier == "~" else "reported"

    @staticmethod
    def _clause(tokens: Tokens, claim: Claim) -> tuple[int, int]:
        """Tokens [first, last) of the clause that holds the claim."""
        first, last = tokens.inside(claim.start, claim.end)
        if last == first:
            return 0, tokens.n
        while first > 0 and tokens.lowers[first - 1] not in _CLAUSE_OPENERS:
            first -= 1  # "promised that 100,000 homes would be rebuilt": the pledge governs
        while last < tokens.n and tokens.lowers[last] not in _CLAUSE_BOUNDS:
            last += 1
        return first, last


def _joins_names(tokens: Tokens, j: int) -> bool:
    """True for an "and" between two capitalized words: "Chinese and Ukrainian"."""
    return (
        tokens.lowers[j] == "and"
        and j > 0
        and tokens.is_capitalized(j - 1)
        and tokens.is_capitalized(j + 1)
    )


def _adverb(tokens: Tokens, j: int) -> bool:
    return tokens.lowers[j].endswith("ly") and tokens.lowers[j] not in ("italy", "july")


def annotate(
    text: str,
    claims: list[Claim],
    published: str | None,
    sentences: list[tuple[int, int]] | None = None,
    tokenized: dict[int, Tokens] | None = None,
    deadline: float | None = None,
) -> list[Claim]:
    """Return ``claims`` with their context filled from ``text``: speaker, speaker_kind,
    speaker_via, modality, period, concept, subject and place.

    :param text: the whole document the claims were read from
    :param claims: its claims, in text order
    :param published: the publication date (ISO), against which relative times resolve
    :param sentences: the sentence spans of ``text``, when the caller has them
    :param tokenized: tokens of sentences the caller has read, by sentence start
    :param deadline: the ``time.thread_time()`` past which it stops (``ExtractionTimeout``)
    """
    tokenized = tokenized or {}
    if not claims:
        return claims
    reader = _Reader()
    periods = PeriodReader(published)

    by_sentence: dict[int, list[Claim]] = {}
    for claim in claims:
        by_sentence.setdefault(claim.sentence_start, []).append(claim)
    last_start = claims[-1].sentence_start
    speaker_words = _SPEAKER_WORDS.starts(text[: claims[-1].end])
    out: dict[int, Claim] = {}
    quotes = _Quotes(text)
    previous: _Said = _Said()
    pending: list[int] = []  # sentences inside a quotation not yet attributed
    names: frozenset[str] | None = None  # capitalized words inside sentences, when needed
    for start, end in sentences if sentences is not None else split_sentences(text):
        if start > last_start:
            break
        if deadline is not None and time.thread_time() > deadline:
            raise ExtractionTimeout(None)
        lead_in = text.startswith(":", end - 1)  # "The ministry gave these figures:"
        if start not in by_sentence and not lead_in and not _holds(speaker_words, start, end):
            if not quotes.open_at(start):
                previous = _Said()
            continue  # nothing to learn and nothing to annotate: not worth its tokens
        tokens = tokenized.get(start) or Tokens(text, start, end)
        reader.learn_names(tokens)
        said = reader.attribution(tokens)
        opens_inside = quotes.open_at(start)
        if said.speaker is None and opens_inside and previous.speaker:
            said = _Said(previous.speaker, previous.via, [(start, end)])  # the quotation goes on
        elif said.speaker is None and previous.listing and _LIST_ITEM.match(tokens.sentence):
            said = _Said(previous.speaker, previous.via, [(start, end)], True)  # "- 3,100 tanks"
        if said.speaker and opens_inside:
            for earlier in pending:
                for claim in by_sentence.get(earlier, []):
                    if claim.quoted:
                        out[id(claim)] = replace(out[id(claim)], speaker=said.speaker)
            pending = []
        elif said.speaker is None and quotes.open_at(end):
            pending.append(start)  # a quotation runs on: its speaker may come at its end
        restated = None
        previous_claim: Claim | None = None
        for claim in by_sentence.get(start, []):
            speaker = said.speaker if said.covers(claim.start) else None
            near = _around(tokens, claim)
            first, last = _token_span(near, claim)
            counted = _counted(claim)
            what, phrase = concepts.concept(near, first, last, counted)
            about = counted and places.named_in(near, first, last)  # "824 Russian troops"
            if not about and phrase:
                about = places.subject_name(phrase, near.sentence, names or frozenset())
                if about is None and names is None:  # once a document, when needed
                    names = places.names_inside_sentences(text)
                    about = places.subject_name(phrase, near.sentence, names)
            if what and places.lookup(what):
                what = None  # "Russia", "the Kremlin": whose the figure is, not what it measures
            if what is None and counted:  # "In Ukraine, 28 journalists were killed"
                measure = concepts.measure(near, first, last, counted)
                what = measure if measure != counted or about else None
            about = about or places.owner_in(what)  # "impact Russian revenues by $1 billion"
            if previous_claim is not None and _part_of(text, previous_claim, claim):
                about = previous_claim.subject  # "£4.7 billion ..., including £660 million":
                # the whole's owner, not one read back past "including" into its clause
            if restated is not None and _restates(text, restated[0], claim):
                what, about = restated[1], restated[2]  # "$2.8bn (£2.4bn) in military aid"
            restated = (claim, what, about)
            modality = reader.modality(near, claim, said)
            ahead = modality in _LOOKING_AHEAD
            period_start, period_end, period_text = periods.period(near, claim, ahead)
            lasted = periods.lasted(near, claim) if period_text is None and not ahead else None
            if lasted is not None:
                period_start, period_end = lasted  # "has lasted 500 days", "served 30 years"
            previous_claim = out[id(claim)] = replace(
                claim,
                speaker=speaker,
                speaker_via=said.via if speaker else None,
                modality=modality,
                period_start=period_start,
                period_end=period_end,
                period_text=period_text,
                concept=what,
                subject=about,
                place=places.place(near, first, last),
            )
        previous = said if said.speaker else _Said()
    annotated = [out.get(id(claim), claim) for claim in claims]
    named = {
        claim.speaker: speakers.speaker_name(claim.speaker, reader.people)
        for claim in annotated
        if claim.speaker
    }
    people = {}  # subjects that name a person: "Mr Putin's new term" -> Vladimir Putin
    for subject in {claim.subject for claim in annotated if claim.subject}:
        person = speakers.person_name(subject, reader.people)
        if person:
            people[subject] = person
    surnames = {name for name in (*named.values(), *people.values()) if name and " " not in name}
    fullest = speakers.fullest_names(text, surnames) if surnames else {}
    for k, claim in enumerate(annotated):
        if claim.subject in people:
            person = people[claim.subject]
            annotated[k] = replace(claim, subject=fullest.get(person, person))
    return [_named(claim, named, fullest, reader.people) for claim in annotated]


def _named(
    claim: Claim, named: dict[str, str | None], fullest: dict[str, str], people: dict[str, str]
) -> Claim:
    """``claim`` with its speaker as the document names it most fully, and its kind
    (``claims.speakers``), or none."""
    if claim.speaker is None:
        return claim
    speaker = named[claim.speaker]
    speaker = fullest.get(speaker, speaker) if speaker else None
    return replace(
        claim,
        speaker=speaker,
        speaker_kind=speakers.speaker_kind(speaker, people, speaker in fullest.values()),
        speaker_via=claim.speaker_via if speaker else None,
    )


def _part_of(text: str, previous: Claim, claim: Claim) -> bool:
    """True when ``claim`` is a part of the figure before it in its sentence: "pledged £4.7
    billion ..., including £660 million", "£12bn ..., of which £7.1bn"."""
    if claim.start - previous.end >= 120:
        return False
    between = text[previous.end : claim.start].lower()
    return any(words in between for words in _PART_WORDS)


_PART_WORDS = lexicon.words("concepts", "part_words")


def _counted(claim: Claim) -> str | None:
    """The noun a figure counts, as written: "troops" in "130,000 troops", "shells" in
    "200,000 shells a month"; None for money, measures and bare numbers."""
    if claim.dimension == "count":
        return claim.unit_text or None
    numerator = claim.unit.partition(" / ")[0]
    if claim.dimension == "rate" and numerator.islower() and claim.unit_text[:1].isalpha():
        noun = _RATE_WORDS.split(claim.unit_text, maxsplit=1)[0].strip()  # not "$ / gram"
        return noun or None
    return None


# Where a rate's period starts in its words: "shells a month", "rounds daily" (the rate
# words of lexicon/rates.yaml).
_RATE_STARTS = (set(lexicon.words("rates", "per")) - {"/"}) | set(
    lexicon.mapping("rates", "adverbs")
)
_RATE_WORDS = re.compile(rf"\s+(?:{'|'.join(map(re.escape, sorted(_RATE_STARTS)))})\b")


def _speaker_words() -> list[str]:
    words = set(_SPEECH_VERBS) | set(_ROLES)
    for phrases in (_AFTER_SUBJECT, _ACCORDING):
        words |= {phrase.split()[0] for phrase in phrases}
    return sorted(words | {w.capitalize() for w in words})


# A sentence without any of these words names no speaker and no role holder.
_SPEAKER_WORDS = WordScan(_speaker_words())


def _holds(offsets: list[int], start: int, end: int) -> bool:
    """True when one of the sorted ``offsets`` is in [start, end)."""
    k = bisect.bisect_left(offsets, start)
    return k < len(offsets) and offsets[k] < end


def _restates(text: str, previous: Claim, claim: Claim) -> bool:
    """True when ``claim`` restates ``previous`` in brackets or after a slash:
    "10.5 million Australian dollars ($7.5 million)", "296 hp (224 kW / 300 PS)"."""
    between = text[previous.end : claim.start].strip()
    if between in ("(", "/", "(~", "(about"):
        return True
    if between != ",":
        return False
    start = claim.sentence_start  # the bracket opens in the sentence: "(224 kW, 300 PS)"
    return text.rfind("(", start, claim.start) > text.rfind(")", start, claim.start)


#: A sentence of more tokens is read around each claim only, ``CONTEXT_TOKENS`` on each
#: side, for its concept, period and modality: a long sentence dense with figures then
#: costs work in proportion to its length, not to its length squared (#14). News
#: sentences stay under it (the longest of the dev corpus has about 130 tokens); a longer
#: one is a list or a table, where a figure's clause is near it.
LONG_SENTENCE_TOKENS = 200
CONTEXT_TOKENS = 40


def _around(tokens: Tokens, claim: Claim) -> Tokens:
    """The tokens of ``claim``'s sentence that its context is read from: all of them, or
    ``CONTEXT_TOKENS`` on each side of it in a sentence of over ``LONG_SENTENCE_TOKENS``."""
    if tokens.n <= LONG_SENTENCE_TOKENS:
        return tokens
    first, last = tokens.inside(claim.start, claim.end)
    return tokens.window(max(0, first - CONTEXT_TOKENS), min(tokens.n, last + CONTEXT_TOKENS))


def _token_span(tokens: Tokens, claim: Claim) -> tuple[int, int]:
    """The tokens [first, last) of a claim in its sentence."""
    first, last = tokens.inside(claim.start, claim.end)
    return (first, last) if last > first else (0, 0)


class _Quotes:
    """Whether a quotation is open at an offset of a text (within its paragraph): the last
    curly mark says which way it goes; with none, an odd count of straight ones opens it.

    The text is read forward from the offset asked before, so that reading a document
    costs its length once; reading each paragraph from its start again cost a paragraph's
    length at each of its sentences (#14). An offset before the last one reads afresh.
    """

    def __init__(self, text: str):
        self.text = text
        self.at = self.paragraph = 0
        self.opened = self.closed = -1  # offsets of the last curly marks of the paragraph
        self.straight = 0  # straight marks in the paragraph so far

    def open_at(self, offset: int) -> bool:
        if offset < self.at:
            self.__init__(self.text)
        text, at = self.text, self.at
        line = text.rfind("\n", at, offset)
        if line >= 0:  # a new paragraph closes every quotation
            at = self.paragraph = line + 1
            self.opened = self.closed = -1
            self.straight = 0
        self.opened = max(self.opened, text.rfind("“", at, offset))
        self.closed = max(self.closed, text.rfind("”", at, offset))
        self.straight += text.count('"', at, offset)
        self.at = offset
        if self.opened != self.closed:
            return self.opened > self.closed
        return self.straight % 2 == 1
