"""Markdown rendered once per version, and sanitised."""

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


def test_bracketed_puts_square_brackets_inside_the_paragraph():
    assert bracketed("<p>Text</p>") == '<p><span class="bracket">[</span>Text<span class="bracket">]</span></p>'
