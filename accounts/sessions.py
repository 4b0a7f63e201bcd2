"""Sessions as ``cached_db`` keeps them (read from the cache, written through to the database),
with one change: a session removed loses its cached copy before its row.

Removing the row tells the live streams held under that session to ask again who they serve
(``live.access``, when the row's deletion commits). Django's ``cached_db`` removes the copy after
the row, so a stream asking at once could still find the session signed in, in the cache.
"""

from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    def delete(self, session_key=None):
        key = self.session_key if session_key is None else session_key
        if key is not None:
            self._cache.delete(self.cache_key_prefix + key)
        super().delete(session_key)
