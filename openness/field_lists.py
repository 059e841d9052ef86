"""The fields of a batch, named once.

As in ``registry/field_lists.py``: the API's read and write serializers, the audit trail's state
and the admin's form compose their lists from these, in this order.
"""

# What a curator sets of a batch: its title, its year, its notice and its submission window.
BATCH_EDITABLE = (
    "title",
    "title_en",
    "year",
    "document_reference",
    "submission_opens_at",
    "submission_closes_at",
)
# The batch as the API lists it (its detail adds ``counts``).
BATCH_SHOWN = (
    "number",
    "url",
    *BATCH_EDITABLE,
    "status",
    "published_at",
    "entries_url",
    "created_at",
    "updated_at",
)
# What the audit trail records of it.
BATCH_AUDITED = (*BATCH_EDITABLE, "status", "published_at")
