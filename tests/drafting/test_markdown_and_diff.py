from drafting.diff import word_diff
from drafting.markdown import render_markdown
from drafting.templatetags.drafting_tags import bracketed


def test_markdown_renders_emphasis_lists_and_links():
    html = render_markdown("States **should** cooperate:\n\n1. share\n2. assist\n\n[GGE](https://un.org/x)")
    assert "<strong>should</strong>" in html
    assert "<ol>" in html and "<li>share</li>" in html
    assert 'href="https://un.org/x"' in html and "noopener" in html


def test_markdown_strips_scripts_handlers_and_javascript_links():
    html = render_markdown(
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> [click](javascript:alert(3)) '
        '<a href="https://x" onclick="alert(4)">x</a>'
    )
    assert "<script" not in html and "<img" not in html
    assert "&lt;img" in html  # shown as text, never as an element
    assert 'href="javascript' not in html
    assert '<a href="https://x" onclick' not in html


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


def test_bracketed_puts_square_brackets_inside_the_paragraph():
    assert bracketed("<p>Text</p>") == '<p><span class="bracket">[</span>Text<span class="bracket">]</span></p>'
