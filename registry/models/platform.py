from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models.base import Timestamped
from registry.validators import validate_credit_code


class Platform(Timestamped):
    """An enterprise that opens resources to SMEs."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("Registered Chinese name."))
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("统一社会信用代码, 18 characters (GB 32100-2015)."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    headquarters_region = models.ForeignKey(
        "registry.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("headquarters region"),
    )
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^[0-9+\-() ]{5,30}$", _("Enter a telephone number."))],
    )
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Checked by a curator against official records.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="platforms",
        verbose_name=_("members"),
        help_text=_("Users who publish for this platform."),
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("api:platform-detail", kwargs={"slug": self.slug})
