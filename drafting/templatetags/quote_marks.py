from django import template
from django.utils.safestring import mark_safe

from ..quotes import highlight, quoted_comments

register = template.Library()


@register.filter
def mark_quotes(html: str, threads) -> str:
    """Highlight in already-safe ``html`` the words quoted by the comments of ``threads`` this reader may see."""
    quoted = quoted_comments(threads or ())
    if not quoted:
        return html
    return mark_safe(highlight(html, [(c.id, c.quote) for c in quoted]))  # noqa: S308 - tags kept, text escaped
