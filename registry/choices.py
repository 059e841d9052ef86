from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceType(models.TextChoices):
    DATA = "data", _("Data")
    COMPUTE = "compute", _("Computing power")
    ALGORITHM = "algorithm", _("Algorithms and models")
    CHIP = "chip", _("High-end chips")
    OPERATING_SYSTEM = "operating_system", _("Operating systems")
    TERMINAL = "terminal", _("Smart terminals")


class AccessModel(models.TextChoices):
    OPEN = "open", _("Open")
    FREE_QUOTA = "free_quota", _("Free quota")
    PAID = "paid", _("Paid")
    APPLICATION = "application", _("By application")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnterpriseSize(models.TextChoices):
    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium enterprise")


# The resource's column that says whether it is open to each size (the API's ``eligible_sizes``,
# the search index's ``sizes``).
ELIGIBILITY_COLUMNS = (
    ("eligible_micro", str(EnterpriseSize.MICRO)),
    ("eligible_small", str(EnterpriseSize.SMALL)),
    ("eligible_medium", str(EnterpriseSize.MEDIUM)),
)


# Bilingual names for facets and vocabularies, whatever the request's language.
ACCESS_MODEL_NAMES: dict[str, tuple[str, str]] = {
    AccessModel.OPEN: ("开放", "Open"),
    AccessModel.FREE_QUOTA: ("免费额度", "Free quota"),
    AccessModel.PAID: ("付费", "Paid"),
    AccessModel.APPLICATION: ("申请使用", "By application"),
}
