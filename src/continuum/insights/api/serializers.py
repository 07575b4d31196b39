"""Insights (API.md, "Insights"): what goes in and what comes out."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from continuum.cases.choices import Phase
from continuum.insights import tables
from continuum.insights.choices import LessonKind, LessonTopic
from continuum.insights.models import Lesson, Publication, PublishedTable


def scope_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=["mine", "all"],
        required=False,
        help_text=gettext_lazy(
            "mine: the cases of the user's organisation, not suppressed; all: every case, through the "
            "disclosure control. Default: mine, or all for research."
        ),
    )


class TableQuerySerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=list(tables.MEASURES))
    by = serializers.CharField(
        max_length=200,
        help_text=gettext_lazy(
            "Comma-separated, at most three of: gender, phase, age_band, extremism_type, release_year, "
            "time_in_programme"
        ),
    )
    scope = scope_field()


class RulesSerializer(serializers.Serializer):
    threshold = serializers.IntegerField()
    rounding = serializers.IntegerField()
    applied = serializers.BooleanField(help_text=gettext_lazy("false inside the case team (scope mine)."))
    method = serializers.CharField()


class TableSerializer(serializers.Serializer):
    measure = serializers.CharField()
    by = serializers.ListField(child=serializers.CharField())
    scope = serializers.CharField()
    cells = serializers.ListField(
        child=serializers.DictField(),
        help_text=gettext_lazy('Each: the by values, "value" (null when suppressed), "suppressed", "reason".'),
    )
    totals = serializers.ListField(
        child=serializers.DictField(),
        help_text=gettext_lazy("Like cells, with null where the total runs over that breakdown; the grand total last."),
    )
    rules = RulesSerializer()


class DashboardQuerySerializer(serializers.Serializer):
    by = serializers.ChoiceField(
        choices=list(tables.DIMENSIONS),
        required=False,
        help_text=gettext_lazy("The columns. Default: phase for one's own cases, release_year for every case."),
    )
    scope = scope_field()


class IndicatorCellSerializer(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("null when suppressed."))
    suppressed = serializers.BooleanField()
    reason = serializers.CharField()
    rate = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy(
            "Whole percent of the line's base in the same column, from the published values; null when the "
            "base is under 20 or either is hidden."
        ),
    )


class IndicatorLineSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label
    base = serializers.CharField(source="base_label", help_text=gettext_lazy("What the rate is a share of."))
    cells = IndicatorCellSerializer(many=True, help_text=gettext_lazy('One per column, "All" last.'))


class IndicatorPanelSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    lines = IndicatorLineSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    scope = serializers.CharField()
    by = serializers.CharField()
    cases = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("How many cases are counted (scope mine only).")
    )
    panels = IndicatorPanelSerializer(many=True)
    rules = RulesSerializer()


class TableAskedSerializer(serializers.Serializer):
    measure = serializers.CharField(max_length=40)
    by = serializers.ListField(child=serializers.CharField(max_length=40), max_length=5)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    commentary = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    def to_internal_value(self, data: Any) -> Any:
        # ``by`` may also be given as "gender,phase", as in the table query.
        if isinstance(data, dict) and isinstance(data.get("by"), str):
            data = {**data, "by": [part for part in data["by"].split(",") if part.strip()]}
        return super().to_internal_value(data)


class PublicationCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    commentary = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    tables = serializers.ListField(child=TableAskedSerializer(), allow_empty=False, max_length=10)


class PublishedTableSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublishedTable
        fields = ["position", "title", "commentary", "measure", "by", "cells", "totals", "method"]
        read_only_fields = fields


class PublicationSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    published_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    tables = PublishedTableSerializer(many=True, read_only=True)

    class Meta:
        model = Publication
        fields = ["id", "title", "commentary", "organisation", "published_by", "published_at", "tables"]
        read_only_fields = fields


class ResearchExportSerializer(serializers.Serializer):
    k = serializers.IntegerField(help_text=gettext_lazy("The smallest group sharing the quasi-identifiers."))
    l = serializers.IntegerField(help_text=gettext_lazy("The fewest extremism types in such a group."))  # noqa: E741
    thresholds = serializers.DictField(child=serializers.IntegerField())
    quasi_identifiers = serializers.ListField(child=serializers.CharField())
    sensitive = serializers.CharField()
    generalisation = serializers.ListField(child=serializers.CharField())
    suppressed_rows = serializers.IntegerField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_blank=True)))


class LessonSerializer(serializers.ModelSerializer):
    author_organisation_type = serializers.CharField(source="author_org_type", read_only=True)

    class Meta:
        model = Lesson
        # Never the author's name or organisation: only its kind.
        fields = [
            "id",
            "kind",
            "title",
            "text",
            "phases",
            "topics",
            "language",
            "author_organisation_type",
            "written_at",
        ]
        read_only_fields = fields


class LessonCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LessonKind.choices)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=20000)
    phases = serializers.ListField(child=serializers.ChoiceField(choices=Phase.choices), required=False, max_length=6)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=LessonTopic.choices), required=False, max_length=10
    )
    language = serializers.ChoiceField(choices=[("en", "en"), ("nl", "nl"), ("de", "de"), ("fr", "fr")])


class LessonQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    kind = serializers.ChoiceField(choices=LessonKind.choices, required=False)
    phase = serializers.ChoiceField(choices=Phase.choices, required=False)
    topic = serializers.ChoiceField(choices=LessonTopic.choices, required=False)
    language = serializers.ChoiceField(choices=[("en", "en"), ("nl", "nl"), ("de", "de"), ("fr", "fr")], required=False)
