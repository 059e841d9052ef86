"""Content negotiation: DRF's, except that a ``format=`` no renderer of the view has is a 406
problem naming the formats it has (DRF answers 404, as if the object were missing)."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


class ContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(
        self,
        renderers: Iterable[BaseRenderer],
        format: str,  # DRF names it so
    ) -> list[BaseRenderer]:
        offered = list(renderers)
        matching = [renderer for renderer in offered if renderer.format == format]
        if not matching:
            formats = ", ".join(sorted({str(renderer.format) for renderer in offered}))
            raise NotAcceptable(
                _("format=%(format)s is not offered here; give one of: %(formats)s.")
                % {"format": format, "formats": formats}
            )
        return matching
