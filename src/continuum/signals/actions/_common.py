"""What the signal actions share: numbering, saving a new signal, locking, and who triages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from continuum.accounts.models import User
from continuum.signals.models import Signal, SignalNote
from continuum.signals.policy import can_triage_signals

MAX_DESCRIPTION = 10_000


MAX_NOTE = 5_000


MAX_RATIONALE = 5_000


def _next_number() -> int:
    return (Signal.objects.aggregate(m=Max("number"))["m"] or 0) + 1


def _save_new(signal: Signal) -> None:
    for _attempt in range(5):
        signal.number = _next_number()
        try:
            with transaction.atomic():
                signal.save(force_insert=True)
            return
        except IntegrityError:  # two signals reported at once took the same number: take the next
            continue
    raise RuntimeError("Could not allocate a signal number.")


def _recheck_visible(model: type[Signal] | type[SignalNote], pk: Any, acting_user: User) -> None:
    """Re-check after writing (NetBox): the actor must still see what it wrote or decided."""
    if not model.objects.visible_to(acting_user).filter(pk=pk).exists():
        raise PermissionDenied(_("The signal would not be visible to you."))


def _require_triage(acting_user: User) -> None:
    if not can_triage_signals(acting_user):
        raise PermissionDenied(_("Only the central point's analysts and coordinators do this."))


def _lock(signal: Signal) -> Signal:
    return Signal.objects.select_for_update(of=("self",)).select_related("author_org", "author").get(pk=signal.pk)


def _refresh(signal: Signal, locked: Signal) -> None:
    """Hand the caller's instance the saved state (the caller keeps using it)."""
    for field in locked._meta.concrete_fields:
        setattr(signal, field.attname, getattr(locked, field.attname))
