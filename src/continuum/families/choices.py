"""The words of families and children (issue 15): relationships, placements, contact, counselling."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RelationKind(models.TextChoices):
    """How a relative or contact is related to the case's person (the relative is the person's …)."""

    CHILD = "child", pgettext_lazy("relation", "Child")
    PARTNER = "partner", pgettext_lazy("relation", "Partner")
    PARENT = "parent", pgettext_lazy("relation", "Parent")
    SIBLING = "sibling", pgettext_lazy("relation", "Brother or sister")
    OTHER_FAMILY = "other_family", pgettext_lazy("relation", "Other family")
    NETWORK_CONTACT = "network_contact", pgettext_lazy("relation", "Someone in their circle")

    if TYPE_CHECKING:

        @property
        def label(self) -> str: ...


class Influence(models.TextChoices):
    """What the team judges the relative's influence to be: a judgement, with the note saying why."""

    PROTECTIVE = "protective", pgettext_lazy("influence", "Protective")
    RISK = "risk", pgettext_lazy("influence", "A risk")
    UNKNOWN = "unknown", pgettext_lazy("influence", "Not known")


class PlacementKind(models.TextChoices):
    WITH_PARENT = "with_parent", _("With the parent (maternity unit)")
    EXTENDED_FAMILY = "extended_family", _("With extended family")
    FOSTER_FAMILY = "foster_family", _("In a foster family")
    INSTITUTION = "institution", _("In an institution")
    OTHER_PARENT = "other_parent", _("With the other parent")


class ContactForm(models.TextChoices):
    IN_PERSON = "in_person", pgettext_lazy("contact form", "In person")
    VIDEO = "video", pgettext_lazy("contact form", "Video call")
    PHONE = "phone", pgettext_lazy("contact form", "Phone call")
    LETTER = "letter", pgettext_lazy("contact form", "Letter")


class VisitSetting(models.TextChoices):
    """Where a visit happens; the prison needs it to prepare the room, nothing more."""

    CHILD_FRIENDLY_ROOM = "child_friendly_room", _("Child-friendly visiting room")
    VISITING_HALL = "visiting_hall", _("Ordinary visiting hall")
    OUTSIDE_PRISON = "outside_prison", _("Outside the prison (accompanied leave)")
    REMOTE = "remote", _("From a distance (video, phone or letter)")


class Urgency(models.TextChoices):
    LOW = "low", pgettext_lazy("urgency", "Low")
    MEDIUM = "medium", pgettext_lazy("urgency", "Medium")
    HIGH = "high", pgettext_lazy("urgency", "High")


class OfferResponse(models.TextChoices):
    """The person's answer when taking part is offered again."""

    ACCEPTED = "accepted", pgettext_lazy("offer", "Accepted")
    REFUSED = "refused", pgettext_lazy("offer", "Refused again")
    NO_ANSWER = "no_answer", pgettext_lazy("offer", "No answer yet")
