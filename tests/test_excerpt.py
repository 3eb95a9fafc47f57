from rightsdesk.newsroom.selectors import excerpt


def test_short_text_is_kept_whole_without_ellipsis():
    assert excerpt("Three short words.", 20) == "Three short words."


def test_long_text_is_cut_at_a_word_boundary_with_ellipsis():
    text = " ".join(f"word{i}" for i in range(1, 31))
    result = excerpt(text, 20)
    assert result.endswith("word20...")
    assert len(result[:-3].split()) == 20


def test_exactly_twenty_words_is_not_cut():
    text = " ".join(["word"] * 20)
    assert excerpt(text, 20) == text


def test_trailing_punctuation_is_dropped_before_the_ellipsis():
    text = "One two three, four five six seven"
    assert excerpt(text, 3) == "One two three..."
    assert excerpt("این یک متن، بلند است که ادامه دارد", 3) == "این یک متن..."


def test_whitespace_is_normalised():
    assert excerpt("  many\n\nspaces   here  ", 20) == "many spaces here"


def test_empty_text():
    assert excerpt("", 20) == ""
    assert excerpt(None, 20) == ""
