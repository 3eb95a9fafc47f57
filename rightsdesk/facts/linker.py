"""Find registered names in text: one Aho-Corasick pass over the text's word keys.

Every alias is reduced to the sequence of its words' matching keys (``names.token_key``); the
text is reduced the same way, and pyahocorasick finds every alias key sequence in it at once.
Keys are joined with spaces and padded, so only whole words match. A key match is then
confirmed word by word (``names.same_word``); capitalised alias words must be capitalised in the
text, and acronyms must be written in capitals, so "Hope" the organisation does not match "hope".
A one-word alias matched only by a variant spelling is ignored at the start of a sentence, where
capitals prove nothing ("Even so" is not Evin). Overlapping matches are resolved longest first,
then leftmost.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Iterable

import ahocorasick

from . import names


@dataclass(frozen=True, slots=True)
class Alias:
    """One registered name of an entity."""

    entity: Hashable
    name: str
    alias_id: Hashable = None

    @property
    def words(self) -> list[names.Token]:
        return names.tokens(self.name)


@dataclass(frozen=True, slots=True)
class Match:
    entity: Hashable
    alias: Alias
    start: int
    end: int
    text: str
    first_token: int
    last_token: int


class Linker:
    """A multi-pattern matcher over a set of aliases; build once, use for many texts."""

    def __init__(self, aliases: Iterable[Alias]):
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        table: dict[str, list[tuple[Alias, list[names.Token]]]] = {}
        for alias in aliases:
            words = alias.words
            if not words:
                continue
            pattern = " " + " ".join(w.key for w in words) + " "
            table.setdefault(pattern, []).append((alias, words))
            self.size += 1
        for pattern, entries in table.items():
            self._automaton.add_word(pattern, (len(entries[0][1]), entries))
        if table:
            self._automaton.make_automaton()
        self._empty = not table

    def find(self, text: str, toks: list[names.Token] | None = None) -> list[Match]:
        if self._empty:
            return []
        toks = names.tokens(text) if toks is None else toks
        if not toks:
            return []
        parts, starts = [" "], {}
        position = 1
        for index, token in enumerate(toks):
            starts[position] = index
            parts.append(token.key)
            parts.append(" ")
            position += len(token.key) + 1
        haystack = "".join(parts)
        candidates = []
        for end_char, (length, entries) in self._automaton.iter(haystack):
            # The pattern is " k1 ... kn ": its first key starts one character after its start.
            first = _first_token(haystack, end_char, length, starts)
            if first is None:
                continue
            window = toks[first : first + length]
            best = _best_alias(entries, window)
            if best is None:
                continue
            if length == 1 and window[0].folded != best.words[0].folded and _sentence_initial(text, window[0]):
                continue  # "Even so, …" is not a spelling of Evin: only exact spellings there
            candidates.append((length, first, best))
        # Longest first, then leftmost; a word belongs to one match at most.
        candidates.sort(key=lambda c: (-c[0], c[1]))
        taken = set()
        matches = []
        for length, first, alias in candidates:
            span = range(first, first + length)
            if any(i in taken for i in span):
                continue
            taken.update(span)
            start, end = toks[first].start, toks[first + length - 1].end
            matches.append(Match(alias.entity, alias, start, end, text[start:end], first, first + length - 1))
        matches.sort(key=lambda m: m.start)
        return matches


def _sentence_initial(text, token) -> bool:
    before = text[max(0, token.start - 3):token.start].rstrip(" \t\"“'‘«([")
    return not before or before[-1] in ".!?:;\n"


def _first_token(haystack, end_char, length, starts):
    # Walk back over `length` keys from the pattern's trailing space.
    position = end_char  # index of the trailing space
    for _ in range(length):
        position = haystack.rfind(" ", 0, position)
        if position < 0:
            return None
    return starts.get(position + 1)


def _best_alias(entries, window):
    for alias, words in entries:
        if all(_word_matches(w, t) for w, t in zip(words, window)):
            return alias
    return None


def _word_matches(alias_word: names.Token, text_word: names.Token) -> bool:
    if alias_word.is_upper and len(alias_word.text) <= 6 and not alias_word.folded.isdigit():
        # An acronym matches only in capitals: "MEK", not "mek".
        return text_word.text.isupper() and alias_word.folded == text_word.folded
    if alias_word.is_capitalised and not text_word.is_capitalised:
        return False
    return names.same_word(alias_word, text_word)
