"""``kubectl describe secret``, after kubectl's describer: only the size of each value, never the value."""

from __future__ import annotations

import base64

from ..describing import Describer, Lines, object_head
from ..model import Secret


def describe_secret(ctx: Describer, s: Secret) -> str:
    w = Lines()
    object_head(w, s)
    w.add("", f"Type:\t{s.type}", "", "Data", "====")
    for key in sorted(s.data):
        w.add(f"{key}:\t{len(base64.b64decode(s.data[key]))} bytes")
    return w.text()
