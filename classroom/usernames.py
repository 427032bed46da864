"""One spelling per username: NFKC + casefold, applied at sign-up, at log-in and whenever a user is created.

``ｂｏｂ`` (full-width), ``𝐛𝐨𝐛`` (mathematical bold) and ``Bob`` all become ``bob``, so they are one account
for the database's unique constraint, for log-in and for the log-in throttle. Names stored before this rule
were normalised by a migration where that did not collide with another account; log-in still finds those few
by their exact spelling.
"""

from __future__ import annotations

import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

LOOKALIKE = "이미 있는 이름이거나 그와 똑같아 보이는 이름입니다. 다른 이름을 골라 주세요."


def normalise(name: str) -> str:
    # Casefolding can undo NFKC (e.g. it expands some ligatures), hence NFKC again: Unicode's NFKC_Casefold.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold()).strip()


def find(name: str):
    """The user ``name`` stands for: an older account stored exactly as typed (one whose normal form was taken),
    else the normal form."""
    users = get_user_model()._default_manager
    return users.filter(username=name.strip()).first() or users.filter(username=normalise(name)).first()


def clean_new(name: str, instance=None) -> str:
    """The normal form of a username being chosen, or the Korean reason it cannot be had."""
    name = normalise(name)
    taken = get_user_model()._default_manager.filter(username__iexact=name)
    if instance is not None and instance.pk:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise ValidationError(LOOKALIKE, code="unique")
    return name


def normalise_on_create(sender, instance, raw=False, **kwargs) -> None:
    """pre_save: every new account gets the normal form, whatever made it (admin, createsuperuser, a script),
    so the unique constraint refuses a look-alike even where no form checked first."""
    if instance._state.adding and not raw and instance.username:
        instance.username = normalise(instance.username)
