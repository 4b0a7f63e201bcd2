"""Word diffs between versions, and the visible text they are taken of."""

from drafting.diff import visible_text, word_diff
from drafting.markdown import render_markdown


def test_word_diff_marks_inserted_and_deleted_words():
    changes = word_diff("States should not attack infrastructure.", "States shall not attack critical infrastructure.")
    assert changes == [
        {"op": "equal", "text": "States "},
        {"op": "delete", "text": "should"},
        {"op": "insert", "text": "shall"},
        {"op": "equal", "text": " not attack "},
        {"op": "insert", "text": "critical "},
        {"op": "equal", "text": "infrastructure."},
    ]
    old = "".join(c["text"] for c in changes if c["op"] != "insert")
    new = "".join(c["text"] for c in changes if c["op"] != "delete")
    assert (old, new) == (
        "States should not attack infrastructure.",
        "States shall not attack critical infrastructure.",
    )


def test_word_diff_of_identical_text_is_one_equal_run():
    assert word_diff("same text", "same text") == [{"op": "equal", "text": "same text"}]


def _rebuilt(changes):
    old = "".join(c["text"] for c in changes if c["op"] != "insert")
    new = "".join(c["text"] for c in changes if c["op"] != "delete")
    return old, new


def _paragraphs(seed: int, count: int) -> list[str]:
    import random

    words = "States should not knowingly allow their territory to be used for wrongful acts using ICTs".split()
    rng = random.Random(seed)
    return [" ".join(rng.choice(words) for _ in range(90)) + "." for _ in range(count)]


def test_a_long_text_changed_everywhere_still_reads_word_by_word():
    """Past the word-pair bound the text is compared sentence by sentence, then word by word inside."""
    old_paragraphs = _paragraphs(1, 12)
    new_paragraphs = [p.replace(" ", " critical ", 1) for p in old_paragraphs]
    old, new = "\n\n".join(old_paragraphs), "\n\n".join(new_paragraphs)
    changes = word_diff(old, new)
    assert _rebuilt(changes) == (old, new)
    assert [c["text"].strip() for c in changes if c["op"] == "insert"] == ["critical"] * 12
    assert not [c for c in changes if c["op"] == "delete"]


def test_unrelated_long_texts_fall_back_to_a_coarser_diff_instead_of_hanging():
    import time

    old, new = " ".join(_paragraphs(2, 200)), " ".join(_paragraphs(3, 200))  # 18,000 words each
    start = time.perf_counter()
    changes = word_diff(old, new)
    assert time.perf_counter() - start < 5  # word by word this takes minutes
    assert _rebuilt(changes) == (old, new)


def test_visible_text_keeps_paragraphs_apart_and_joins_soft_breaks():
    text = visible_text(render_markdown("One **two**\nthree.\n\n- a\n- b\n\nLine  \nbreak &amp; more"))
    assert text == "One two three.\n\na\nb\n\nLine\nbreak & more"
