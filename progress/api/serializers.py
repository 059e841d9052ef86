"""The shape of ``GET /api/v1/stats/`` (read-only: they document and render ``progress.stats``)."""

from rest_framework import serializers

from config.api.fields import ChoiceField
from progress.stats import YEARS


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


class StatsPlanSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The year whose end the number is due at.")
    target = serializers.IntegerField(help_text="The plan's cumulative number by then.")


class StatsPaceSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    expected = serializers.IntegerField(
        help_text="Where a steady pace toward the plan stands at the end of this year (rounded "
        "up; the plan's own number in a year it sets one)."
    )


class StatsTargetSerializer(serializers.Serializer):
    name = serializers.CharField()
    name_en = serializers.CharField()
    target = serializers.IntegerField(help_text="The plan's number for 2028.")
    count = serializers.IntegerField(help_text="What has happened by the end of `as_of`.")
    met = serializers.BooleanField(help_text="`count` has reached `target`.")
    percent = serializers.IntegerField(
        help_text="`count` as a share of `target`, in whole percent rounded down (may pass 100)."
    )
    by_year = StatsYearSerializer(
        many=True, help_text="Each plan year begun by `as_of` (and not after `year`)."
    )
    plan = StatsPlanSerializer(
        many=True,
        help_text="The plan's cumulative numbers by year (the Action Plan sets only 2028's).",
    )
    pace = StatsPaceSerializer(
        many=True,
        help_text="Every plan year: a steady pace from 0 at the start of 2026 to the plan's "
        "numbers, as a straight line in time.",
    )
    expected = serializers.IntegerField(help_text="The steady pace at the end of `as_of`.")
    on_track = serializers.BooleanField(help_text="`count` has reached `expected`.")


class StatsTargetsSerializer(serializers.Serializer):
    batches = StatsTargetSerializer(help_text="Published batches, by the year of publication.")
    pilots = StatsTargetSerializer(help_text="Pilots selected or later, by `year_selected`.")
    service_platforms = StatsTargetSerializer(help_text="Service platforms, by `launched_year`.")
    scenarios = StatsTargetSerializer(
        help_text="Implementable scenarios, by the year they became implementable."
    )


class StatsListedResourcesSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Resources listed in a published batch.")
    nationwide = serializers.IntegerField(
        help_text="Of which available nationwide (they name no region)."
    )
    by_type = StatsBucketSerializer(many=True, help_text="Every type, zeros included.")
    by_region = StatsBucketSerializer(
        many=True,
        help_text="What is available in each region, as the `region` filter and facet count it: "
        "a nationwide resource counts in every region.",
    )
    by_region_own = StatsBucketSerializer(
        many=True,
        help_text="The resources whose regions include the region, nationwide ones left out "
        "(`nationwide` counts them apart); regions with none are left out. The provinces' "
        "ranking.",
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
    total = serializers.IntegerField(
        help_text="Pilots: those selected by `as_of`, and (without `year`) the proposals."
    )
    counted = serializers.IntegerField(help_text="Of which selected or later.")
    by_status = StatsBucketSerializer(many=True, help_text="Every status, zeros included.")
    by_region = StatsBucketSerializer(many=True, help_text="Pilots selected or later.")
    by_year = StatsPilotYearSerializer(many=True)


class StatsSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        allow_null=True, help_text="The year asked for (the end of it), or null for now."
    )
    as_of = serializers.DateField(
        help_text="The last day counted (in the registry's time zone): today, or the last day "
        "of `year` once it has passed. Nothing after it counts."
    )
    years = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The plan years the breakdowns cover: those begun by `as_of`.",
    )
    targets = StatsTargetsSerializer()
    listed_resources = StatsListedResourcesSerializer()
    pilots = StatsPilotsSerializer()


class StatsQuerySerializer(serializers.Serializer):
    year = ChoiceField(choices=list(YEARS), required=False)
