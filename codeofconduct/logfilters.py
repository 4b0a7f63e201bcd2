"""What the log keeps: a traceback there means a bug, nothing else.

Django logs each request it refuses as suspicious (a ``Host`` header no setting allows, a body
with too many fields, ...) on a ``django.security.*`` logger at ERROR with its traceback. Such a
request is a client's fault, answered 400 already: it is logged as one WARNING line, without the
traceback, so real errors stay easy to find.
"""

import logging


class ClientFaults(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security."):
            record.exc_info = record.exc_text = None
            record.stack_info = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
