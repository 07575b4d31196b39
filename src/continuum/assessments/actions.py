"""Loading instruments; opening, rating, agreeing and finalising assessments (issue 5).

Every action is atomic, validates before it writes, writes the audit event in the same
transaction, and refuses any change to a finalised assessment (a correction is a new one).
Continuum never writes an assessment's judgement itself: only ``do_finalise_assessment`` sets
``judgement_level`` and ``judgement_summary``, copied from what the finalising person wrote
(``tests/test_assessments_api.py::TestNoAutomatedVerdicts`` proves it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from continuum.accounts.models import User
from continuum.assessments.choices import AssessmentStatus
from continuum.assessments.format import module_codes
from continuum.assessments.models import Assessment, Assessor, AssessorRating, ConsensusRating, Instrument
from continuum.assessments.policy import can_assess, can_open_assessment
from continuum.audit.log import record
from continuum.audit.models import AuditAction
from continuum.cases.models import Case
from continuum.sharing.choices import Category, Statement

MAX_TEXT = 5000
RATING_TEXT_FIELDS = ("rationale", "evidence_for", "evidence_against")


# --- instruments --------------------------------------------------------------------------------------


def _without_translations(definition: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in definition.items() if key != "translations"}


@transaction.atomic
def do_load_instrument(
    definition: dict[str, Any],
    *,
    source: str = "",
    builtin: bool = False,
    acting_user: User | None,
    audit: bool = True,
) -> tuple[Instrument, bool]:
    """Store a parsed instrument definition (``format.parse_instrument``); ``(instrument, created)``.

    Loading the same version again with the same content changes nothing; with different content it
    is refused: a loaded version is what assessments are pinned to, so a change needs a new version.
    """
    existing = Instrument.objects.filter(code=definition["code"], version=definition["version"]).first()
    if existing is not None:
        if _without_translations(existing.definition) != _without_translations(definition):
            raise ValidationError(
                f"{definition['code']} version {definition['version']} is already loaded with different content; "
                "give the changed instrument a new version."
            )
        if existing.definition.get("translations", {}) != definition.get("translations", {}):
            # Translations are how the texts read, not what is rated: a loaded version takes new ones.
            existing.definition = definition
            existing.save(update_fields=["definition"])
            if audit:
                record(
                    AuditAction.UPDATE,
                    actor=acting_user,
                    object_type="instrument",
                    object_id=existing.pk,
                    detail={
                        "code": existing.code,
                        "version": existing.version,
                        "translations": sorted(definition.get("translations", {})),
                        "source": source[:300],
                    },
                )
        return existing, False
    instrument = Instrument.objects.create(
        code=definition["code"],
        version=definition["version"],
        name=definition["name"],
        kind=definition["kind"],
        category=definition["category"],
        definition=definition,
        builtin=builtin,
        source=source[:300],
        loaded_by=acting_user,
    )
    if audit:
        record(
            AuditAction.CREATE,
            actor=acting_user,
            object_type="instrument",
            object_id=instrument.pk,
            detail={"code": instrument.code, "version": instrument.version, "source": instrument.source},
        )
    return instrument, True


def find_instrument(code: str, version: str | None = None) -> Instrument:
    """The named version of an instrument, or its latest (by version number) when none is named."""
    candidates = list(Instrument.objects.filter(code=code))
    if not candidates:
        raise ValidationError({"instrument": _("No instrument %(code)s is loaded.") % {"code": repr(code)}})
    if version:
        for instrument in candidates:
            if instrument.version == version:
                return instrument
        raise ValidationError(
            {"instrument_version": _("%(code)s has no version %(version)s.") % {"code": code, "version": repr(version)}}
        )
    from continuum.assessments.models import version_key

    return max(candidates, key=lambda i: version_key(i.version))


# --- opening --------------------------------------------------------------------------------------------


@transaction.atomic
def do_open_assessment(
    case: Case,
    *,
    instrument: Instrument,
    assessors: Sequence[User] = (),
    modules: Iterable[str] = (),
    acting_user: User,
) -> Assessment:
    """Open an assessment of the case's person with an instrument, its chosen modules and its assessors.

    The opener's organisation must be able to write the instrument's category on the case, and so
    must every assessor's (``policy.can_assess``). Without assessors, the opener is the one assessor.
    """
    category = instrument.category
    if not can_open_assessment(acting_user, case, category):
        raise PermissionDenied(
            _("Your organisation may not write %(category)s records on this case.")
            % {"category": Category(category).label.lower()}
        )
    organisation = acting_user.organisation
    if organisation is None:  # can_open_assessment has refused already; this tells the type checker
        raise PermissionDenied(_("You belong to no organisation."))
    chosen = list(dict.fromkeys(modules))
    unknown = [m for m in chosen if m not in module_codes(instrument.definition)]
    if unknown:
        available = ", ".join(module_codes(instrument.definition)) or _("none")
        message = _("Unknown module(s) %(modules)s (available: %(available)s).")
        raise ValidationError({"modules": [message % {"modules": ", ".join(unknown), "available": available}]})
    people = list(dict.fromkeys(assessors)) or [acting_user]
    refused = [u.username for u in people if not can_assess(u, case, category)]
    if refused:
        raise ValidationError(
            {
                "assessors": [
                    _(
                        "%(users)s: an assessor must be an active user of a member organisation "
                        "that may write %(category)s records on this case."
                    )
                    % {"users": ", ".join(refused), "category": Category(category).label.lower()}
                ]
            }
        )
    assessment = Assessment.objects.create(
        person_id=case.person_id,
        case=case,
        category=category,
        author=acting_user,
        author_org=organisation,
        statement=Statement.ASSESSMENT,
        source=f"{instrument.code} {instrument.version}",
        instrument=instrument,
        modules=chosen,
    )
    Assessor.objects.bulk_create([Assessor(assessment=assessment, user=u, organisation=u.organisation) for u in people])
    _recheck_visible(assessment, acting_user)
    _audit(
        AuditAction.CREATE,
        assessment,
        acting_user,
        {
            "instrument": instrument.code,
            "version": instrument.version,
            "modules": chosen,
            "assessors": [u.username for u in people],
        },
    )
    return assessment


# --- independent ratings ------------------------------------------------------------------------------------


@transaction.atomic
def do_save_ratings(assessment: Assessment, *, ratings: Sequence[dict[str, Any]], acting_user: User) -> int:
    """Save (create or replace) the calling assessor's own ratings of the given items; a draft may be partial.

    A rating is one of the item's scale values, or ``None`` for a "known unknown", which needs a
    rationale saying why. Refused once the assessor has submitted. Returns the number saved.
    """
    locked = _lock(assessment)
    assessor = _require_assessor(locked, acting_user)
    if assessor.submitted:
        raise ValidationError(_("You have submitted your ratings; they can no longer change."))
    if locked.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("The assessors' rating stage of this assessment is over."))
    items = locked.items()
    cleaned = _clean_ratings(ratings, items, rationale_required=False)
    existing = {r.item: r for r in AssessorRating.objects.filter(assessment=locked, assessor=acting_user)}
    now = timezone.now()
    for entry in cleaned:
        row = existing.get(entry["item"])
        if row is None:
            AssessorRating.objects.create(assessment=locked, assessor=acting_user, updated_at=now, **entry)
            continue
        row.rating, row.decisive, row.updated_at = entry["rating"], entry["decisive"], now
        row.rationale, row.evidence_for, row.evidence_against = (entry[f] for f in RATING_TEXT_FIELDS)
        row.save(update_fields=["rating", *RATING_TEXT_FIELDS, "decisive", "updated_at"])
    _audit(AuditAction.UPDATE, locked, acting_user, {"ratings_saved": [e["item"] for e in cleaned]})
    return len(cleaned)


@transaction.atomic
def do_submit_ratings(assessment: Assessment, *, acting_user: User) -> Assessment:
    """The calling assessor's ratings are complete: every item rated, or a known unknown, each with a rationale.

    When the last assessor submits, the assessment moves on to the consensus stage.
    """
    locked = _lock(assessment)
    assessor = _require_assessor(locked, acting_user)
    if assessor.submitted:
        raise ValidationError(_("You have already submitted your ratings."))
    if locked.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("The assessors' rating stage of this assessment is over."))
    rows = {r.item: r for r in AssessorRating.objects.filter(assessment=locked, assessor=acting_user)}
    missing = [code for code in locked.items() if code not in rows]
    no_rationale = [code for code in locked.items() if code in rows and not rows[code].rationale.strip()]
    problems = []
    if missing:
        problems.append(
            _("Not rated yet (give a rating, or none with the reason why): %(items)s.") % {"items": ", ".join(missing)}
        )
    if no_rationale:
        problems.append(_("Rationale missing for: %(items)s.") % {"items": ", ".join(no_rationale)})
    if problems:
        raise ValidationError({"ratings": problems})
    assessor.submitted_at = timezone.now()
    assessor.save(update_fields=["submitted_at"])
    if not locked.assessors.filter(submitted_at__isnull=True).exists():
        locked.status = AssessmentStatus.CONSENSUS
        locked.save(update_fields=["status"])
    _audit(AuditAction.UPDATE, locked, acting_user, {"submitted": acting_user.username, "status": locked.status})
    return locked


# --- consensus and finalising -----------------------------------------------------------------------------


@transaction.atomic
def do_record_consensus(assessment: Assessment, *, ratings: Sequence[dict[str, Any]], acting_user: User) -> int:
    """Record the team's agreed rating (or known unknown) of the given items, each with its rationale.

    Only once every assessor has submitted, and only by an assessor. A later call replaces the
    consensus of the items it names. Returns the number recorded.
    """
    locked = _lock(assessment)
    _require_assessor(locked, acting_user)
    if locked.status == AssessmentStatus.DRAFT:
        pending = locked.assessors.filter(submitted_at__isnull=True).count()
        raise ValidationError(
            _("The consensus is recorded after every assessor has submitted (%(pending)s still to submit).")
            % {"pending": pending}
        )
    cleaned = _clean_ratings(ratings, locked.items(), rationale_required=True, consensus=True)
    existing = {r.item: r for r in ConsensusRating.objects.filter(assessment=locked)}
    now = timezone.now()
    for entry in cleaned:
        row = existing.get(entry["item"])
        if row is None:
            ConsensusRating.objects.create(assessment=locked, recorded_by=acting_user, recorded_at=now, **entry)
            continue
        row.rating, row.rationale = entry["rating"], entry["rationale"]
        row.recorded_by, row.recorded_at = acting_user, now
        row.save(update_fields=["rating", "rationale", "recorded_by", "recorded_at"])
    _audit(AuditAction.UPDATE, locked, acting_user, {"consensus_recorded": [e["item"] for e in cleaned]})
    return len(cleaned)


@transaction.atomic
def do_finalise_assessment(
    assessment: Assessment,
    *,
    judgement_level: str,
    judgement_summary: str,
    next_review_on: date | None,
    acting_user: User,
) -> Assessment:
    """Finalise with the overall judgement written by the acting person, and set the next review date.

    Requires a consensus rating (or a known unknown with its reason) with a rationale for every
    item, a judgement level and summary, and a next review date in the future. The judgement is the
    person's words, copied as written: Continuum never derives it from the ratings (EU AI Act
    Art. 5(1)(d)). Afterwards the assessment is immutable.
    """
    locked = _lock(assessment)
    _require_assessor(locked, acting_user)
    if locked.status == AssessmentStatus.DRAFT:
        raise ValidationError(_("Every assessor must submit and the team agree a consensus first."))
    errors: dict[str, list[str]] = {}
    level = (judgement_level or "").strip()
    summary = (judgement_summary or "").strip()
    allowed = locked.instrument.definition.get("judgement_levels") or []
    if not level:
        errors.setdefault("judgement", []).append(_("Write the overall judgement level."))
    elif allowed and level not in allowed:
        errors.setdefault("judgement", []).append(
            _("The level must be one of: %(levels)s.") % {"levels": ", ".join(allowed)}
        )
    elif len(level) > 60:
        errors.setdefault("judgement", []).append(_("The level is at most 60 characters; explain in the summary."))
    if not summary:
        errors.setdefault("judgement", []).append(_("Write the overall judgement summary, with its rationale."))
    if next_review_on is None:
        errors["next_review_on"] = [_("Set the date of the next review.")]
    elif next_review_on <= timezone.localdate():
        errors["next_review_on"] = [_("The next review must be after today.")]
    consensus = {r.item: r for r in ConsensusRating.objects.filter(assessment=locked)}
    missing = [code for code in locked.items() if code not in consensus]
    no_rationale = [code for code, row in consensus.items() if not row.rationale.strip()]
    if missing:
        errors.setdefault("consensus", []).append(
            _("No consensus rating for: %(items)s.") % {"items": ", ".join(missing)}
        )
    if no_rationale:
        errors.setdefault("consensus", []).append(
            _("Rationale missing for: %(items)s.") % {"items": ", ".join(no_rationale)}
        )
    if errors:
        raise ValidationError(errors)
    # The only place a judgement is written: the finalising person's own words.
    locked.judgement_level = level
    locked.judgement_summary = summary
    locked.next_review_on = next_review_on
    locked.finalised_by = acting_user
    locked.finalised_on = timezone.localdate()
    locked.status = AssessmentStatus.FINALISED
    locked.save(
        update_fields=[
            "judgement_level",
            "judgement_summary",
            "next_review_on",
            "finalised_by",
            "finalised_on",
            "status",
        ]
    )
    _recheck_visible(locked, acting_user)
    _audit(
        AuditAction.UPDATE,
        locked,
        acting_user,
        {"finalised_by": acting_user.username, "next_review_on": next_review_on.isoformat() if next_review_on else ""},
    )
    return locked


# --- helpers -------------------------------------------------------------------------------------------------


def _lock(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update(of=("self",)).select_related("instrument").get(pk=assessment.pk)
    if locked.status == AssessmentStatus.FINALISED:
        raise ValidationError(_("This assessment is finalised and cannot change; a review is a new assessment."))
    return locked


def _require_assessor(assessment: Assessment, user: User) -> Assessor:
    assessor = Assessor.objects.filter(assessment=assessment, user=user).first()
    if assessor is None:
        raise PermissionDenied(_("Only the assessment's assessors rate, agree and finalise it."))
    if assessment.case is None or not can_assess(user, assessment.case, assessment.category):
        raise PermissionDenied(_("Your organisation may no longer write this category on this case."))
    return assessor


def _clean_ratings(
    ratings: Sequence[dict[str, Any]],
    items: dict[str, dict[str, Any]],
    *,
    rationale_required: bool,
    consensus: bool = False,
) -> list[dict[str, Any]]:
    """Validate a list of ratings against the assessment's items; every problem names its item."""
    problems: list[str] = []
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    if not ratings:
        raise ValidationError({"ratings": [_("Send at least one rating.")]})
    for index, entry in enumerate(ratings):
        code = str(entry.get("item", ""))
        label = _("item %(code)s") % {"code": repr(code)} if code else _("rating #%(number)s") % {"number": index + 1}
        if code not in items:
            problems.append(_("%(item)s: not an item of this assessment's instrument and modules.") % {"item": label})
            continue
        if code in seen:
            problems.append(_("%(item)s: sent twice.") % {"item": label})
            continue
        seen.add(code)
        rating = entry.get("rating")
        allowed = [point["value"] for point in items[code]["scale"]]
        if rating is not None and (isinstance(rating, bool) or rating not in allowed):
            problems.append(
                _("%(item)s: %(rating)s is not on its scale (%(values)s, or null).")
                % {"item": label, "rating": repr(rating), "values": ", ".join(map(str, allowed))}
            )
            continue
        texts = {field: str(entry.get(field) or "").strip() for field in RATING_TEXT_FIELDS}
        too_long = [field for field, text in texts.items() if len(text) > MAX_TEXT]
        if too_long:
            problems.append(
                _("%(item)s: %(fields)s is longer than %(max)s characters.")
                % {"item": label, "fields": ", ".join(too_long), "max": MAX_TEXT}
            )
            continue
        if rating is None and not texts["rationale"]:
            problems.append(_("%(item)s: a known unknown (no rating) needs a rationale saying why.") % {"item": label})
            continue
        if rationale_required and not texts["rationale"]:
            problems.append(_("%(item)s: the rationale is missing.") % {"item": label})
            continue
        if consensus:
            cleaned.append({"item": code, "rating": rating, "rationale": texts["rationale"]})
        else:
            cleaned.append({"item": code, "rating": rating, **texts, "decisive": bool(entry.get("decisive", False))})
    if problems:
        raise ValidationError({"ratings": problems})
    return cleaned


def _recheck_visible(assessment: Assessment, acting_user: User) -> None:
    """Re-check after writing (STYLE.md 5): the author's organisation must see what it wrote."""
    if not Assessment.objects.visible_to(acting_user).filter(pk=assessment.pk).exists():
        raise PermissionDenied(_("Your organisation could not see this assessment after writing it."))


def _audit(action: AuditAction, assessment: Assessment, acting_user: User, detail: dict[str, Any]) -> None:
    record(
        action,
        actor=acting_user,
        object_type="assessment",
        object_id=assessment.pk,
        person_id=assessment.person_id,
        case_id=assessment.case_id,
        detail=detail,
    )
