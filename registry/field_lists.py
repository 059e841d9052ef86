"""The fields of a resource and of a platform, named once.

Each place that lists them (the API's read and write serializers, the audit trail's state, the
snapshot a listing keeps, the search document, the admin's fieldsets) composes its list from these
groups, in this order, so a new field is added here and shows up wherever its group does.
"""

# A resource's texts, each in Chinese and in English.
RESOURCE_TEXTS = ("name", "name_en", "summary", "summary_en", "description", "description_en")
# Its many-to-many relations, as the API names them.
RESOURCE_RELATIONS = ("tags", "industries", "regions")
# Where an SME goes next.
RESOURCE_LINKS = ("application_url", "documentation_url", "api_endpoint", "contact")
# Who may use it: the eligibility columns, one per enterprise size.
RESOURCE_ELIGIBILITY = ("eligible_micro", "eligible_small", "eligible_medium")
# The SME terms as stored (the API shows them as one ``sme_terms`` object).
RESOURCE_SME_TERMS = ("sme_free_quota", "sme_discount", "sme_conditions", *RESOURCE_ELIGIBILITY)

# What a writer may set, as the API takes it.
RESOURCE_WRITABLE = (
    "platform",
    "resource_type",
    *RESOURCE_TEXTS,
    *RESOURCE_RELATIONS,
    "nationwide",
    "access_model",
    "sme_terms",
    *RESOURCE_LINKS,
    "attributes",
)
# The resource as the API shows it.
RESOURCE_SHOWN = (
    "id",
    "url",
    *RESOURCE_WRITABLE,
    "status",
    "version",
    "listings",
    "pilots",
    "listed_at",
    "created_at",
    "updated_at",
)
# Its own columns whose changes the audit trail records (the relations are recorded apart).
RESOURCE_AUDITED = (
    "platform",
    "resource_type",
    *RESOURCE_TEXTS,
    "nationwide",
    "access_model",
    *RESOURCE_SME_TERMS,
    *RESOURCE_LINKS,
    "attributes",
    "status",
)

# A platform's profile, as its writers set it and the audit trail records it.
PLATFORM_PROFILE = (
    "slug",
    "name",
    "name_en",
    "credit_code",
    "website",
    "description",
    "description_en",
    "headquarters_region",
    "contact_name",
    "contact_email",
    "contact_phone",
    "verified",
)
# The platform as the API lists it.
PLATFORM_SHOWN = ("url", *PLATFORM_PROFILE, "resource_count", "created_at", "updated_at")
