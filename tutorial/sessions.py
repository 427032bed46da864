"""Django's database sessions, with the read that nearly every request makes done as one plain statement.

Reading the session is the first query of almost every page, and the ORM spends longer building
``Session.objects.get(session_key=..., expire_date__gt=now)`` than SQLite or PostgreSQL spend answering it
(about 0.4 ms against 0.05 ms on the 2-core bench machine; bench/README.md). Only ``load`` changes: the same
table, the same rule (a session past its expiry date is not read), the same decoding, so switching back to
``django.contrib.sessions.backends.db`` needs no migration. Creating, saving, cycling keys, flushing and
``clearsessions`` are Django's own code.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        connection = connections[router.db_for_read(self.model, instance=None)]
        quote = connection.ops.quote_name
        meta = self.model._meta
        data, key, expires = (quote(meta.get_field(name).column)
                              for name in ("session_data", "session_key", "expire_date"))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {data} FROM {quote(meta.db_table)} WHERE {key} = %s AND {expires} > %s",
                           [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: an unknown or expired key is dropped, a new one made on save
            return {}
        return self.decode(row[0])
