"""Documents: the consolidated draft in the formats negotiators use (md, html, pdf, docx, json, akn),
the consultation report of a round, importing a draft from a file, and large exports run by a worker.

- ``document.py`` is what a document shows, ``document_build.py`` reads it from the draft;
  ``render.py`` dispatches it to a format module.
- ``report.py`` is a closed round's consultation report (CSV, JSON).
- ``data.py`` is the JSON export; ``schema.py`` declares its format (``fields.py``: how each value
  is read), which ``imports/`` checks a file against.
- ``imports/`` creates a draft from Markdown or a JSON export (a service: every write is checked):
  ``reading``, ``validation``, then ``writing`` and ``record``.
- ``jobs.py`` decides when an export runs in a worker and runs it there.
"""

from .document import ExportDocument
from .document_build import build
from .render import FORMATS, render

__all__ = ["FORMATS", "ExportDocument", "build", "render"]
