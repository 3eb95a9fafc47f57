"""Victims' names across spellings and scripts, for matching records of the same person.

The facts desk's normalisation (``facts.names``: folding, titles) is applied first. Then each word
is reduced to its *consonant skeleton* in a script-neutral alphabet, so "Mohammad Hosseini",
"Mohammed Hoseini" and "محمد حسینی" all become ``MHMD HSN``. Why hand-written: anyascii (used by
rigour) transliterates ض as "d" and ع as "?" while English spellings write "z" and nothing, and
Metaphone keeps the leading vowel of Latin names that Persian script does not write; the skeleton
maps both scripts onto the classes Persian transliteration actually confuses (q/gh/g/k, z/dh/ż,
s/th, t/ṭ, h/ḥ) and drops what the scripts disagree on (short vowels, ی/و as vowels, ع and hamza).
"""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from rightsdesk.facts import names as facts_names

_PERSIAN = {
    "ا": "", "آ": "", "أ": "", "إ": "", "ء": "", "ئ": "", "ؤ": "", "ع": "", "ی": "", "ي": "", "ى": "",
    "و": "", "ه": "H", "ح": "H", "ة": "H", "ب": "B", "پ": "P", "ت": "T", "ط": "T", "ث": "S", "س": "S",
    "ص": "S", "ج": "J", "چ": "C", "خ": "K", "ک": "K", "ك": "K", "ق": "K", "غ": "K", "گ": "K", "د": "D",
    "ذ": "Z", "ز": "Z", "ض": "Z", "ظ": "Z", "ژ": "Z", "ر": "R", "ش": "X", "ف": "F", "ل": "L", "م": "M",
    "ن": "N",
}
_LATIN_DIGRAPHS = [("kh", "K"), ("gh", "K"), ("sh", "X"), ("ch", "C"), ("zh", "Z"), ("dh", "Z"), ("th", "S"),
                   ("ph", "F")]
_LATIN = {
    "a": "", "e": "", "i": "", "o": "", "u": "", "y": "", "w": "", "v": "", "h": "H", "b": "B", "p": "P",
    "t": "T", "s": "S", "c": "K", "j": "J", "k": "K", "q": "K", "g": "K", "d": "D", "z": "Z", "r": "R",
    "x": "KS", "f": "F", "l": "L", "m": "M", "n": "N",
}
_NON_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=200_000)
def skeleton_word(word: str) -> str:
    """The consonant skeleton of one (folded) word in either script."""
    if facts_names.script_of(word) == facts_names.PERSIAN:
        letters = [_PERSIAN.get(ch, "") for ch in word]
    else:
        text = _NON_LETTER.sub("", facts_names.fold(word))
        for pair, code in _LATIN_DIGRAPHS:
            text = text.replace(pair, code)
        letters = [_LATIN.get(ch, ch if ch.isupper() else "") for ch in text]
    out = []
    for code in "".join(letters):
        if not out or out[-1] != code:
            out.append(code)
    # Persian و written for the 'v' of Vahid is dropped as Latin v is: both sides agree.
    return "".join(out)


@lru_cache(maxsize=200_000)
def skeleton(name: str) -> str:
    """Skeletons of the words of a name, titles stripped ('Seyed' kept: it is part of many names)."""
    if not name:
        return ""
    # A zero-width non-joiner joins the parts of one word (شاه‌بخش is Shahbakhsh).
    words = [t.text for t in facts_names.tokens(facts_names.strip_titles(name).replace("\u200c", ""))]
    return " ".join(s for s in (skeleton_word(w) for w in words) if s)


def name_key(name: str, name_fa: str = "") -> str:
    """What a person is matched on: the skeleton of the Latin name and of the Persian one,
    separated by '|' (either may be empty)."""
    return f"{skeleton(name)}|{skeleton(name_fa)}"


def keys_of(key: str) -> list[str]:
    return [k for k in key.split("|") if k]


def similarity(key_a: str, key_b: str) -> float:
    """0-100: how alike two people's names are, the best over their Latin/Persian skeletons."""
    best = 0.0
    for a in keys_of(key_a):
        for b in keys_of(key_b):
            score = fuzz.token_sort_ratio(a, b)
            if score > best:
                best = score
    return best


def block_keys(key: str) -> set[str]:
    """Blocking keys: the skeleton of the last word of each name form (the family name)."""
    out = set()
    for k in keys_of(key):
        words = k.split()
        if words:
            out.add(words[-1])
    return out


@lru_cache(maxsize=50_000)
def compact(text: str) -> str:
    """A list entry's spelling for matching: folded, without spaces, hyphens, punctuation, 'and'/'&'
    ('Sistan-Baluchestan' = 'Sistan and Baluchestan' = 'سیستان و بلوچستان')."""
    folded = facts_names.fold(text or "")
    folded = re.sub(r"\b(and|province|ostan)\b|&|\bو\b|استان", " ", folded)
    return re.sub(r"[\W_]+", "", folded)
