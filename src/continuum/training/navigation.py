"""The training pages' item of the main navigation (``continuum.context_processors``): "Training",
for every active user of an organisation (their own training and the catalogue). No query."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from continuum.training.policy import can_use_training


def training_nav(user: Any) -> list[tuple[str, str]]:
    return [(_("Training"), reverse("training:mine"))] if can_use_training(user) else []
