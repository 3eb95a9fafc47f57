"""Numeric figures in news text, and when two of them contradict each other.

Pure Python (``re`` only), no Django.  ``extract_figures(text)`` returns the figures of an English
(or, more simply, Persian) article in text order; ``Figure.conflicts_with`` says whether two of them
make incompatible claims about the same thing.  It never raises on a str, and a 1,500-word article
takes a few milliseconds: digit-bound patterns only scan short windows around runs of digits, and
number words are found by one pass over the lowercased text.

How a figure is found
---------------------
1. The text is normalised 1:1 with ``str.translate`` (Persian and Arabic-Indic digits, the Arabic
   thousands/decimal separators and percent sign become ASCII), so every offset found in the
   normalised text is valid in the original and ``quote == text[start:end]``.
2. Spans that hold numbers but no figures are masked: dates ("27 January 2022", "January 27",
   "27/01/2022", "2022-01-27", Persian month names), times ("10:30", "3 p.m.", and "at 9" unless a
   level verb precedes: "stood at 12"), phone numbers, document and legal numbering ("Article 6",
   "articles 6 and 7(1)", "resolution 77/228", "¶155", "No. 5", "page 12", "Ward 209" ...),
   version strings ("1.2.3", "Python 3.11"), URLs, e-mail addresses, list markers, footnotes.
3. Number *atoms*: digits with separators (``30,000``, ``30000``, ``1.234.567``; ``2.277`` is read
   as 2277 only when the text uses no comma thousands separator and a plural noun follows),
   decimals and scale words (``2.5 million``), number words (``twenty-five``, ``four hundred``,
   ``two dozen``, ``half a million``), vague words (``hundreds``, ``tens of thousands``,
   ``several thousand``, Persian ``هزاران``), with an optional currency sign and percent.  Atoms
   glued to letters ("G7", "COVID-19", "27th", "1980s", "A/HRC/52/67") are dropped.  A bare
   "one" is a figure only with a qualifier ("at least one child") or in a range: "one of the",
   "no one", "one day" are too common to be counts.
4. Adjacent atoms joined by "-", "–", "to", "or", "between … and", "from … to" (Persian "تا") form
   a *range* when ascending; "rose from 582 to 834" is a change, so two figures.  "one in five"
   is a ratio, not a figure.
5. Years: a plain 4-digit number 1900-2099 (1300-1499 written in Persian digits) is a year, unless
   a plural count noun follows it *and* no year-ish word ("the", "in", "since", "during" ...)
   precedes it *and* the same number is not used as a year elsewhere in the text ("killed 2000
   people" is a figure; "over 1988 executions" in an article about 1988 is not).  Years are never
   figures: they are the *periods* of figures.
6. Qualifier words before the number (and "or more", "or so", "+" after it) set the qualifier.
   The noun phrase after it is ``counts`` (``_noun_phrase``): modifiers up to a plural-looking head
   noun, stopping at prepositions, determiners, common verbs, punctuation, or an "and" after the
   head ("463 current and former UN officials and rapporteurs" -> "current and former UN
   officials").  Vague words skip "of" ("thousands of political prisoners").  Partitives ("12 of
   the 30", "two of them", "12 out of 30") have ``counts=None``.  Percentages count "percent",
   money "dollars"/"euros"/….
   Hyphenated compounds ("17-year-old", "eight-year war") are figures with ``counts=None``.
7. A bare number after a determiner ("The 462 called on ...", "of the 463,") takes the counts of
   the nearest preceding figure that counts something other than a unit.  Other bare numbers
   ("Amnesty counted 853.", "rose from 582 to 834") keep ``counts=None``: guessing there made
   false conflicts.
8. The period is the year (or year range: "2023–2024", "between 2019 and 2023", "2023-24", "the
   1980s") of the same sentence nearest to the figure, counting clause boundaries crossed
   (commas, semicolons, brackets, "while", "but" ...) first, then characters.  A year of
   comparison in another clause ("…, the highest number since 2015") is not a period.

Intervals and conflicts
-----------------------
``low``/``high`` are the hard bounds of the statement (None = unbounded):

=============  ==========================================================
exact N        [N, N]   (compared with a rounding tolerance, see below)
over N         (N, None)
at least N     [N, None)
about N        [N / 1.5, N * 1.5];  "nearly/almost N": [N / 1.25, N]
up to N        [0, N]
fewer than N   [0, N)
range A-B      [A, B]   (``value`` is A)
vague          2 x unit .. 100 x unit: hundreds [200, 10,000], thousands [2,000, 100,000];
               "several/a few thousand": 2 x .. 20 x unit
=============  ==========================================================

An exact figure that ends in two or more zeros is taken as rounded to its last significant digit
(5,000 -> 4,500..5,500; 2.5 million -> 2.45m..2.55m; 463 stays 463); counts in dozens get +-25 %.

``a.conflicts_with(b)`` is true when ``a.same_thing(b)`` and

* their hard intervals are disjoint ("463" vs "462", "over 2,000" vs "less than 1,000"), except
  that a count below a vague plural ("hundreds of journalists" … "two journalists") is read as a
  named subset, not a contradiction; or
* both are *anchored* (exact, over, about, a range) and their soft intervals are disjoint.  The
  soft interval of "over N" is (N, 3N] (``SOFT_OVER_FACTOR``): "over 30,000" and "over 300" claim
  magnitudes far apart, as do "over 300" and "2,800 to 3,800".  Exact, about and ranges keep their
  hard intervals.  "at least" (an open floor), "up to", "fewer than" and vague words only ever use
  their hard interval, so "at least 5,000" vs "up to 30,000" and "thousands" vs "over 300" do not
  conflict.

``same_thing``: both have counts, same head noun (singular lemma, case-insensitive:
prisoners ~ prisoner, people ~ persons), one modifier set contains the other ("political
prisoners" ~ "prisoners", but not ~ "juvenile prisoners"), no incremental modifier ("20 more
prisoners", "other", "new", "remaining"), periods equal or one unknown, and the head is not a unit
(percent, durations and ages, money, distances, "times", lashes): units never conflict.

Figures made by ``extract_figures`` also carry a private ``_context`` (an optional last field
left out of equality, repr and ``as_dict``; ``dataclasses.replace`` keeps it; figures built by
hand, such as registry figures, have none).  ``same_thing`` is also false when

* both figures come from a text and one is a *part* of another total, an increment or a rate:
  "…, including 10 children", "of these, 471 people …", "among those executed were 30 women",
  "another 18 cases", "the remaining 20 prisoners", "3 people a day" (compared with a figure
  made by hand, or with itself, a part is an ordinary count);
* their *events* differ: the nearest event word of the same clause, within 60 characters
  (executed/hanged, killed/died/massacre, arrested/detained, injured, released, sentenced,
  disappeared, displaced, tortured, signed, charged): "executed 1,000 people" is not the same
  thing as "arrested 14,000 people";
* their relative *time windows* differ ("this year", "the past 24 hours", "in 9 months",
  "since January"), or one has such a window and the other a year ("last year" vs "in 2023").

Known limitations: no part-of-speech tagging (a verb ending in -s right after a number can pass
for a plural noun; a list of common verbs limits this); events are a small English lexicon looked
for near the figure only; subsets named after the noun ("96 protesters in Zahedan" vs "500
protesters") are not told from totals; a period is only found in the figure's own sentence, and
dates ("on 30 September") are not time windows; a bare number without a determiner ("Amnesty
counted 853.") counts nothing, so it never conflicts; Persian support is digits, separators,
dates, scale and vague words, a few qualifiers, and one-word counts; Persian solar years ("1367")
and Gregorian years ("1988") are different periods.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .names import DIGITS

__all__ = ["QUALIFIERS", "Figure", "extract_figures", "parse_number"]

QUALIFIERS = ("exact", "over", "at least", "about", "up to", "fewer than", "range", "vague")

#: soft upper bound of "over N", as a multiple of N (used only between anchored figures)
SOFT_OVER_FACTOR = 3.0
#: "about N" spans N / ABOUT_FACTOR .. N * ABOUT_FACTOR
ABOUT_FACTOR = 1.5
#: "nearly/almost N" spans N / NEARLY_FACTOR .. N
NEARLY_FACTOR = 1.25
#: vague plural "hundreds" spans VAGUE_LOW x 100 .. VAGUE_HIGH x 100
VAGUE_LOW, VAGUE_HIGH = 2, 100
#: "several hundred", "a few thousand": FEW_LOW x unit .. FEW_HIGH x unit
FEW_LOW, FEW_HIGH = 2, 20

_ANCHORED = frozenset({"exact", "over", "about", "range"})
#: qualifiers of a count that, below a vague plural, most likely names a subset of it
_NAMES_SUBSET = frozenset({"exact", "over", "at least", "about", "range"})
_INF = math.inf

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_TRANSLATE = str.maketrans(DIGITS)
_FOREIGN_DIGITS = frozenset("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")
_FOREIGN_RE = re.compile("[۰-۹٠-٩٬٫٪]")

# --------------------------------------------------------------------------------------------
# Number atoms
# --------------------------------------------------------------------------------------------

_SMALL_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALE_WORDS = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "هزار": 1_000, "میلیون": 1_000_000, "میلیارد": 1_000_000_000,
    "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "k": 1_000,
}
_NUMBER_WORDS = frozenset(_SMALL_WORDS) | frozenset(_TENS_WORDS) | {
    "hundred", "thousand", "million", "billion", "trillion", "dozen", "dozens", "hundreds",
    "thousands", "millions", "billions", "tens", "scores", "several", "few", "half",
}

_SMALL_RE = "|".join(sorted(_SMALL_WORDS, key=len, reverse=True))
_TENS_RE = "|".join(_TENS_WORDS)
_UNIT19_RE = "one|two|three|four|five|six|seven|eight|nine"
_SCALES_RE = "hundred|thousand|million|billion|trillion"
_NW = rf"(?:(?:{_TENS_RE})(?:[-\s](?:{_UNIT19_RE})\b)?|(?:{_SMALL_RE}))\b"
_WTOK = rf"(?:{_NW}|(?:{_SCALES_RE}|dozen)\b)"
_WORDS = (
    rf"(?:(?:an?|half\s+a)\s+(?:{_SCALES_RE}|dozen)\b|{_NW})"
    rf"(?:(?:\s+|\s*-\s*|\s+and\s+){_WTOK})*"
)
_VAGUE = (
    r"(?:(?:tens|hundreds|dozens)\s+of\s+(?:thousands|millions|billions)"
    r"|(?:several|a\s+few|a\s+couple\s+of)\s+(?:dozen|hundred|thousand|million|billion)"
    r"|dozens|scores(?=\s+of\b)|hundreds|thousands|millions|billions|tens(?=\s+of\b))\b"
    r"|هزاران|صدها|ده\u200cها|دهها|میلیون\u200cها|میلیونها"
)
_DIGITS = (
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
    r"|[0-9]{1,3}(?:\.[0-9]{3}){2,}"
    r"|[0-9]{1,3}(?:[\u00a0\u202f\u2009][0-9]{3})+"
    r"|[0-9]+(?:\.[0-9]+)?)(?![0-9])"
)
_CUR = r"(?:US\$|A\$|C\$|\$|€|£|USD\s?|EUR\s?|GBP\s?|IRR\s?)"
_SCALE_AFTER = (
    rf"(?:\s*(?:{_SCALES_RE})\b|(?:bn|mn|m|k)\b|\s*(?:هزار|میلیون|میلیارد)(?![\w\u200c]))"
)
_PCT = r"(?:\s?%|\s+per\s?cent\b|\s+percent\b|\s*درصد)"

_DIGIT_ATOM_RE = re.compile(
    rf"(?P<cur>{_CUR})?(?P<dig>{_DIGITS})(?P<scale>{_SCALE_AFTER})?(?P<pct>{_PCT})?", re.I
)
# word atoms are matched in ASCII-lowercased text, only where _WORD_START_RE found a candidate
_WORD_ATOM_RE = re.compile(rf"(?P<vague>{_VAGUE})|(?P<words>{_WORDS})(?P<wpct>{_PCT})?")


def _first_letter_alternation(words: list[str]) -> str:
    """ "one|two|ten" -> "o(?:ne)|t(?:wo|en)": lets the regex engine reject a position fast."""
    by_first: dict[str, list[str]] = {}
    for w in words:
        by_first.setdefault(w[0], []).append(w[1:])
    return "|".join(
        f"{k}(?:{'|'.join(sorted(v, key=len, reverse=True))})" for k, v in by_first.items()
    )


_WORD_START_RE = re.compile(
    r"\b(?:"
    + _first_letter_alternation(
        list(_SMALL_WORDS) + list(_TENS_WORDS)
        + ["half", "several", "dozens", "scores", "hundreds", "thousands", "millions",
           "billions", "tens"]
    )
    + r"|a(?=\s+(?:hundred|thousand|million|billion|trillion|dozen|few|couple)\b))\b"
    r"|هزاران|صدها|ده\u200cها|دهها|میلیون"
)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_DIGIT_RUN_RE = re.compile(r"[0-9]+")
#: characters scanned around digits for dates, legal numbering, currency signs, scale words
_PAD_BEFORE, _PAD_AFTER = 16, 16
_WORD_TOKEN_RE = re.compile(r"[a-z]+", re.I)
_COMMA_THOUSANDS_RE = re.compile(r"[0-9],[0-9]{3}(?![0-9])")
_COMMA_GROUPS_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_DECIMAL_COMMA_RE = re.compile(r"[0-9]+,[0-9]+")
_DOT3_RE = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}")  # "2.277": decimal, or European 2277?
_CURRENCY_NAMES = {"$": "dollars", "US$": "US dollars", "A$": "Australian dollars",
                   "C$": "Canadian dollars", "€": "euros", "£": "pounds", "USD": "US dollars",
                   "EUR": "euros", "GBP": "pounds", "IRR": "rials"}

_VAGUE_UNITS = {
    "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
    "billions": 1_000_000_000, "tens": 10,
    "هزاران": 1_000, "صدها": 100, "ده\u200cها": 10, "دهها": 10,
    "میلیون\u200cها": 1_000_000, "میلیونها": 1_000_000,
}


# Persian number words: "سه هزار", "دو هزار و پانصد", "پانصد", "چهل و دو" ---------------------------

_FA_UNITS = {"یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "نه": 9,
             "ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13, "چهارده": 14, "پانزده": 15,
             "شانزده": 16, "هفده": 17, "هجده": 18, "هیجده": 18, "نوزده": 19,
             "بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50, "شصت": 60, "هفتاد": 70, "هشتاد": 80,
             "نود": 90, "صد": 100, "یکصد": 100, "دویست": 200, "سیصد": 300, "چهارصد": 400,
             "پانصد": 500, "ششصد": 600, "هفتصد": 700, "هشتصد": 800, "نهصد": 900}
_FA_SCALES = {"هزار": 1_000, "میلیون": 1_000_000, "میلیارد": 1_000_000_000}
_FA_WORD = "|".join(sorted(list(_FA_UNITS) + list(_FA_SCALES), key=len, reverse=True))
_FA_WORD_HINT_RE = re.compile(r"(?<![\u0600-\u06ff\u200c])(?:" + _FA_WORD + r")(?![\u0600-\u06ff\u200c])")
_FA_WORDS_RE = re.compile(
    r"(?<![\u0600-\u06ff\u200c0-9])(?:" + _FA_WORD + r")(?:\s+(?:و\s+)?(?:" + _FA_WORD + r"))*"
    r"(?![\u0600-\u06ff\u200c])"
)
_FA_NOUN_AFTER_RE = re.compile(r"\s+([\u0600-\u06ff\u200c]+)")


def _persian_word_atoms(t: str) -> list:
    """Atoms of Persian number words. A lone small word ("یک", "ده" -- also "a" and "village")
    counts only before a counted noun ("ده نفر"); a scale or a hundred always does."""
    out = []
    for m in _FA_WORDS_RE.finditer(t):
        words = [w for w in m.group(0).split() if w != "و"]
        total = current = 0
        ok = True
        for w in words:
            if w in _FA_SCALES:
                total += (current or 1) * _FA_SCALES[w]
                current = 0
            elif w in _FA_UNITS:
                current += _FA_UNITS[w]
            else:
                ok = False
        value = total + current
        if not ok or not value:
            continue
        noun = _FA_NOUN_AFTER_RE.match(t, m.end())
        counted = bool(noun and noun.group(1) in _FA_COUNT_WORDS)
        strong = any(_FA_UNITS.get(w, 0) >= 100 for w in words) or (len(words) >= 2 and words[0] in _FA_UNITS)
        if not (strong or counted):
            continue  # "یک روستا", "ده" (a village), "هزار" alone (also "a thousand and one")
        a = _Atom()
        a.start = a.num_start = m.start()
        a.end = m.end()
        a.kind, a.raw, a.value, a.base = "words", m.group(0), float(value), float(value)
        a.scaled = any(w in _FA_SCALES for w in words)
        out.append(a)
    return out


class _Atom:
    """One number as matched, before ranges, years and qualifiers are worked out."""

    __slots__ = ("start", "end", "num_start", "value", "base", "kind", "scaled", "pct", "cur",
                 "plain4", "foreign", "dot3", "raw", "vague_low", "vague_high", "abbr")

    def __init__(self):
        self.scaled = False
        self.pct = False
        self.cur = None
        self.plain4 = False
        self.foreign = False
        self.dot3 = False
        self.abbr = False
        self.vague_low = self.vague_high = None


def _parse_digits(s: str, european: bool | None) -> float | None:
    """Digits with separators -> float.  ``european``: True/False/None (None = guess from s)."""
    s = s.replace("\u00a0", "").replace("\u202f", "").replace("\u2009", "")
    try:
        if "," in s:
            if _COMMA_GROUPS_RE.fullmatch(s):
                return _finite(float(s.replace(",", "")))
            if _DECIMAL_COMMA_RE.fullmatch(s):  # European decimal comma "2,5"
                return _finite(float(s.replace(",", ".")))
            return None
        if s.count(".") >= 2:
            if _EURO_GROUPS_RE.fullmatch(s):
                return _finite(float(s.replace(".", "")))
            return None
        if "." in s:
            whole, frac = s.split(".")
            if european is None:
                european = len(frac) == 3 and whole != "0" and not whole.startswith("0")
            if european and len(frac) == 3 and 1 <= len(whole) <= 3:
                return _finite(float(whole + frac))
        return _finite(float(s)) if s else None
    except ValueError:
        return None


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _parse_words(tokens: list[str]) -> tuple[float | None, int]:
    """Value of the longest valid prefix of number-word tokens, and how many tokens it used."""
    total = current = 0.0
    last = None  # kind of the previous token
    last_scale = _INF
    best: tuple[float | None, int] = (None, 0)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in ("a", "an") and i == 0:
            current, last = 1, "a"
        elif tok == "half" and i == 0 and len(tokens) > 1 and tokens[1] == "a":
            current, last = 0.5, "a"
            i += 1
        elif tok in _SMALL_WORDS:
            v = _SMALL_WORDS[tok]
            if last == "tens" and 1 <= v <= 9:
                current += v
            elif last in (None, "hundred", "scale", "and"):
                current += v
            else:
                break
            last = "small"
        elif tok in _TENS_WORDS:
            if last not in (None, "hundred", "scale", "and"):
                break
            current += _TENS_WORDS[tok]
            last = "tens"
        elif tok == "hundred":
            if last not in ("small", "tens", "a") or current >= 100:
                break
            current *= 100
            last = "hundred"
        elif tok in ("thousand", "million", "billion", "trillion"):
            scale = _SCALE_WORDS[tok]
            if last not in ("small", "tens", "a", "hundred") or scale >= last_scale:
                break
            total += current * scale
            current, last, last_scale = 0, "scale", scale
        elif tok == "dozen":
            if last not in ("small", "a") or total or current >= 100:
                break
            best = ((total + current) * 12, i + 1)
            break
        elif tok == "and":
            if last not in ("hundred", "scale"):
                break
            last = "and"
        else:
            break
        if last in ("small", "tens", "hundred", "scale"):
            best = (total + current, i + 1)
        i += 1
    return best


def parse_number(s: str) -> float | None:
    """A number as written -> float, or None.

    "30,000" -> 30000; "2.277" -> 2277 (a single dot followed by exactly three digits is read as
    a European thousands separator; use extract_figures for context-aware reading); "2.5" -> 2.5;
    "۳۰٬۰۰۰" -> 30000; "2.5 million" -> 2500000; "two dozen" -> 24; "forty percent" -> 40;
    vague words ("thousands") and anything else -> None.  Never raises.
    """
    if not isinstance(s, str):
        return None
    t = s.translate(_TRANSLATE).strip()
    m = _DIGIT_ATOM_RE.fullmatch(t) or _WORD_ATOM_RE.fullmatch(t.translate(_ASCII_LOWER))
    if not m:
        return None
    try:
        atom = _make_atom(m, european=None)
    except Exception:  # pragma: no cover - defensive
        return None
    if atom is None or atom.kind == "vague" or atom.end != len(t):
        return None
    return atom.value


def _make_atom(m: re.Match, european: bool | None) -> _Atom | None:
    """An atom from a match of _DIGIT_ATOM_RE or _WORD_ATOM_RE; None if it is no valid number."""
    a = _Atom()
    a.start, a.end = m.start(), m.end()
    if "dig" in m.re.groupindex:
        raw = m.group("dig")
        a.kind, a.raw, a.num_start = "digits", raw, m.start("dig")
        a.cur = m.group("cur")
        a.dot3 = bool(_DOT3_RE.fullmatch(raw))
        value = _parse_digits(raw, european if a.dot3 else False)
        if value is None:
            return None
        a.base = value
        scale = m.group("scale")
        if scale:
            key = scale.strip().lower()
            a.abbr = key in ("m", "mn", "bn", "k")
            value *= _SCALE_WORDS.get(key, 1)
            a.scaled = True
        a.pct = bool(m.group("pct"))
        a.plain4 = len(raw) == 4 and raw.isdigit() and not (scale or a.pct or a.cur)
        a.value = _finite(value)
        if a.value is None:
            return None
        return a
    if m.group("vague") is not None:
        a.kind, a.raw, a.num_start = "vague", m.group("vague"), m.start("vague")
        a.value = None
        words = a.raw.lower().split()
        if len(words) >= 3 and words[1] == "of":  # tens/hundreds of thousands
            unit = _VAGUE_UNITS.get(words[0], 10) * _VAGUE_UNITS.get(words[2], 1000)
            a.vague_low, a.vague_high = VAGUE_LOW * unit, VAGUE_HIGH * unit
        elif words[0] in ("several", "a", "few"):
            unit = _SCALE_WORDS.get(words[-1], 12 if words[-1] == "dozen" else 1)
            a.vague_low, a.vague_high = FEW_LOW * unit, FEW_HIGH * unit
        else:
            unit = _VAGUE_UNITS.get(words[0], _VAGUE_UNITS.get(a.raw, 10))
            a.vague_low, a.vague_high = VAGUE_LOW * unit, VAGUE_HIGH * unit
        return a
    raw = m.group("words")
    toks = list(_WORD_TOKEN_RE.finditer(raw))
    value, used = _parse_words([x.group(0).lower() for x in toks])
    if value is None or used == 0:
        return None
    a.kind, a.num_start = "words", m.start("words")
    a.raw = raw[: toks[used - 1].end()]
    a.value = float(value)
    a.scaled = any(x.group(0).lower() in _SCALE_WORDS for x in toks[:used])
    if used == len(toks) and m.group("wpct"):
        a.pct = True
    else:
        a.end = a.num_start + len(a.raw)
    return a


# --------------------------------------------------------------------------------------------
# Masks: spans whose numbers are not figures
# --------------------------------------------------------------------------------------------

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_FA_MONTH = (
    "فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند"
    "|ژانویه|فوریه|مارس|آوریل|مه|ژوئن|ژوئیه|اوت|سپتامبر|اکتبر|نوامبر|دسامبر"
)
_DATE_RES = [
    re.compile(rf"\b[0-9]{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*[0-9]{{1,2}}(?:st|nd|rd|th)?)?"
               rf"(?:\s+of)?\s+{_MONTH}(?![a-z])(?:,?\s+[0-9]{{4}}(?![0-9]))?"),
    re.compile(rf"\b{_MONTH}\s+[0-9]{{1,2}}(?:st|nd|rd|th)?(?![0-9]|,[0-9]{{3}})"
               rf"(?:\s*[-–]\s*[0-9]{{1,2}}(?![0-9]))?(?:,?\s+[0-9]{{4}}(?![0-9]))?"),
    re.compile(r"(?<![0-9.,/])[0-9]{1,4}(?P<sep>[/.-])[0-9]{1,2}(?P=sep)[0-9]{1,4}(?![0-9])"),
    re.compile(rf"(?<![0-9])[0-9]{{1,2}}\s+(?:{_FA_MONTH})(?![\w])"
               r"(?:\s+(?:ماه\s+)?(?:سال\s+)?[0-9]{4})?"),
    # Persian years written short: "تابستان ۶۷", "سال ۸۸", "دهه ۶۰"
    re.compile(r"(?:سال|تابستان|زمستان|بهار|پاییز|دهه|کشتار|قتل\u200cعام|قتل\s+عام|قربانیان)\s+[0-9]{2}(?![0-9])"),
]
_TIME_RES = [
    re.compile(r"(?<![0-9])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:\s*(?:[ap]\.?m\.?|GMT|UTC))?",
               re.I),
    re.compile(r"(?<![0-9.,])[0-9]{1,2}(?:\.[0-9]{2})?\s*"
               r"(?:a\.m\.|p\.m\.|am\b|pm\b|o['’]clock|hrs\b|GMT\b|UTC\b)", re.I),
]
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+[0-9]{1,3}[\s.-]*)?(?:\([0-9]{1,5}\)[\s.-]*)?"
    r"[0-9]{2,5}(?:[\s.-][0-9]{2,5}){1,5}(?![\w])"
)
_NUMITEM = r"[0-9]+[a-z]?(?:\([0-9a-z]{1,4}\))*(?:[/.][0-9]+)*"
_NUMCHAIN = rf"{_NUMITEM}(?:(?:\s*,\s*{_NUMITEM})*\s*,?\s*(?:and|or|to|&|-|–|—)\s*{_NUMITEM})?"
_LEGAL_RES = [
    re.compile(
        r"(?<![\w])(?:articles?|arts?\.|paragraphs?|paras?\.?|resolutions?|res\.|sections?|secs?\."
        r"|rules?|chapters?|ch\.|pages?|pp?\.|clauses?|principles?|protocols?|annex(?:es)?"
        r"|volumes?|vols?\.|footnotes?|amendments?|verses?|version|v\.|release|[¶§]+|nos?\.|№|#)"
        rf"\s*{_NUMCHAIN}",
        re.I,
    ),
    re.compile(
        r"(?<![\w])(?:Figure|Fig\.|Table|Box|Goal|SDG|Part|Ward|Flight|Decision|Session|Note|Line"
        r"|Law|Item|Block|Cell|Hall|Room|Building|Route|Unit|Level|Phase|Step|Book|Title|Act"
        r"|Case|File|Decree|Bill|Channel|Platform|Gate|Terminal|Highway|Road|Street|Bus|Train)"
        rf"\s+{_NUMCHAIN}"
    ),
    # "بند ۲۰۹" (ward 209, clause 2); not "این بند ۲۰۰ زندانی" (this ward: 200 prisoners)
    re.compile(rf"(?<!این )(?<!آن )(?<!همین )(?<!هر )(?:ماده|اصل|بند|تبصره|قطعنامه)\s*{_NUMCHAIN}"),
]
_VERSION_RE = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+){2,}(?![0-9.])")
# each starts with a literal, which lets the regex engine skip ahead fast
_URL_RES = (re.compile(r"://\S+"), re.compile(r"www\.\S+"), re.compile(r"WWW\.\S+"),
            re.compile(r"\]\([^)\s]*\)"))
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+")
_LIST_MARKER_RE = re.compile(r"^[ \t]*[0-9]{1,3}[.)](?=[ \t])", re.M)
_FOOTNOTE_RE = re.compile(r"\[[0-9]{1,3}\]|\[\^[^\]]*\]")
_DECADE_RE = re.compile(r"(?<![\w])((?:19|20)[0-9]0)['’]?s\b")

_PHONE_SEP_RE = re.compile(r"[0-9][\s.-]+(?=[0-9])")
_EURO_GROUPS_RE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_DATE_MASK, _OTHER_MASK = 1, 2
#: how far (characters) a figure's sentence is looked for, and its event and time window
_SENTENCE_REACH, _EVENT_REACH = 600, 60


def _digit_segments(t: str) -> list[tuple[int, int]]:
    """Merged windows around runs of digits: only there can a mask or a digit atom start."""
    segs: list[list[int]] = []
    n = len(t)
    for m in _DIGIT_RUN_RE.finditer(t):
        s, e = max(0, m.start() - _PAD_BEFORE), min(n, m.end() + _PAD_AFTER)
        if segs and s <= segs[-1][1]:
            segs[-1][1] = e
        else:
            segs.append([s, e])
    return [(s, e) for s, e in segs]


def _union(regexes: list[re.Pattern]) -> re.Pattern:
    """One alternation of several patterns (each keeps its own flags), to scan a segment once."""
    parts = []
    for rx in regexes:
        flags = "".join(f for f, bit in (("i", re.I), ("m", re.M)) if rx.flags & bit)
        parts.append(f"(?{flags}:{rx.pattern})" if flags else f"(?:{rx.pattern})")
    return re.compile("|".join(parts))


_SEGMENT_MASKS = (
    (_union(_DATE_RES + _TIME_RES), _DATE_MASK),
    (_union(_LEGAL_RES + [_LIST_MARKER_RE, _FOOTNOTE_RE]), _OTHER_MASK),
)


def _masks(t: str, segments: list[tuple[int, int]]) -> bytearray:
    mask = bytearray(len(t))

    def put(s: int, e: int, kind: int) -> None:
        mask[s:e] = bytes([kind]) * (e - s)

    for seg_start, seg_end in segments:
        for rx, kind in _SEGMENT_MASKS:
            for m in rx.finditer(t, seg_start, seg_end):
                put(m.start(), m.end(), kind)
        for m in _PHONE_RE.finditer(t, seg_start, seg_end):
            s = m.group(0)
            digits = sum(ch.isdigit() for ch in s)
            if digits < 8:
                continue
            seps = len(_PHONE_SEP_RE.findall(s))
            if (s[0] in "+(" or (s[0] == "0" and digits >= 9) or s.count("-") >= 2
                    or (seps >= 3 and "," not in s)):
                put(m.start(), m.end(), _OTHER_MASK)
        for m in _VERSION_RE.finditer(t, seg_start, seg_end):
            if not _EURO_GROUPS_RE.fullmatch(m.group(0)):
                put(m.start(), m.end(), _OTHER_MASK)
    for rx in _URL_RES:
        for m in rx.finditer(t):
            s = m.start()
            while s > 0 and t[s - 1] in _SCHEME_CHARS and m.group(0)[0] == ":":
                s -= 1
            put(s, m.end(), _OTHER_MASK)
    if "@" in t:
        for m in _EMAIL_RE.finditer(t):
            put(m.start(), m.end(), _OTHER_MASK)
    return mask


# --------------------------------------------------------------------------------------------
# Words around a number
# --------------------------------------------------------------------------------------------

_QUAL_PHRASES = {
    "over": ("more than", "over", "above", "in excess of", "upwards of", "upward of",
             "exceeding", "بیش از", "بیش\u200cاز", "بیشتر از", "بالغ بر"),
    "at least": ("at least", "no fewer than", "no less than", "not less than", "not fewer than",
                 "a minimum of", "at minimum", "دست\u200cکم", "دستکم", "دست کم", "حداقل",
                 "لااقل"),
    "about": ("about", "around", "some", "approximately", "approx.", "roughly", "an estimated",
              "estimated at", "estimated", "close to", "circa", "nearly", "almost",
              "حدود", "حدوداً", "حدودا", "تقریباً", "تقریبا", "نزدیک به", "قریب به"),
    "up to": ("up to", "as many as", "as high as", "a maximum of", "no more than",
              "not more than", "at most", "at the most", "حداکثر", "تا"),
    "fewer than": ("fewer than", "less than", "under", "below", "کمتر از"),
}
_QUAL_OF = {p: q for q, ps in _QUAL_PHRASES.items() for p in ps}
_BELOW_ABOUT = frozenset({"nearly", "almost"})
_QUAL_RE = re.compile(
    r"(?:(?<![\w])(?:well|just|slightly|far|much|considerably|significantly|substantially"
    r"|possibly|perhaps|probably|likely)\s+)?(?<![\w])(?P<q>"
    + "|".join(re.escape(p).replace(r"\ ", r"\s+")
               for p in sorted(_QUAL_OF, key=len, reverse=True))
    + r")\s*\Z",
    re.I,
)
_POSTFIX_RE = re.compile(
    r"(?:\s+or\s+(?P<more>more|above|over)|\s+or\s+(?P<so>so)|\s+or\s+(?P<less>fewer|less)"
    r"|(?P<plus>\+|-plus\b|\s+plus\b))(?![\w])",
    re.I,
)
_RANGE_INTRO_RE = re.compile(r"(?<![\w])(?P<w>between|from)\s*\Z", re.I)
_CHANGE_RE = re.compile(
    r"(?<![\w])(?:rose|risen|rising|rises|rise|increased|increases|increase|increasing|jumped"
    r"|jumps|climbed|climbs|climbing|grew|grown|growing|fell|fallen|falling|falls|dropped"
    r"|dropping|declined|declining|decreased|decreasing|surged|soared|doubled|tripled|went"
    r"|up|down|reduced|cut|raised|lowered|revised|moved|shrank|swelled|plunged|plummeted"
    r"|changed|an increase|a rise|a fall|a drop)(?![\w])[^,.;:!?]*\Z",
    re.I,
)
_BASELINE_RE = re.compile(
    r"(?<![\w])(?:up|down)\s+from\s*\Z|(?<![\w])(?:compared\s+(?:with|to)|as\s+against|versus"
    r"|vs\.?|than)\s*\Z",
    re.I,
)
_CONNECTOR_RE = re.compile(
    r"\s*(?P<c>-|–|—|‑|to|and|or|تا)\s*"
    r"(?:(?:about|around|roughly|approximately|some|nearly|almost)\s+)?",
    re.I,
)
_DETERMINER_RE = re.compile(
    r"(?<![\w])(?:the|these|those|all|both|all\s+the|all\s+of\s+the|of\s+the|such)\s+\Z", re.I
)
_YEAR_PREV = frozenset("""
the a an this that these those its their his her our your my in since during until till
by from after before between and to through circa c early mid late summer winter spring autumn
fall year years since 's ’s around
""".split())
_SEASON_OF_RE = re.compile(
    r"(?<![\w])(?:summer|winter|spring|autumn|fall|year|end|beginning|start|middle|events|month"
    r"|January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+of\s+\Z", re.I)
_AT_LEVEL_WORDS = frozenset("""
stood stands stand standing put puts putting estimated estimates estimate set sets placed
places pegged capped remained remains remain is was were are be been being fixed totalled
totaled total toll number count figure peaked peak rate
""".split())
_OF_RE = re.compile(r"[ \t\u00a0]+of(?=[ \t\u00a0])", re.I)
_PARTITIVE_AFTER_OF = frozenset("""
the these those them us you whom which its their his her our your my all both each such this
that it
""".split())
_COPULA_RE = re.compile(r"[ \t\u00a0]+(?:were|are|was|is)[ \t\u00a0]+", re.I)
_SUBSET_INTRO_RE = re.compile(
    r"(?<![\w])(?:including|includes|included|such\s+as|among\s+(?:them|whom|these|those|which)"
    r"|another|an\s+additional|a\s+further|additional|further|(?:the\s+)?remaining|the\s+other"
    r"|of\s+(?:these|those|them|whom|which|this\s+number|the\s+total)(?:\s+\w+)?)\s*[,:]?\s*\Z",
    re.I,
)
_NAME_BEFORE_RE = re.compile(r"(?<![\w])[A-Z][\w+#-]*\s+\Z")
_PER_RE = re.compile(r"(?<![\w])per\s*\Z", re.I)
_RATIO_GAP_RE = re.compile(r"\s+in\s+", re.I)
_OUT_OF_RE = re.compile(r"\s+out\s+of\s", re.I)
_HYPHEN_COMPOUND_RE = re.compile(r"-[^\W\d_][\w]*(?:-[^\W\d_][\w]*)*")
_FRACTION_OR_ORDINAL = re.compile(
    r"-(?:half|halves|third|thirds|quarter|quarters|fifths?|sixths?|sevenths?|eighths?|ninths?"
    r"|tenths?|first|second|fourth|fifth|sixth|seventh|eighth|ninth|tenth|odd)\b",
    re.I,
)

# Noun phrases -------------------------------------------------------------------------------

_NP_TOKEN_RE = re.compile(r"[ \t\u00a0]+([^\W\d_](?:[\w'’\u200c-]*[\w'’])?)")
_STOP_WORDS = frozenset("""
the a an this that these those his her their its our my your some any no each every either
neither of in on at by for from to with without into onto over under about against among amongst
between during since until after before across through throughout per via within including like
than as upon toward towards near behind beyond outside inside amid despite following according
versus vs but nor so yet if because while whereas although though when where who whom whose which
what whether how why he she it they we you i him them us me and or
is are was were be been being have has had do does did will would shall should can could may
might must said says say called calls urged urges told tells added adds asked asks signed wrote
demanded included includes include remain remains remained took take takes died left gave got
went came made make makes also not never still only just even already now then there here all
both more less most least each alone since ago later earlier last next
face remain await risk die say claim seem appear continue serve suffer fear belong require lack
receive hold held need live stand wait
""".split()) - {"more"}
_IRREGULAR_PLURALS = {
    "people": "person", "persons": "person", "men": "man", "women": "woman",
    "children": "child", "police": "police", "staff": "staff", "personnel": "personnel",
    "clergy": "clergy", "youth": "youth", "folk": "folk", "cattle": "cattle", "feet": "foot",
    "teeth": "tooth", "mice": "mouse", "geese": "goose", "dead": "dead", "wounded": "wounded",
    "injured": "injured", "missing": "missing", "disappeared": "disappeared",
    "displaced": "displaced", "detained": "detained", "crew": "crew", "kin": "kin",
}
_NOT_PLURAL = frozenset("""
this his is was has does goes its us as yes always perhaps across unless less thus whereas
besides sometimes news series species various numerous famous previous serious dangerous
afterwards towards nowadays overseas whereas says remains shows means includes calls urges
asks makes takes gives seems appears becomes represents marks continues faces stands sits puts
gets needs wants helps claims argues notes adds tells describes explains warns insists
suggests believes states alleges denies confirms reports counts documents lists records estimates
plus minus bus gas yes chaos lens bias atlas thesis analysis crisis basis status census
""".split())
_UNIT_LEMMAS = frozenset("""
percent per-cent % percentage point year month week day hour minute second decade century
time fold km kilometre kilometer mile metre meter cm mm kg kilogram gram tonne ton litre liter
dollar euro pound rial toman lira dinar rupee yuan franc lash age acre hectare
سال ماه روز هفته ساعت دقیقه درصد تومان ریال دلار یورو ساله ضربه
""".split())
_SINGULAR_UNITS = frozenset("""
percent km kg cm mm per-cent year month week day hour minute decade century mile metre meter
""".split())
_FRACTIONS = frozenset("half third quarter fifth sixth seventh eighth ninth tenth".split())
_INCREMENTAL = frozenset({"more", "other", "additional", "further", "new", "another", "extra",
                          "remaining"})
_MODIFIER_NOISE = frozenset({"and", "or", "&", "of", "the", "some"})
_FA_STOP = frozenset("و در از به که را با تا برای این آن هم نیز یا اما ولی".split())
_FA_COUNT_WORDS = frozenset("""نفر تن مورد زندانی کودک زن مرد قربانی امضا دانشجو کارگر معترض فعال
روزنامه‌نگار وکیل شهروند بازداشتی""".split())
_PERSIAN_LETTER_RE = re.compile(r"[\u0600-\u06ff]")

# Sentences and clauses ----------------------------------------------------------------------

_SENT_END_RE = re.compile(r"[.!?؟…\n][\"'”’)\]]*(?:\s|\Z)")  # one charset first: fast
_ABBREV = frozenset("""
mr mrs ms dr prof st no nos art arts para paras vol pp p jan feb mar apr jun jul aug sep sept
oct nov dec e.g i.e etc vs gen col lt sgt rev jr sr co inc ltd approx fig figs cf al
""".split())
_ABBREV_BEFORE_RE = re.compile(r"([\w.]+)\Z")
_CLAUSE_RE = re.compile(
    r"[;:()—–،؛]|,(?![0-9]{3})|(?<![\w])(?:but|while|whereas|although|though|compared|versus"
    r"|however)(?![\w])",
    re.I,
)


# Events and time windows: what happened to what a figure counts, and when -----------------

_EVENTS = {
    # "at risk of execution", "face execution", "on death row": not (yet) executed
    "risk": r"risk|risks|at-risk|facing|faces|face|threatened|threat|death\s+row"
            r"|خطر|در\s+معرض|محکوم\s+به\s+اعدام",
    "execute": r"execut\w*|hang(?:ed|ing|ings|s)?|hung|اعدام(?:\s+شد\w*|\s+کرد\w*)?|به\s+دار",
    "kill": r"kill\w*|murder\w*|massacr\w*|slain|slaughter\w*|died|dead|deaths|die|dying"
            r"|lives|toll|shot|کشته\w*|جان\s+باخت\w*|قتل\s+عام",
    "arrest": r"arrest\w*|detain\w*|detention\w*|imprison\w*|jail\w*|held|custody"
              r"|incarcerat\w*|abduct\w*|kidnap\w*|summon\w*|بازداشت\w*|دستگیر\w*|زندانی\s+شد\w*",
    "injure": r"injur\w*|wound\w*|زخمی|مجروح",
    "release": r"releas\w*|freed|free|pardon\w*|acquit\w*|bail",
    "sentence": r"sentenc\w*|convict\w*|محکوم\w*",
    "disappear": r"disappear\w*|missing",
    "displace": r"displac\w*|fled|flee\w*|refugees?|evict\w*",
    "torture": r"tortur\w*|flog\w*|ill-treat\w*",
    "sign": r"sign\w*",
    "charge": r"charg\w*|indict\w*|prosecut\w*|tried|trials?",
}
_EVENT_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _EVENTS.items()) + r")(?![\w-])"
)
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_SPAN_COUNT = (
    r"(?:[0-9]+|a\s+few|few|several|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|twenty|thirty|forty)"
)
_SPAN_UNIT = r"(?:years?|months?|weeks?|weekend|days?|decades?|hours?|quarter)"
_WINDOW_RE = re.compile(
    r"(?<![\w])(?:(?:(?:in|within|over|during|for)\s+)?"
    r"(?:this|last|past|previous|the\s+(?:past|last|previous|first|same|next))\s+"
    rf"(?:{_SPAN_COUNT}\s+)?{_SPAN_UNIT}"
    rf"|(?:in|within|over|during)\s+{_SPAN_COUNT}\s+{_SPAN_UNIT}"
    rf"|yesterday|today|tonight|overnight|since\s+(?:{_MONTHS})|so\s+far\s+this\s+year"
    r"|(?:since|from)\s+the\s+(?:beginning|start)\s+of\s+the\s+year)(?![\w])",
    re.I,
)
_WINDOW_PREPOSITION_RE = re.compile(r"^(?:in|within|over|during|for)\s+")
_RATE_RE = re.compile(
    r"[ \t\u00a0]+(?:(?:a|per|each|every)[ \t\u00a0]+(?:day|week|month|year|hour)"
    r"|daily|weekly|monthly|annually|a[ \t\u00a0]+year)(?![\w])",
    re.I,
)
_AMONG_RE = re.compile(r"(?<![\w])among(?![\w])[^,;:.()\n]*\Z", re.I)


class _Context(NamedTuple):
    """What extract_figures knows about a figure beyond its fields (see ``same_thing``)."""

    event: str | None = None  # "execute", "kill", "arrest" … nearest in the clause
    part: bool = False  # "including 10 children", "another 18", "3 a day": not a total
    window: str | None = None  # a relative time frame: "this year", "the past 24 hours"


_NO_CONTEXT = _Context()


def _same_window(window: str | None) -> bool:
    """ "the same week": whatever window the text spoke of before."""
    return bool(window) and window.startswith("the same")


def _context_of(f: "Figure") -> _Context:
    ctx = getattr(f, "_context", None)
    return ctx if isinstance(ctx, _Context) else _NO_CONTEXT


# --------------------------------------------------------------------------------------------
# Figure
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    counts: str | None
    quote: str
    start: int
    end: int
    period: str | None = None
    # What extract_figures saw around the figure (see _Context).  Not part of equality, repr or
    # as_dict; dataclasses.replace keeps it; figures made by hand have None.
    _context: _Context | None = field(default=None, compare=False, repr=False)

    def same_thing(self, other: "Figure") -> bool:
        """Do both figures count the same thing (head noun, compatible modifiers and period)?"""
        ka, kb = _count_key(self.counts), _count_key(other.counts)
        if ka is None or kb is None:
            return False
        (head_a, mods_a, inc_a), (head_b, mods_b, inc_b) = ka, kb
        if head_a != head_b or inc_a or inc_b:
            return False
        ca, cb = _context_of(self), _context_of(other)
        if (ca.part or cb.part) and self is not other and ca is not _NO_CONTEXT \
                and cb is not _NO_CONTEXT:
            return False  # "…, including 10 children": a part of another total in this text
        if ca.event and cb.event and ca.event != cb.event:
            return False  # "executed 1,000 people" vs "arrested 14,000 people"
        if ca.window != cb.window and not _same_window(ca.window) and not _same_window(cb.window):
            if ca.window and cb.window:
                return False  # "in the past 24 hours" vs "this year"
            if (ca.window and other.period) or (cb.window and self.period):
                return False  # "last year" vs "in 2023"
        if not (mods_a <= mods_b or mods_b <= mods_a):
            return False
        if self.period and other.period and self.period != other.period:
            return False
        return True

    def conflicts_with(self, other: "Figure") -> bool:
        """Same thing, and values no honest rounding can reconcile (see the module docstring)."""
        if not self.same_thing(other):
            return False
        hard_a, hard_b = _interval(self, soft=False), _interval(other, soft=False)
        if _disjoint(hard_a, hard_b):
            # "hundreds of journalists" ... "two journalists": a named subset, not a contradiction
            return not (_named_subset(self, other, hard_a, hard_b)
                        or _named_subset(other, self, hard_b, hard_a))
        if self.qualifier in _ANCHORED and other.qualifier in _ANCHORED:
            return _disjoint(_interval(self, soft=True), _interval(other, soft=True))
        return False

    def as_dict(self) -> dict:
        return {
            "value": _jsonable(self.value),
            "low": _jsonable(self.low),
            "high": _jsonable(self.high),
            "qualifier": self.qualifier,
            "counts": self.counts,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
        }


def _jsonable(x: float | None):
    if x is None or not isinstance(x, (int, float)) or not math.isfinite(x):
        return None
    return int(x) if float(x).is_integer() else x


def _lemma(word: str) -> str:
    w = word.lower().strip("'’")
    if w in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[w]
    if w in ("per cent", "per-cent", "%"):
        return "percent"
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "xes", "sses", "zes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("ves") and w[:-3] in ("li", "wi", "kni", "hal", "thie", "shel"):
        return w[:-3] + ("fe" if w[:-3] in ("li", "wi", "kni") else "f")
    if len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "'s", "’s")):
        return w[:-1]
    return w


def _count_key(counts: str | None):
    """(head lemma, modifier lemmas, incremental?) of a counts phrase; None if absent or a unit."""
    if not counts or not isinstance(counts, str):
        return None
    c = counts.lower().replace("per cent", "percent")
    words = [w for w in re.split(r"[\s\u00a0]+", c) if w]
    if not words:
        return None
    head = _lemma(words[-1])
    if head in _UNIT_LEMMAS or c in ("percent", "percentage points"):
        return None
    mods = set()
    for w in words[:-1]:
        for part in w.split("-"):
            if part and part not in _MODIFIER_NOISE:
                mods.add(_lemma(part))
    return head, frozenset(mods - _INCREMENTAL), bool(mods & _INCREMENTAL)


def _tolerance(f: Figure) -> float:
    v = f.value
    if v is None or not isinstance(v, (int, float)) or not math.isfinite(v):
        return 0.0
    tol = 0.0
    if v >= 100 and float(v).is_integer():
        n, p = int(v), 1
        while n % (p * 10) == 0 and p < 10 ** 15:
            p *= 10
        if p >= 100:
            tol = p / 2
    if isinstance(f.quote, str) and "dozen" in f.quote.lower():
        tol = max(tol, v / 4)
    return tol


def _interval(f: Figure, soft: bool) -> tuple[float, bool, float, bool]:
    """(low, low_open, high, high_open) of a figure, hard or soft."""
    q = f.qualifier
    if q == "exact" and f.value is not None and math.isfinite(f.value):
        tol = _tolerance(f)
        # "500" may be 460 or 540 rounded, not a stated 450 or 550: the bounds are open
        return f.value - tol, tol > 0, f.value + tol, tol > 0
    low = f.low if f.low is not None and not math.isnan(f.low) else -_INF
    high = f.high if f.high is not None and not math.isnan(f.high) else _INF
    if soft and q == "over" and high == _INF and low > 0 and math.isfinite(low):
        high = low * SOFT_OVER_FACTOR
    return low, q == "over", high, q == "fewer than"


def _named_subset(vague: Figure, other: Figure, hard_vague, hard_other) -> bool:
    """Is ``other`` a count below the vague plural ``vague``, so most likely a part of it?"""
    return (vague.qualifier == "vague" and other.qualifier in _NAMES_SUBSET
            and _below(hard_other, hard_vague))


def _below(x: tuple[float, bool, float, bool], y: tuple[float, bool, float, bool]) -> bool:
    """Does interval x lie wholly below interval y?"""
    return x[2] < y[0] or (x[2] == y[0] and (x[3] or y[1]))


def _disjoint(a: tuple[float, bool, float, bool], b: tuple[float, bool, float, bool]) -> bool:
    return _below(a, b) or _below(b, a)


# --------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------


class _Group:
    """One or two atoms (a range), with what surrounds them."""

    __slots__ = ("atoms", "start", "end", "range_intro", "year_range")

    def __init__(self, atoms):
        self.atoms = atoms
        self.start = atoms[0].start
        self.end = atoms[-1].end
        self.range_intro = None  # offset of "between"/"from" before a range
        self.year_range = None  # (first, last) when the group is a span of years


def extract_figures(text: str) -> list[Figure]:
    """Figures in ``text``, in text order.  Never raises."""
    if not isinstance(text, str) or not text:
        return []
    try:
        return _Extractor(text).run()
    except Exception:  # pragma: no cover - a safety net; the rules above should never raise
        return []


class _Extractor:
    def __init__(self, text: str):
        self.text = text
        self.t = text.translate(_TRANSLATE) if _FOREIGN_RE.search(text) else text
        self.segments = _digit_segments(self.t)
        self.mask = _masks(self.t, self.segments)
        self.comma_thousands = bool(_COMMA_THOUSANDS_RE.search(self.t))
        self.year_mentions: list[tuple[int, int, str]] = []
        self.low = self.t
        self.sentence_ends: list[int] | None = None  # computed when first needed

    # -- pipeline ------------------------------------------------------------------------------

    def run(self) -> list[Figure]:
        atoms = self._atoms()
        groups = self._pair(atoms)
        groups = self._drop_years(groups)
        raw = []
        prev_end = 0
        for i, g in enumerate(groups):
            limit = groups[i + 1].start if i + 1 < len(groups) else len(self.t)
            fig = self._figure(g, prev_end, limit)
            if fig is not None and fig["start"] >= prev_end and fig["end"] <= limit:
                raw.append(fig)
                prev_end = fig["end"]
        self._resolve_anaphora(raw)
        self._assign_periods_and_context(raw)
        out = []
        for f in raw:
            out.append(Figure(
                value=f["value"], low=f["low"], high=f["high"], qualifier=f["qualifier"],
                counts=f["counts"], quote=self.text[f["start"]:f["end"]], start=f["start"],
                end=f["end"], period=f["period"],
                _context=_Context(f["event"], f["part"], f["window"]),
            ))
        return out

    def _atoms(self) -> list[_Atom]:
        t, mask = self.t, self.mask
        atoms = []
        for seg_start, seg_end in self.segments:
            for m in _DIGIT_ATOM_RE.finditer(t, seg_start, seg_end):
                a = self._digit_atom(m)
                if a is not None:
                    atoms.append(a)
            for m in _DECADE_RE.finditer(t, seg_start, seg_end):
                y = int(m.group(1))
                self.year_mentions.append((m.start(), m.end(), f"{y}–{y + 9}"))
        # str.lower() keeps offsets unless the text holds U+0130 (the only 1->2 char lowering)
        self.low = low = t.lower() if "\u0130" not in t else t.translate(_ASCII_LOWER)
        last_end = 0
        for c in _WORD_START_RE.finditer(low):
            if c.start() < last_end or (c.start() and low[c.start() - 1] == "-"):
                continue
            m = _WORD_ATOM_RE.match(low, c.start())
            a = _make_atom(m, None) if m else None
            if a is not None and not mask[a.num_start]:
                atoms.append(a)
                last_end = a.end
        if _FA_WORD_HINT_RE.search(t):
            atoms.extend(a for a in _persian_word_atoms(t) if not mask[a.num_start])
        atoms.sort(key=lambda x: x.start)
        # drop atoms that overlap an earlier one ("one" inside "2.5 million one"... defensive)
        out, end = [], -1
        for a in atoms:
            if a.start >= end:
                out.append(a)
                end = a.end
        return out

    def _digit_atom(self, m: re.Match) -> _Atom | None:
        raw = m.group("dig")
        european = None
        if _DOT3_RE.fullmatch(raw):
            european = not self.comma_thousands and self._plural_follows(m.end())
        a = _make_atom(m, european)
        if a is None:
            return None
        digits = self.text[a.num_start:a.num_start + len(raw)]
        a.foreign = any(ch in _FOREIGN_DIGITS for ch in digits)
        if a.dot3 and not european:
            a.dot3 = False
        kind = self.mask[a.num_start]
        if kind:
            if kind == _DATE_MASK and self._year_value(a):
                self.year_mentions.append((a.num_start, a.end, str(int(a.value))))
            return None
        if a.abbr and not a.cur:
            return None  # "5m", "10k": a glued letter, not money
        return a

    def _year_value(self, a: _Atom) -> bool:
        if not a.plain4 or a.value is None:
            return False
        v = int(a.value)
        return 1900 <= v <= 2099 or (a.foreign and 1300 <= v <= 1499)

    def _glued_before(self, a: _Atom) -> bool:
        t, s = self.t, a.start
        if s == 0:
            return False
        c = t[s - 1]
        if c.isalnum() or c in "_#№§¶@&":
            return True
        if c in "-/.:'’" and s >= 2 and t[s - 2].isalnum():
            return True
        return False

    def _glued_after(self, a: _Atom) -> bool:
        t, e = self.t, a.end
        if e >= len(t):
            return False
        c = t[e]
        nxt = t[e + 1] if e + 1 < len(t) else ""
        if a.kind != "digits":
            return False
        if c.isalpha() or c == "_":
            return not a.pct
        if c in "'’" and nxt in "sS":
            return True
        if c in "/.:," and nxt.isdigit():
            return True
        if c == "(" and nxt.isalnum() and t[e + 2:e + 3] == ")":
            return True
        return False

    def _pair(self, atoms: list[_Atom]) -> list[_Group]:
        t = self.t
        groups = []
        i, n = 0, len(atoms)
        while i < n:
            a = atoms[i]
            if self._glued_before(a) or self._glued_after(a):
                i += 1
                continue
            if i + 1 < n:
                b = atoms[i + 1]
                gap = t[a.end:b.start]
                g = self._try_range(a, b, gap)
                if g is not None:
                    groups.append(g)
                    i += 2
                    continue
                if self._is_ratio(a, b, gap):
                    i += 2  # "one in five": a ratio
                    continue
            groups.append(_Group([a]))
            i += 1
        return groups

    def _is_ratio(self, a: _Atom, b: _Atom, gap: str) -> bool:
        if a.kind == "vague" or b.kind == "vague" or not _RATIO_GAP_RE.fullmatch(gap):
            return False
        if b.value is None or b.value > 100 or self._year_value(b) or self._glued_after(b):
            return False
        np = _noun_phrase(self.t, b.end)
        return not (np and (np[3] == "unit" or _lemma(np[2]) in _UNIT_LEMMAS))

    def _try_range(self, a: _Atom, b: _Atom, gap: str) -> _Group | None:
        if a.kind == "vague" or b.kind == "vague" or len(gap) > 24 or self._glued_after(b):
            return None
        m = _CONNECTOR_RE.fullmatch(gap)
        if not m or a.value is None or b.value is None:
            return None
        conn = m.group("c").lower()
        if conn in ("to", "and", "or", "تا") and not (gap[:1].isspace() and gap[-1:].isspace()):
            return None
        dash = conn in ("-", "–", "—", "‑")
        # years: "2023-24", "2023–2024", "between 2019 and 2023", "2023 and 2024"
        if self._year_value(a):
            if dash and b.kind == "digits" and re.fullmatch(r"[0-9]{2}", b.raw):
                y2 = int(a.value) // 100 * 100 + int(b.value)
                return self._year_group(a, b, int(a.value), y2)
            if self._year_value(b) and conn != "or":
                return self._year_group(a, b, int(a.value), int(b.value))
        wstart = max(0, a.start - 60)
        before = self.t[wstart:a.start]
        q = _QUAL_RE.search(before)
        if q:
            before = before[: q.start()]
        intro = _RANGE_INTRO_RE.search(before)
        intro_word = intro.group("w").lower() if intro else None
        if conn == "and" and intro_word != "between":
            return None
        if intro_word == "from" and _CHANGE_RE.search(before[: intro.start()]):
            return None  # "rose from 582 to 834": a change, two figures
        lo, hi = a.value, b.value
        if b.scaled and not a.scaled and a.kind == b.kind == "digits" and b.base:
            mult = hi / b.base
            if lo * mult <= hi:
                lo *= mult  # "2 to 3 million"
        if not lo < hi:
            return None
        g = _Group([a, b])
        g.range_intro = wstart + intro.start() if intro else None
        a.value = lo
        return g

    @staticmethod
    def _year_group(a: _Atom, b: _Atom, y1: int, y2: int) -> _Group | None:
        if not y1 < y2:
            return None
        g = _Group([a, b])
        g.year_range = (y1, y2)
        return g

    def _drop_years(self, groups: list[_Group]) -> list[_Group]:
        """Remove year groups (recording them as year mentions); keep numeric ones."""
        local: list[tuple[_Group, bool]] = []
        year_values = set()
        for g in groups:
            if g.year_range:
                lo, hi = g.year_range
                self.year_mentions.append((g.start, g.end, f"{lo}–{hi}"))
                year_values.update((lo, hi))
                local.append((g, True))
                continue
            if all(self._year_value(a) for a in g.atoms):
                is_year = not self._year_used_as_count(g)
                if is_year:
                    year_values.update(int(a.value) for a in g.atoms)
                local.append((g, is_year))
            else:
                local.append((g, False))
        kept = []
        for g, is_year in local:
            if not is_year and all(self._year_value(a) for a in g.atoms):
                if any(int(a.value) in year_values for a in g.atoms):
                    is_year = True
            if is_year:
                if not g.year_range:
                    vals = [int(a.value) for a in g.atoms]
                    label = str(vals[0]) if len(vals) == 1 else f"{min(vals)}–{max(vals)}"
                    self.year_mentions.append((g.start, g.end, label))
                continue
            kept.append(g)
        self.year_mentions.sort()
        return kept

    def _year_used_as_count(self, g: _Group) -> bool:
        """A year-looking number is a count only before a plural noun and after no year-ish word."""
        a = g.atoms[0]
        if a.foreign:
            tok = _NP_TOKEN_RE.match(self.t, g.end)
            return bool(tok and tok.group(1) in _FA_COUNT_WORDS)
        if not self._plural_follows(g.end):
            return False
        prev = re.search(r"([\w'’]+)[^\w]*\Z", self.t[max(0, a.start - 30):a.start])
        if prev and prev.group(1).lower() in _YEAR_PREV:
            return False
        if _SEASON_OF_RE.search(self.t, max(0, a.start - 30), a.start):
            return False  # "the summer of 1988 commissions …"
        if prev and re.search(r"['’]s\s*\Z", self.t[max(0, a.start - 5):a.start]):
            return False
        return True

    def _plural_follows(self, pos: int) -> bool:
        np = _noun_phrase(self.t, pos)
        return bool(np and np[3] == "plural")

    # -- one figure ----------------------------------------------------------------------------

    def _figure(self, g: _Group, prev_end: int, limit: int) -> dict | None:
        """The figure of a group as a dict (Figure fields and context), or None if it is none."""
        a, b = g.atoms[0], g.atoms[-1]
        is_range = len(g.atoms) == 2
        qualifier, variant, start, lead = self._qualifier_before(g, prev_end)
        if self._is_no_count(g, lead, qualifier):
            return None
        end = g.end
        if not is_range:
            qualifier, end = self._qualifier_after(end, qualifier)
        what = self._what_it_counts(g, start, end, lead, limit)
        if what is None:
            return None
        counts, end, unit, anaphoric, part = what
        # "Python 3.11", "Web 2.0": a decimal right after a capitalised name is a version
        if (counts is None and not is_range and a.kind == "digits" and "." in a.raw
                and not (a.scaled or a.pct or a.cur or a.dot3) and qualifier == "exact"
                and _NAME_BEFORE_RE.search(lead)):
            return None
        if a.kind == "vague":
            value, low, high, qualifier = None, float(a.vague_low), float(a.vague_high), "vague"
        elif is_range:
            value, low, high, qualifier = a.value, a.value, b.value, "range"
        else:
            value = a.value
            low, high = _bounds(value, qualifier, variant)
        return {
            "value": value, "low": low, "high": high, "qualifier": qualifier, "counts": counts,
            "start": start, "end": end, "period": None, "unit": unit, "anaphoric": anaphoric,
            "part": part, "event": None, "window": None,
        }

    def _qualifier_before(self, g: _Group, prev_end: int) -> tuple[str, str | None, int, str]:
        """(qualifier, variant, start of the figure, text before it) from the words before."""
        a = g.atoms[0]
        window_start = max(prev_end, a.start - 60)
        start, qualifier, variant = a.start, "exact", None
        q = _QUAL_RE.search(self.t, window_start, a.start)
        if q:
            phrase = re.sub(r"\s+", " ", q.group("q").lower())
            qualifier = _QUAL_OF.get(phrase, "exact")
            variant = "below" if phrase in _BELOW_ABOUT else None
            start = q.start()
        if g.range_intro is not None and g.range_intro >= prev_end:
            start = min(start, g.range_intro)  # "between …", "from …"
        return qualifier, variant, start, self.t[window_start:start]

    def _is_no_count(self, g: _Group, lead: str, qualifier: str) -> bool:
        """A bare "one", a rate's denominator ("per 100,000"), a clock time ("at 9")."""
        a = g.atoms[0]
        if len(g.atoms) == 1:
            if (a.kind == "words" and a.raw == "one" and qualifier == "exact"):
                return True
            if _PER_RE.search(lead):
                return True
        return self._is_clock_time(g, lead, qualifier)

    def _qualifier_after(self, end: int, qualifier: str) -> tuple[str, int]:
        """Postfix qualifiers: "10 or more", "100+", "30 or so", "100 or fewer"."""
        post = _POSTFIX_RE.match(self.t, end)
        if not post:
            return qualifier, end
        if post.group("more"):
            qualifier = "at least"
        elif post.group("so"):
            qualifier = "about"
        elif post.group("less"):
            qualifier = "up to"
        else:
            qualifier = "over"
        return qualifier, post.end()

    def _what_it_counts(self, g: _Group, start: int, end: int, lead: str, limit: int):
        """(counts, end, unit?, anaphoric?, part?) of a figure; None if it is no figure at all."""
        t = self.t
        a, b = g.atoms[0], g.atoms[-1]
        counts, unit, anaphoric = None, False, False
        part = bool(_SUBSET_INTRO_RE.search(lead) or _AMONG_RE.search(t, max(0, start - 120), start))
        if a.pct or b.pct:
            counts, unit = "percent", True
        elif a.cur or b.cur:
            counts, unit = _CURRENCY_NAMES.get((a.cur or b.cur).strip(), "money"), True
        compound = None if unit else _HYPHEN_COMPOUND_RE.match(t, end)
        if compound:  # "17-year-old", "eight-year war": a figure that counts nothing
            if _FRACTION_OR_ORDINAL.match(compound.group(0)):
                return None  # "two-thirds", "twenty-first"
            return None, compound.end(), False, False, part
        if not unit:
            counts, end, anaphoric = self._counts_after(g, end, limit)
            if counts and _lemma(counts.split()[-1]) in _FRACTIONS:
                return None  # "two thirds", "three quarters"
            if _RATE_RE.match(t, end):
                part = True  # "3 people a day": a rate, not a total
        if counts is not None or part:
            anaphoric = False
        elif _BASELINE_RE.search(lead) or (g.range_intro is None and self._is_change_from(lead)):
            anaphoric = False  # "up from 582", "rose from 582 to 834"
        elif anaphoric:
            anaphoric = bool(_DETERMINER_RE.search(t, max(0, start - 20), start))
        return counts, end, unit, anaphoric, part

    def _is_clock_time(self, g: _Group, lead: str, qualifier: str) -> bool:
        a = g.atoms[0]
        if len(g.atoms) != 1 or qualifier != "exact" or a.pct or a.cur or a.scaled:
            return False
        if a.value is None or not float(a.value).is_integer() or not 0 <= a.value <= 24:
            return False
        m = re.search(r"(?:([\w'’]+)\s+)?at\s+\Z", lead, re.I)
        if not m:
            return False
        if m.group(1) and m.group(1).lower() in _AT_LEVEL_WORDS:
            return False
        return not self._plural_follows(g.end)

    def _is_change_from(self, lead: str) -> bool:
        m = re.search(r"(?<![\w])from\s+\Z", lead, re.I)
        return bool(m and _CHANGE_RE.search(lead[: m.start()]))

    def _counts_after(self, g: _Group, end: int, limit: int) -> tuple[str | None, int, bool]:
        """(counts, new end, may be anaphoric) from the words after the number."""
        t = self.t
        a = g.atoms[0]
        pos = end
        if _OUT_OF_RE.match(t, pos):
            return None, end, False  # "12 out of 30": a part of something else
        of = _OF_RE.match(t, pos)
        if of:
            nxt = _NP_TOKEN_RE.match(t, of.end())
            if a.kind != "vague" or not nxt or nxt.group(1).lower() in _PARTITIVE_AFTER_OF:
                return None, end, False  # partitive: "12 of the 30 prisoners", "two of them"
            pos = of.end()
        else:
            cop = _COPULA_RE.match(t, pos)
            if cop and self._plural_follows(cop.end() - 1):
                return None, end, False  # "12 were women": a subset, not a restatement
        np = _noun_phrase(t, pos, singular=(a.value == 1 and len(g.atoms) == 1))
        if np is None:
            return None, end, True
        np_start, np_end, _head, _kind = np
        if np_end > limit:
            return None, end, False
        return self.text[np_start:np_end], np_end, False

    # -- across figures ------------------------------------------------------------------------

    def _resolve_anaphora(self, figs: list[dict]) -> None:
        last_counts = None
        for f in figs:
            if f["counts"] is not None:
                if not f["unit"] and _count_key(f["counts"]) is not None:
                    last_counts = f["counts"]
            elif f["anaphoric"] and last_counts is not None:
                f["counts"] = last_counts

    def _assign_periods_and_context(self, figs: list[dict]) -> None:
        """Period, event and time window of each figure, from its sentence (see the docstring)."""
        t = self.t
        years = self.year_mentions
        year_starts = [y[0] for y in years]
        sent_start = sent_end = -1
        for f in figs:
            s, e = f["start"], f["end"]
            if not (sent_start <= s and e <= sent_end):  # figures often share a sentence
                sent_start, sent_end = self._sentence_bounds(s, e)
            lo = bisect.bisect_left(year_starts, sent_start)
            hi = bisect.bisect_left(year_starts, sent_end)
            candidates = [(ys, ye, label) for ys, ye, label in years[lo:hi] if ye <= sent_end]
            f["period"] = self._nearest(s, e, candidates, skip_reference_years=True)
            # events and windows count only within _EVENT_REACH: scan no further
            near_start = max(sent_start, s - _EVENT_REACH - 40)
            near_end = min(sent_end, e + _EVENT_REACH + 40)
            events = [(m.start(), m.end(), m.lastgroup)
                      for m in _EVENT_RE.finditer(self.low, near_start, near_end)]
            f["event"] = self._nearest(s, e, events, max_crossed=0, max_distance=_EVENT_REACH)
            windows = [
                (m.start(), m.end(),
                 _WINDOW_PREPOSITION_RE.sub("", re.sub(r"\s+", " ", m.group(0).lower())))
                for m in _WINDOW_RE.finditer(t, near_start, near_end)
            ]
            f["window"] = self._nearest(s, e, windows, max_crossed=1, max_distance=_EVENT_REACH)

    def _nearest(self, s: int, e: int, mentions, skip_reference_years: bool = False,
                 max_crossed: int = 1_000, max_distance: int = _SENTENCE_REACH * 2):
        """Label of the mention nearest to [s, e): fewest clause boundaries, then characters."""
        best = None
        for ms, me, label in mentions:
            if ms >= e:
                gap_lo, gap_hi = e, ms
            elif me <= s:
                gap_lo, gap_hi = me, s
            else:
                gap_lo = gap_hi = s
            crossed = len(_CLAUSE_RE.findall(self.t, gap_lo, gap_hi)) if gap_hi > gap_lo else 0
            if (skip_reference_years and crossed
                    and _REFERENCE_YEAR_RE.search(self.t, max(0, ms - 20), ms)):
                continue  # "…, the highest number since 2015": a point of comparison
            if crossed > max_crossed or gap_hi - gap_lo > max_distance:
                continue
            key = (crossed, gap_hi - gap_lo)
            if best is None or key < best[0]:
                best = (key, label)
        return best[1] if best else None

    def _sentence_bounds(self, s: int, e: int) -> tuple[int, int]:
        """(start, end) of the sentence around [s, e), at most _SENTENCE_REACH away."""
        if self.sentence_ends is None:
            self.sentence_ends = [m.end() for m in _SENT_END_RE.finditer(self.t)
                                  if self._is_sentence_end(m)]
        ends = self.sentence_ends
        i = bisect.bisect_right(ends, s)
        start = ends[i - 1] if i else 0
        j = bisect.bisect_left(ends, e)
        end = ends[j] if j < len(ends) else len(self.t)
        return max(start, s - _SENTENCE_REACH), min(end, e + _SENTENCE_REACH)

    def _is_sentence_end(self, m: re.Match) -> bool:
        if m.group(0)[0] != ".":
            return True
        w = _ABBREV_BEFORE_RE.search(self.t, max(0, m.start() - 12), m.start())
        if w:
            word = w.group(1).lower().rstrip(".")
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                return False
        return True


_REFERENCE_YEAR_RE = re.compile(
    r"(?<![\w])(?:since|than|compared\s+(?:with|to)|from|after|before|up\s+from|down\s+from)"
    r"(?:\s+(?:in|early|late|mid|the\s+end\s+of|January|February|March|April|May|June|July"
    r"|August|September|October|November|December))*\s+\Z",
    re.I,
)


def _bounds(value: float, qualifier: str, variant: str | None) -> tuple[float | None, float | None]:
    if qualifier == "over":
        return value, None
    if qualifier == "at least":
        return value, None
    if qualifier == "about":
        if variant == "below":
            return value / NEARLY_FACTOR, value
        return value / ABOUT_FACTOR, value * ABOUT_FACTOR
    if qualifier in ("up to", "fewer than"):
        return 0.0, value
    return value, value


def _is_plural_word(word: str) -> bool:
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return True
    if w.endswith(("'", "’")) or w.endswith(("'s", "’s")):
        return False  # possessive: a modifier ("prisoners' families")
    if w in _NOT_PLURAL or w in _STOP_WORDS or len(w) < 3:
        return False
    if w.endswith(("'is", "’is")):
        return True  # Baha'is
    if w.endswith("is") and word[:1].isupper() and len(w) > 4:
        return True  # Baluchis, Iraqis
    return w.endswith("s") and not w.endswith(("ss", "us", "is"))


def _noun_phrase(t: str, pos: int, singular: bool = False):
    """(start, end, head, kind) of the noun phrase the number at ``pos`` quantifies, or None.

    kind: "plural" (a plural head was found), "unit" (a singular unit such as "percent"),
    "singular" (for a value of one), "persian" (the next Persian word).
    """
    tokens = []
    p = pos
    for _ in range(8):
        m = _NP_TOKEN_RE.match(t, p)
        if not m:
            break
        tokens.append((m.start(1), m.end(1), m.group(1)))
        p = m.end()
    if not tokens:
        return None
    s0, e0, w0 = tokens[0]
    if _PERSIAN_LETTER_RE.match(w0):
        if w0 in _FA_STOP:
            return None
        return s0, e0, w0, "persian"
    if w0.lower() in _SINGULAR_UNITS:
        return s0, e0, w0.lower(), "unit"
    head_idx = None
    for i, (s, e, w) in enumerate(tokens):
        lw = w.lower()
        if lw in _NUMBER_WORDS:
            break
        if head_idx is not None:
            if _is_plural_word(w) and lw not in _STOP_WORDS:
                head_idx = i
                continue
            break
        if lw in ("and", "or"):
            if i == 0 or i + 1 >= len(tokens):
                break
            continue
        if lw in _STOP_WORDS:
            break
        if _is_plural_word(w):
            head_idx = i
            continue
        if i >= 6:
            break
    if head_idx is None:
        if singular:
            run = []
            for s, e, w in tokens[:4]:
                if w.lower() in _STOP_WORDS or w.lower() in _NUMBER_WORDS:
                    break
                run.append((s, e, w))
            if run:
                return run[0][0], run[-1][1], run[-1][2].lower(), "singular"
        return None
    return s0, tokens[head_idx][1], tokens[head_idx][2].lower(), "plural"
