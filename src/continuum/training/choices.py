"""The words of staff training (issue 16): the topics of the course catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    GENDER_AWARENESS = "gender_awareness", _("Gender awareness")
    TRAUMA_INFORMED = "trauma_informed", _("Trauma-informed practice")
    RADICALISATION_SIGNALS = "radicalisation_signals", _("Signals of radicalisation")
    MEDIA_HANDLING = "media_handling", _("Handling media requests")
    INTERCULTURAL = "intercultural", _("Intercultural competence")
    INSTRUMENT_CERTIFICATION = "instrument_certification", _("Instrument certification")
    TRAIN_THE_TRAINER = "train_the_trainer", _("Train the trainer")
    OTHER = "other", _("Other")
