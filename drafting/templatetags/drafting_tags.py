from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from codeofconduct import timezones
from drafting import models

register = template.Library()


@register.filter
def when(value) -> str:
    """A time with its zone, in the reader's own zone: "4 Dec 2026, 17:00 CET" (codeofconduct.timezones)."""
    return timezones.display(value)


@register.filter
def text_language(code: str) -> str:
    """The name of a language a text is in ("French"); not Django's own ``language_name``, which
    the i18n library would put in its place."""
    return models.language_name(code)


@register.filter
def text_direction(code: str) -> str:
    """``rtl`` for a text in Arabic, ``ltr`` for the others."""
    return models.text_direction(code)


@register.filter
def snapshot_name(snapshot) -> str:
    """A snapshot as readers cite it, "Rev.2", with its label when that says more ("Rev.2 · Chair's text")."""
    return snapshot.rev if snapshot.label == snapshot.rev else f"{snapshot.rev} · {snapshot.label}"


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


# What a screen reader says around each change of a redline: underline, strike-through and colour
# are not heard. The exports draw their own redlines (drafting/documents), without these words.
SPOKEN_CHANGES = {
    # Translators: a screen reader says it before the words a redline inserts.
    "insert": ("ins", _("inserted:"), _("end of insertion")),
    # Translators: a screen reader says it before the words a redline deletes.
    "delete": ("del", _("deleted:"), _("end of deletion")),
}
UNSEEN_CLASS = "visually-hidden"  # on the page, heard and not seen (drafting/quotes.py skips it)


@register.filter
def redline(changes) -> str:
    """A redline (``diff.word_diff`` ops) as the pages draw it: ``<ins>`` and ``<del>`` runs, each
    announced before and after by words only a screen reader speaks."""
    parts = []
    for change in changes or ():
        text = escape(change["text"])
        if change["op"] in SPOKEN_CHANGES:
            tag, before, after = SPOKEN_CHANGES[change["op"]]
            parts.append(
                f'<span class="{UNSEEN_CLASS}">{escape(before)} </span><{tag}>{text}</{tag}>'
                f'<span class="{UNSEEN_CLASS}"> {escape(after)} </span>'
            )
        else:
            parts.append(f"<span>{text}</span>")
    return mark_safe("".join(parts))  # noqa: S308 - the text is escaped, the rest is fixed markup


@register.simple_tag
def tally_bar(tally: dict, width: int = 240) -> str:
    """A stacked yes / no / abstain bar as inline SVG (attributes only: no inline styles, strict CSP)."""
    yes, no, abstain = (int(tally.get(k, 0)) for k in ("yes", "no", "abstain"))
    total = yes + no + abstain
    # Translators: a tally read aloud and shown on hover, e.g. "3 yes, 1 no, 0 abstain".
    label = escape(gettext("%(yes)d yes, %(no)d no, %(abstain)d abstain") % {"yes": yes, "no": no, "abstain": abstain})
    parts, x = [], 0.0
    for count, css in ((yes, "bar-yes"), (no, "bar-no"), (abstain, "bar-abstain")):
        if total and count:
            w = width * count / total
            parts.append(f'<rect class="{css}" x="{x:.1f}" y="0" width="{w:.1f}" height="14"/>')
            x += w
    if not total:
        parts.append(f'<rect class="bar-empty" x="0" y="0" width="{width}" height="14"/>')
    return mark_safe(  # noqa: S308 - numbers, fixed class names and the escaped label only
        # The viewBox scales the bar with its box: a narrower box (a phone, a table column) draws
        # every part narrower in proportion, never cuts off the parts at the right.
        f'<svg class="tally-bar" width="{width}" height="14" viewBox="0 0 {width} 14" preserveAspectRatio="none" '
        f'role="img" aria-label="{label}">'
        f"<title>{label}</title>{''.join(parts)}</svg>"
    )


EXPORT_FORMATS = [
    ("pdf", "PDF"),
    ("docx", "Word"),
    ("html", "HTML"),
    ("md", "Markdown"),
    ("json", "JSON"),
    ("akn", "Akoma Ntoso"),
]


@register.inclusion_tag("drafting/_export.html")
def export_links(draft, snapshot=None, redline=None):
    return {"draft": draft, "export_snapshot": snapshot, "export_redline": redline, "export_formats": EXPORT_FORMATS}
