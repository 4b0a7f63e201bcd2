"""Word diffs between versions."""

from drafting.diff import word_diff


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
