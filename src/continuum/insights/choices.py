"""Kinds and topics of lessons learned (issue 17)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonKind(models.TextChoices):
    GOOD_PRACTICE = "good_practice", _("Good practice")
    FAILURE = "failure", _("Failure to learn from")


class LessonTopic(models.TextChoices):
    INFORMATION_SHARING = "information_sharing", _("Information sharing")
    MULTI_AGENCY = "multi_agency", _("Working with other agencies")
    ASSESSMENT = "assessment", _("Assessment")
    DISENGAGEMENT = "disengagement", _("Disengagement work")
    RELEASE = "release", _("Release and the first days out")
    FAMILY = "family", _("Families and children")
    GENDER = "gender", _("Gender")
    MENTORING = "mentoring", _("Mentoring")
    MEDIA = "media", _("Media")
    STAFF = "staff", _("Staff and training")
