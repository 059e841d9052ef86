"""The shape of ``GET /api/v1/stats/`` (read-only: they document and render ``pilots.stats``)."""

from rest_framework import serializers

from pilots.stats import YEARS


class StatsBucketSerializer(serializers.Serializer):
    value = serializers.CharField(
        help_text="The code: a resource type, region, platform slug, industry or pilot status."
    )
    name = serializers.CharField()
    name_en = serializers.CharField()
    count = serializers.IntegerField()


class StatsYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Added in this year.")
    cumulative = serializers.IntegerField(help_text="By the end of this year (earlier years too).")


class StatsTargetSerializer(serializers.Serializer):
    name = serializers.CharField()
    name_en = serializers.CharField()
    target = serializers.IntegerField(help_text="The plan's number for 2028.")
    count = serializers.IntegerField(
        help_text="Reached so far (with `year`: by the end of that year)."
    )
    met = serializers.BooleanField(help_text="`count` has reached `target`.")
    percent = serializers.IntegerField(
        help_text="`count` as a share of `target`, in whole percent rounded down (may pass 100)."
    )
    by_year = StatsYearSerializer(many=True, help_text="Each plan year up to `year`.")


class StatsTargetsSerializer(serializers.Serializer):
    batches = StatsTargetSerializer(help_text="Published batches, by the year of publication.")
    pilots = StatsTargetSerializer(help_text="Pilots selected or later, by `year_selected`.")
    service_platforms = StatsTargetSerializer(help_text="Service platforms, by `launched_year`.")
    scenarios = StatsTargetSerializer(
        help_text="Implementable scenarios, by the year they became implementable."
    )


class StatsListedResourcesSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Resources listed in a published batch.")
    nationwide = serializers.IntegerField(help_text="Of which available nationwide.")
    by_type = StatsBucketSerializer(many=True, help_text="Every type, zeros included.")
    by_region = StatsBucketSerializer(
        many=True,
        help_text="Regions with a listed resource; a nationwide resource counts in every region.",
    )
    by_platform = StatsBucketSerializer(many=True)
    by_industry = StatsBucketSerializer(many=True)


class StatsPilotYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The year the pilots were selected.")
    total = serializers.IntegerField()
    by_status = StatsBucketSerializer(
        many=True, help_text="Their current status (selected or later), zeros included."
    )


class StatsPilotsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Pilots (with `year`: those selected by then).")
    counted = serializers.IntegerField(help_text="Of which selected or later.")
    by_status = StatsBucketSerializer(many=True, help_text="Every status, zeros included.")
    by_region = StatsBucketSerializer(many=True, help_text="Pilots selected or later.")
    by_year = StatsPilotYearSerializer(many=True)


class StatsSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        allow_null=True, help_text="The year asked for (the end of it), or null for now."
    )
    years = serializers.ListField(
        child=serializers.IntegerField(), help_text="The plan years the breakdowns cover."
    )
    targets = StatsTargetsSerializer()
    listed_resources = StatsListedResourcesSerializer()
    pilots = StatsPilotsSerializer()


class StatsQuerySerializer(serializers.Serializer):
    year = serializers.ChoiceField(choices=list(YEARS), required=False)
