from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def bracketed(html: str) -> str:
    """Wrap already-sanitised clause HTML in square brackets, inside its first and last block.

    The brackets are real text, so they survive copy and paste the way delegates quote drafts.
    """
    html = html.strip()
    if html.startswith("<p>") and html.endswith("</p>"):
        html = '<p><span class="bracket">[</span>' + html[3:-4] + '<span class="bracket">]</span></p>'
    else:
        html = f'<span class="bracket">[</span>{html}<span class="bracket">]</span>'
    return mark_safe(html)  # noqa: S308 - the input is sanitised at save time
