"""The words of an article as the relatedness scoring reads them.

Normalisation is the facts desk's (`rightsdesk.facts.names.fold`: case, diacritics, Persian and
Arabic letter variants and digits), so "Raisi", "RAISI", "رئیسی" and "ریيسی" are each one term in
their script; a Persian word written with a zero-width non-joiner is one word. English and Persian
words lose a plural ending; function words of both languages are dropped;
adjacent words also count as a two-word term ("death penalty", "fact finding").
"""

from functools import lru_cache

import regex

from rightsdesk.facts import names

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+", regex.V1)
_full_fold = getattr(names.fold, "__wrapped__", names.fold)  # whole paragraphs: skip the word cache


def _fold(text):
    """names.fold; for ASCII text (most English paragraphs) that is exactly lower-casing."""
    return text.lower() if text.isascii() else _full_fold(text)

# Persian function words (and a few verbs of reporting that every article uses).
PERSIAN_STOP_WORDS = frozenset(
    """
    و در به از که این آن را با است بود برای تا یا اما اگر هم نیز بر پس پیش هر همه هیچ چه چون
    یک دو سه ای او وی ما شما آنها ایشان خود خویش دیگر دیگری همین همان چنین چنان چند چندین
    می نمی ها های تر ترین شد شده شود شوند شدند کرد کرده کند کنند کردند کردن کنیم داد داده دارد
    دارند داشت داشته باشد باشند بودند هست هستند نیست نبود گفت گفته گوید گویند اند ام ایم اید
    روز سال ماه پیش بین میان درباره دربارهٔ سوی سوی طی توسط بدون مانند حتی فقط تنها اکنون
    کنون هنوز باید نباید توان تواند توانند خواهد خواهند بیش کم زیر روی کنار پی عنوان طور
    میشود میشوند نمیشود میکند میکنند نمیکند میکرد میکردند میدهد میدهند میگوید میگویند میگفت
    میتواند میتوانند نمیتواند میخواهد میخواهند میرسد میرسند میآید میآیند میشد میشدند
    شدهاند شدهاست شدهبود کردهاند کردهاست دادهاند دادهاست گفتهاند گفتهاست بودهاند بودهاست
    """.split()
)
# English function words (articles, pronouns, prepositions, conjunctions, auxiliaries, quantifiers
# and common adverbs), numbers written as words, and verbs of reporting that every article uses.
ENGLISH_STOP_WORDS = frozenset(
    """
    a an the this that these those some any each every either neither no none all both half
    i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves one ones oneself
    who whom whose which what whatever whoever whichever where wherever when whenever why how
    whether while whereas whereby wherein whereupon whence thence hence thereby therefore therein
    thereafter thereupon there here
    am is are was were be been being have has had having do does did doing done
    will would shall should can could may might must ought cannot
    and or but nor so yet for if unless because although though as than then else also too
    not only just even still already again ever never always often sometimes once twice
    about above across after afterwards against along alongside amid amidst among amongst around
    at before behind below beneath beside besides between beyond by down during except from in
    inside into near of off on onto out outside over past per since through throughout till to
    toward towards under underneath until up upon via with within without
    very quite rather really more most less least much many few fewer several such same other
    others another own enough indeed perhaps almost mostly nearly upon thus instead meanwhile
    moreover furthermore however nevertheless nonetheless otherwise anyway somehow
    anyone anything anywhere anybody someone something somewhere somebody everyone everything
    everywhere everybody nobody nothing nowhere
    now today yesterday tomorrow later soon ago yet well back away
    two three four five six seven eight nine ten eleven twelve twenty hundred thousand million
    first second third last next
    said say says saying told tell tells according added including include includes like get got
    make made take took see seen go went come came give gave put
    mr mrs ms dr
    year years month months week weeks day days new
    """.split()
)
# Compared with folded words, so folded themselves (آن → ان).
STOP_WORDS = frozenset(_fold(w) for w in ENGLISH_STOP_WORDS | PERSIAN_STOP_WORDS)


_PERSIAN_PLURALS = ("هایی", "های", "ها")


def _light_stem(word):
    """Plural endings only: English (executions → execution, authorities → authority) and the
    Persian plural suffix (زندانی‌ها → زندانی)."""
    if not word.isascii():
        for suffix in _PERSIAN_PLURALS:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
        return word
    if len(word) <= 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=200_000)
def _term(word):
    """The term of one folded word, or None for a word that is not scored (cached: a language
    has far fewer distinct words than an archive has words)."""
    if word.isdigit():
        # Years ("1988", "1367") say what a story is about; other numbers do not.
        return word if len(word) == 4 else None
    if len(word) < 2 or word in STOP_WORDS:
        return None
    return _light_stem(word)


def words(text):
    """The content words of `text`, normalised, in order (None where a stop word was cut, so that
    two-word terms never bridge a removed word)."""
    # A zero-width non-joiner joins the parts of one Persian word (می‌شود, زندانی‌ها): keep them together.
    return [_term(word) for word in _WORD.findall(_fold((text or "").replace(names.ZWNJ, "")))]


def analyse(text):
    """Terms of `text`: the words and the pairs of adjacent words."""
    seq = words(text)
    terms = [w for w in seq if w]
    terms += [f"{a} {b}" for a, b in zip(seq, seq[1:]) if a and b]
    return terms


def article_terms(page):
    """The terms scored for an article: the title counts three times, the summary twice, then
    the body's paragraphs and headings (each read on its own, so no pair spans two of them)."""
    terms = analyse(page.title) * 3 + analyse(page.dek) * 2
    for paragraph in page.iter_paragraphs(headings=True):
        terms += analyse(paragraph)
    return terms
