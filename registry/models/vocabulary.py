from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A province-level administrative division of GB/T 2260 (loaded from registry/data)."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Industry(models.Model):
    """A section (A–T) of the GB/T 4754-2017 industrial classification."""

    code = models.CharField(_("code"), max_length=1, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Tag(models.Model):
    """A free keyword on resources; names are stored trimmed and lower-cased."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def normalise(name: str) -> str:
        return " ".join(name.split()).lower()


class SynonymGroup(models.Model):
    """Words that find each other: a search for any of them also finds the others.

    Shipped as data (``registry/data/synonyms.json``, loaded by a migration) and extended by
    curators in the admin; a change applies to the next search, with no re-indexing.
    """

    terms = models.TextField(
        _("terms"),
        help_text=_("One term per line (or separated by commas): 算力, 计算资源, compute, GPU."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        return " / ".join(self.term_list())

    def term_list(self) -> list[str]:
        parts = (part.strip() for line in self.terms.splitlines() for part in line.split(","))
        return list(dict.fromkeys(part for part in parts if part))
