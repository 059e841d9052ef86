"""The fields of a pilot project, a scenario and a service platform, named once.

As in ``registry/field_lists.py``: each place that lists them (the API's read and write serializers,
the audit trail's state, the admin's forms) composes its list from these groups, in this order, so
a new field is added here and shows up wherever its group does.
"""

# A pilot's name and what it is about.
PILOT_TEXTS = ("code", "name", "name_en", "summary")
# Who leads it, as stored (the API shows and takes them as one ``lead`` object).
PILOT_LEAD = ("lead_platform", "lead_sme_name", "lead_sme_credit_code")
# Where it stands in the plan: its scenario, its service platform, its province and industry.
PILOT_PLACE = ("scenario", "service_platform", "region", "industry")
# What it has done.
PILOT_RECORD = ("milestones", "outcomes", "evidence_links")
# What only its workflow sets (select, terminate…), and what the server keeps of every object.
PILOT_WORKFLOW = ("status", "year_selected", "termination_reason")
SERVER_KEPT = ("version", "created_at", "updated_at")

# What a curator may set, as the API takes it.
PILOT_WRITABLE = (*PILOT_TEXTS, "lead", "participants", "resources", *PILOT_PLACE, *PILOT_RECORD)
# What a curator edits in the admin's form: the same, with the lead as stored.
PILOT_FORM = (*PILOT_TEXTS, *PILOT_LEAD, "participants", "resources", *PILOT_PLACE, *PILOT_RECORD)
# The pilot as the API shows it.
PILOT_SHOWN = (
    "url",
    *PILOT_TEXTS,
    "lead",
    "participants",
    "resources",
    *PILOT_PLACE,
    "status",
    "year_selected",
    *PILOT_RECORD,
    "termination_reason",
    "version",
    "created_at",
    "updated_at",
)
# Its own columns whose changes the audit trail records (the lead platform, the scenario, the
# service platform and the resources are recorded by their keys, apart).
PILOT_AUDITED = (
    *PILOT_TEXTS,
    "lead_sme_name",
    "lead_sme_credit_code",
    "participants",
    "region",
    "industry",
    "status",
    "year_selected",
    *PILOT_RECORD,
    "termination_reason",
)

# What a curator edits of a scenario, in the API and in the admin.
SCENARIO_EDITABLE = ("code", "name", "name_en", "description", "industry", "ai_capability")
# Its columns whose changes the audit trail records (``implementable_at`` is recorded apart).
SCENARIO_AUDITED = (*SCENARIO_EDITABLE, "maturity")
# The scenario as the API shows it.
SCENARIO_SHOWN = (
    "url",
    *SCENARIO_EDITABLE,
    "maturity",
    "implementable_at",
    "pilot_count",
    "version",
    "created_at",
    "updated_at",
)

# What a curator edits of a service platform, in the API and in the admin.
SERVICE_PLATFORM_EDITABLE = (
    "slug",
    "name",
    "name_en",
    "operator",
    "services",
    "description",
    "website",
    "regions",
    "nationwide",
    "launched_year",
)
# Its own columns whose changes the audit trail records (the operator and the regions are recorded
# by their keys, apart).
SERVICE_PLATFORM_AUDITED = tuple(
    name for name in SERVICE_PLATFORM_EDITABLE if name not in ("operator", "regions")
)
# The service platform as the API shows it.
SERVICE_PLATFORM_SHOWN = (
    "url",
    *SERVICE_PLATFORM_EDITABLE,
    "pilot_count",
    "version",
    "created_at",
    "updated_at",
)
