"""Names across spellings and scripts: normalisation, keys and the multi-pattern linker."""

import pytest

from rightsdesk.facts import names
from rightsdesk.facts.linker import Alias, Linker


@pytest.mark.parametrize(
    "a, b",
    [
        ("Mojahedin", "Mujahedin"),
        ("Mojahedin", "Mujahedeen"),
        ("Raisi", "Raeisi"),
        ("Raisi", "Raeesi"),
        ("Hosseini", "Hoseini"),
        ("Qezel", "Ghezel"),
        ("Khomeini", "Khomeyni"),
        ("Mujahedeen’s", "Mojahedin"),  # a possessive does not break the match
        ("Mujahedeen's", "Mojahedin"),
        ("Évin", "Evin"),  # diacritics
    ],
)
def test_latin_transliteration_variants_meet(a, b):
    assert names.same_word(a, b)


@pytest.mark.parametrize("a, b", [("Raisi", "Rose"), ("Raisi", "Rice"), ("Khomeini", "Kahn"), ("Evin", "Oven")])
def test_phonetic_collisions_are_not_the_same_name(a, b):
    assert not names.same_word(a, b)


def test_persian_folding():
    # Arabic yeh and kaf, hamza on yeh, tatweel, harakat, ZWNJ and digits
    assert names.fold("علي") == names.fold("علی")
    assert names.fold("كشتار") == names.fold("کشتار")
    assert names.fold("رئيسي") == names.fold("رییسی")
    assert names.fold("خمـــینی") == names.fold("خمینی")
    assert names.fold("مُجاهِدین") == names.fold("مجاهدین")
    assert names.fold("۱۳۶۷") == names.fold("١٣٦٧") == "1367"
    assert names.normalize_name("خامنه‌ای") == names.normalize_name("خامنه ای")


def test_tokens_keep_offsets_into_the_original_text():
    text = "the Mujahedeen’s organization, خامنه‌ای ۱۳۶۷"
    for token in names.tokens(text):
        assert text[token.start:token.end] == token.text
    assert [t.text for t in names.tokens(text)][:2] == ["the", "Mujahedeen"]


def test_script_detection_and_titles():
    assert names.script_of("رئیسی") == names.PERSIAN
    assert names.script_of("Raisi") == names.LATIN
    assert names.strip_titles("President Ebrahim Raisi") == "Ebrahim Raisi"
    assert names.strip_titles("Ayatollah Khomeini") == "Khomeini"
    assert names.strip_titles("Mr. T Boumedra") == "T Boumedra"
    assert names.strip_titles("آیت‌الله خمینی") == "خمینی"
    assert names.strip_titles("President") == "President"  # a bare title stays


REGISTRY = Linker([
    Alias("pmoi", "People's Mojahedin Organization of Iran"),
    Alias("pmoi", "PMOI"),
    Alias("pmoi", "Mojahedin-e Khalq"),
    Alias("raisi", "Ebrahim Raisi"),
    Alias("raisi", "Raisi"),
    Alias("raisi", "رئیسی"),
    Alias("iran", "Iran"),
    Alias("hope", "Hope"),
])


def test_linker_finds_whole_words_longest_first_across_spellings():
    text = ("The People’s Mojahedin Organization of Iran (PMOI) and the Mujahedin-e Khalq; "
            "President Ebrahim Raeesi met Raisi’s aides in Iran. رييسي گفت.")
    found = [(m.entity, m.text) for m in REGISTRY.find(text)]
    assert found == [
        ("pmoi", "People’s Mojahedin Organization of Iran"),  # not "Iran" inside it
        ("pmoi", "PMOI"),
        ("pmoi", "Mujahedin-e Khalq"),
        ("raisi", "Ebrahim Raeesi"),
        ("raisi", "Raisi"),
        ("iran", "Iran"),
        ("raisi", "رييسي"),
    ]
    for m in REGISTRY.find(text):
        assert text[m.start:m.end] == m.text


def test_linker_needs_whole_words_capitals_and_acronym_case():
    text = "I hope the pmoi and Iranian groups do not confuse Raisins with Iran."
    found = [(m.entity, m.text) for m in REGISTRY.find(text)]
    assert found == [("iran", "Iran")]


def test_variant_spelling_at_a_sentence_start_is_not_a_mention():
    linker = Linker([Alias("evin", "Evin")])
    assert [m.text for m in linker.find("Even so, they were moved. Families waited at Evin and at Even.")] == ["Evin", "Even"]
    assert [m.text for m in linker.find("Evin is in Tehran.")] == ["Evin"]
