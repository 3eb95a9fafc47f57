"""Names defined in the text itself are grouped with an empty registry."""

from rightsdesk.facts import discovery


def groups(text):
    return {g.canonical: g for g in discovery.group_names(text)}


def forms_of(text, name):
    for g in discovery.group_names(text):
        if name in [m.text for m in g.mentions]:
            return sorted({m.text for m in g.mentions})
    raise AssertionError(f"{name!r} not found in {[g.forms for g in discovery.group_names(text)]}")


def test_parenthesised_acronyms_define_aliases():
    text = "Members of the Campaign for Justice and Truth (CJT) met officials. Later the CJT wrote again."
    assert forms_of(text, "CJT") == ["CJT", "Campaign for Justice and Truth"]


def test_acronym_keeps_only_the_words_it_spells():
    text = "She is the Coordinator of the Campaign for Iran Change (CIC), a London group."
    assert forms_of(text, "CIC") == ["CIC", "Campaign for Iran Change"]


def test_two_acronyms_with_or_and_slash():
    text = "Supporters of the People’s Mojahedin (PMOI or MEK) were held. The Union of Fighters (UF/UDF) too."
    assert forms_of(text, "MEK") == ["MEK", "PMOI", "People’s Mojahedin"]
    assert forms_of(text, "UDF") == ["UDF", "UF", "Union of Fighters"]


def test_also_known_as_and_aka():
    text = ("The Iran Accountability Project, also known as Nedaye Edalat, published a list. "
            "Ali Example (aka Abu Sample) was named in it.")
    assert forms_of(text, "Nedaye Edalat") == ["Iran Accountability Project", "Nedaye Edalat"]
    assert forms_of(text, "Abu Sample") == ["Abu Sample", "Ali Example"]


def test_spelling_variants_and_short_forms_join():
    text = ("Supporters of the Mojahedin Khalq were executed. Survivors of the Mujahedeen’s "
            "organization spoke. Ebrahim Raisi was there. Later Raisi denied it. "
            "President Ebrahim Raisi spoke too.")
    assert forms_of(text, "Mojahedin Khalq") == ["Mojahedin Khalq", "Mujahedeen"]
    assert forms_of(text, "Raisi") == ["Ebrahim Raisi", "President Ebrahim Raisi", "Raisi"]


def test_different_people_with_one_surname_stay_apart():
    text = "Ali Khamenei spoke on Monday. Mojtaba Khamenei did not. Ali Khamenei then left."
    assert forms_of(text, "Mojtaba Khamenei") == ["Mojtaba Khamenei"]


def test_place_inside_an_organisation_name_is_not_that_organisation():
    text = "Iran Human Rights said that in Iran executions rose. Iran rejected the report."
    assert "Iran" not in forms_of(text, "Iran Human Rights")


def test_sentence_initial_words_and_titles_are_not_names():
    text = "Speaking to reporters, the President said nothing. Referring to the law, he left."
    names_found = {m.text for g in discovery.group_names(text) for m in g.mentions}
    assert not names_found & {"Speaking", "Referring", "President"}


def test_drift_forms_leave_out_titles_short_forms_and_defined_acronyms():
    assert discovery.drift_forms(["Ebrahim Raisi", "President Ebrahim Raisi", "Raisi"]) == ["Ebrahim Raisi"]
    forms = discovery.drift_forms(
        ["People’s Mojahedin", "PMOI", "MEK", "Mujahedeen", "Mojahedin Khalq", "People’s Mojahedin of Iran"],
        defined={"PMOI", "MEK"},
    )
    assert forms == ["Mujahedeen", "Mojahedin Khalq", "People’s Mojahedin of Iran"]


def test_kinds_are_guessed():
    text = ("President Ebrahim Raisi met the Campaign for Iran Change (CIC) at Church House in London. "
            "The 1988 Massacre was discussed.")
    kinds = {g.canonical: g.kind for g in discovery.group_names(text)}
    assert kinds["Ebrahim Raisi"] == "person"
    assert kinds["Campaign for Iran Change"] == "organisation"
    assert kinds["London"] == "place"
    assert kinds["1988 Massacre"] == "event"
