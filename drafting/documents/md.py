"""Markdown; a redline uses CriticMarkup ({--deleted--}{++inserted++})."""


def _redline(changes) -> str:
    marks = {"insert": "{{++{}++}}", "delete": "{{--{}--}}", "equal": "{}"}
    return "".join(marks[c["op"]].format(c["text"]) for c in changes)


def render(document) -> bytes:
    lines = [f"# {document.title}", "", f"*{document.label} — {document.date:%Y-%m-%d}*", ""]
    if document.redline_label:
        lines += [f"Changes since {document.redline_label}: {{++inserted++}}, {{--deleted--}}.", ""]
    for number, section in enumerate(document.sections, 1):
        lines += [f"## {number}. {section.title}", ""]
        for clause in section.clauses:
            status = "" if clause.status == "agreed" else f" ({clause.status})"
            lines += [f"### {clause.cited}. {clause.title}{status}", ""]
            text = _redline(clause.redline) if clause.redline else clause.text
            lines += [f"[{text}]" if clause.bracketed else text, ""]
    for clause in document.removed:
        lines += [f"### {clause.label}. {clause.title} (removed)", "", _redline(clause.redline), ""]
    return "\n".join(lines).encode()
