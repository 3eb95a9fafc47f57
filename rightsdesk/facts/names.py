"""Names across spellings and scripts: normalisation, tokens and matching keys.

Pure Python (no Django). Three layers:

* ``fold(text)`` -- the canonical form of a string for comparison: Unicode NFKC, case folded,
  diacritics removed; in Persian/Arabic script Arabic yeh/kaf become Persian ones, hamza carriers
  and alef variants are unified, tatweel and harakat go; Persian and Arabic digits become ASCII.
* ``tokens(text)`` -- words with their character offsets in the *original* text. The zero-width
  non-joiner, hyphens and punctuation separate words; an English possessive ("Mujahedeen's") is
  kept out of the word's key and out of its span.
* ``token_key(word)`` -- the key a word is matched on. Latin words are transliterated to ASCII
  (rigour/anyascii) and reduced to their Metaphone code, so transliteration variants meet
  (Mojahedin / Mujahedin / Mujahedeen, Raisi / Raeisi / Raeesi, Qezel / Ghezel, Khomeini /
  Khomeyni). Persian-script words are matched on their folded form. Because a phonetic code is
  coarse (Raisi and Rose share one), ``same_word`` confirms a key match with rapidfuzz.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import NamedTuple

import regex
from rapidfuzz import fuzz
from rigour.text import ascii_text, metaphone

LATIN, PERSIAN, OTHER = "latin", "persian", "other"

ZWNJ = "\u200c"
# Persian and Arabic-Indic digits and the Persian thousands, decimal and percent signs, one
# character for one (the figure extractor reads numbers through this map too).
DIGITS = {
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    "٬": ",", "٫": ".", "٪": "%",
}
_PERSIAN_FOLD = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ؤ": "و",
        "أ": "ا", "إ": "ا", "ٱ": "ا", "آ": "ا",
        "ـ": None,  # tatweel
        ZWNJ: " ", "\u200d": None, "\u200f": None, "\u200e": None,
        "،": ",", "؛": ";", "؟": "?",
        **DIGITS,
    }
)
# Same-length character map (offsets survive): digits and letter variants only.
_SAME_LENGTH = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", **DIGITS})

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’`][\p{L}\p{M}\p{N}]+)*", regex.V1)
_ARABIC_SCRIPT = regex.compile(r"\p{Script=Arabic}")
_LATIN_SCRIPT = regex.compile(r"\p{Script=Latin}")
_POSSESSIVE = regex.compile(r"['’`]s$", regex.IGNORECASE)

# Honorifics and titles that do not change who is meant: rigour's list of person-name prefixes
# plus the religious and political titles of Iranian public life.
_EXTRA_TITLES = (
    "Ayatollah", "Grand Ayatollah", "Hojatoleslam", "Hojjatoleslam", "Hojatoleslam val-Moslemin",
    "Sheikh", "Imam", "Mullah", "Seyyed", "Sayyid", "Judge", "Minister",
    "Foreign Minister", "Prime Minister", "Supreme Leader", "Former", "Late", "Mr.", "Mrs.", "Ms.",
    "Dr.", "Prof.", "Senator", "MP", "MEP", "Speaker", "Chief Justice", "Prosecutor",
    "آیت‌الله", "آیت الله", "حجت‌الاسلام", "حجت الاسلام", "آقای", "خانم", "دکتر", "رئیس‌جمهور",
    "رئیس جمهور", "شیخ", "سید",
)


def script_of(text: str) -> str:
    """'persian' when the name is written in Persian/Arabic script, 'latin' for Latin script."""
    arabic = len(_ARABIC_SCRIPT.findall(text or ""))
    latin = len(_LATIN_SCRIPT.findall(text or ""))
    if arabic > latin:
        return PERSIAN
    if latin:
        return LATIN
    return OTHER


def same_length_fold(text: str) -> str:
    """Digits and Arabic letter variants mapped one character to one, so offsets stay valid."""
    return text.translate(_SAME_LENGTH)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The comparison form of a string (see the module docstring). Not offset-preserving."""
    text = unicodedata.normalize("NFKC", text or "").translate(_PERSIAN_FOLD)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return unicodedata.normalize("NFC", stripped).casefold()


class Token(NamedTuple):
    """A word of a text: its span in the original text (possessive excluded) and its keys.
    (A named tuple: a long text has hundreds of thousands; a frozen dataclass made them
    several times slower to build.)"""

    start: int
    end: int
    text: str
    folded: str
    key: str

    @property
    def is_upper(self) -> bool:
        return len(self.text) > 1 and self.text.isupper()

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


@lru_cache(maxsize=65536)
def _word_forms(word: str) -> tuple[str, str, int]:
    """(folded form, matching key, characters of possessive suffix) of one word."""
    cut = 0
    if len(word) > 3 and _POSSESSIVE.search(word):
        cut = 2
        word = word[:-2]
    folded = fold(word).replace("'", "").replace("’", "").replace("`", "")
    if not folded:
        return "", "", cut
    if folded.isdigit():
        return folded, folded, cut
    if script_of(folded) == LATIN:
        ascii_form = ascii_text(folded).lower()
        code = metaphone(ascii_form) if ascii_form.isalpha() else ""
        # Metaphone can reduce a word to nothing: fall back to its ASCII form.
        key = code or ascii_form
        return ascii_form, key, cut
    return folded, folded, cut


def tokens(text: str) -> list[Token]:
    """The words of ``text`` with offsets into ``text`` itself."""
    out = []
    append, forms, make = out.append, _word_forms, Token._make
    for m in _WORD.finditer(text or ""):
        word = m.group()
        # ZWNJ is not matched by the word pattern, so it already separates words.
        folded, key, cut = forms(word)
        if not key:
            continue
        start, end = m.span()
        append(make((start, end - cut, word[: len(word) - cut] if cut else word, folded, key)))
    return out


def token_key(word: str) -> str:
    return _word_forms(word)[1]


def name_key(name: str) -> tuple[str, ...]:
    """The key sequence of a whole name."""
    return tuple(t.key for t in tokens(name))


def same_word(a: Token | str, b: Token | str) -> bool:
    """True when two words are the same name word in any spelling (key match confirmed by
    string similarity, so a coarse phonetic collision like Raisi/Rose does not count)."""
    fa = a.folded if isinstance(a, Token) else _word_forms(a)[0]
    fb = b.folded if isinstance(b, Token) else _word_forms(b)[0]
    if fa == fb:
        return True
    ka = a.key if isinstance(a, Token) else _word_forms(a)[1]
    kb = b.key if isinstance(b, Token) else _word_forms(b)[1]
    return ka == kb and similar(fa, fb)


def similar(a: str, b: str, threshold: float = 70.0) -> bool:
    if a.isdigit() or b.isdigit():
        return a == b
    return fuzz.ratio(a, b) >= threshold


def normalize_name(name: str) -> str:
    """A readable normalised form for storage and search: folded words joined by spaces."""
    return " ".join(t.folded for t in tokens(strip_titles(name)))


@lru_cache(maxsize=1)
def _title_pattern():
    from rigour._core import person_name_prefixes_list

    titles = {t.rstrip(".") for t in person_name_prefixes_list()} | {
        t.rstrip(".") for t in _EXTRA_TITLES
    }
    titles.discard("The")
    alternatives = "|".join(
        regex.escape(t).replace(r"\ ", r"[\s\u200c]+")
        for t in sorted(titles, key=len, reverse=True)
    )
    return regex.compile(rf"^(?:(?:{alternatives})\.?[\s\u200c]+)+", regex.IGNORECASE)


def strip_titles(name: str) -> str:
    """'President Ebrahim Raisi' -> 'Ebrahim Raisi'; 'Ayatollah Khomeini' -> 'Khomeini'.
    A name that is nothing but a title is returned unchanged."""
    name = name.strip()
    m = _title_pattern().match(same_length_fold(name))
    stripped = name[m.end():] if m else name
    return stripped if stripped.strip() else name


def title_of(name: str) -> str:
    """The leading title of a name, if any ('President', 'Ayatollah'); '' otherwise."""
    name = name.strip()
    m = _title_pattern().match(same_length_fold(name))
    return name[: m.end()].strip() if m else ""
