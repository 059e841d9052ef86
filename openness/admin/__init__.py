"""The curators' admin for the openness lists: batches run through their workflow
(``batches``) and the review list of entries (``entries``); the events' admin is core's.

Every change goes through ``openness.services`` (``core.admin_services.ServiceAdmin``); a refusal
of the workflow (``DomainError``) is reported as an error message. Nothing is deleted. Importing
the modules registers their admins (Django imports this package, ``openness.admin``).
"""

from openness.admin import batches, entries

__all__ = ["batches", "entries"]
