"""A notice's text shortened: at a word, with "…", never mid-word."""

from notifications.text import shorten

SENTENCE = "“First reading” of the code is open for proposals, amendments and comments. It closes 2030-12-01 10:00 UTC."


def test_text_that_fits_stays_whole():
    assert shorten(SENTENCE, len(SENTENCE)) == SENTENCE
    assert shorten("", 5) == ""


def test_text_too_long_ends_at_its_last_whole_word_with_an_ellipsis():
    for limit in range(12, len(SENTENCE)):
        short = shorten(SENTENCE, limit)
        assert len(short) <= limit and short.endswith("…")
        head = short[:-1]
        assert SENTENCE.startswith(head)
        assert SENTENCE[len(head)] in " ,.", (limit, short)  # the word before the cut is whole
    assert (
        shorten(SENTENCE, 90)
        == "“First reading” of the code is open for proposals, amendments and comments. It closes…"
    )


def test_what_closes_a_phrase_is_dropped_before_the_ellipsis():
    assert shorten("Open for proposals, amendments and comments", 20) == "Open for proposals…"
    assert shorten("It closes soon. Vote now please", 17) == "It closes soon…"


def test_a_first_word_longer_than_the_limit_is_cut_inside_it():
    assert shorten("Supercalifragilistic words", 8) == "Superca…"
    assert shorten("a\nb c", 4) == "a\nb…"
