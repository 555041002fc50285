"""Writes with a rule for the special records, and the one donor-eligibility rule.

One module a subject: ``camps``, ``donors`` (with who may give), ``conferences``,
``declarations``; ``_shared`` holds what they share. Every write is keyword-only and atomic,
and raises ``ValidationError`` with a dict of field -> message, like ``tasks17.services``. A
record to change is fetched locked through ``visible_to(by)``
(``seva.base.services.locked_in_scope``), so one outside the user's scope is a 404; a place
named outside it is an error on that field. A record that counts writes its activity through
``tasks17.services.activity_submit_or_get`` with its own ``origin`` and a ``client_uuid`` of
its own; a record writes its report once (the step that writes it runs once: a camp is held
once, a declaration made once), and never takes over a report it did not write.

The names below are the package's public face: import them from here.
"""

from .camps import camp_can_change, camp_cancel, camp_create, camp_hold, camp_update
from .conferences import (
    REPRESENTATIVE_ROLES,
    conference_can_change,
    conference_record,
    conference_record_or_get,
    conference_update,
)
from .declarations import booth_declare, booth_withdraw, declaration_can_withdraw
from .donors import (
    RENEW_CONSENT_PERMISSION,
    Eligibility,
    donor_eligibility,
    donor_opt_out,
    donor_register,
    donor_renew_consent,
    donor_update,
    eligible_donors,
)

__all__ = [
    "RENEW_CONSENT_PERMISSION",
    "REPRESENTATIVE_ROLES",
    "Eligibility",
    "booth_declare",
    "booth_withdraw",
    "camp_can_change",
    "camp_cancel",
    "camp_create",
    "camp_hold",
    "camp_update",
    "conference_can_change",
    "conference_record",
    "conference_record_or_get",
    "conference_update",
    "declaration_can_withdraw",
    "donor_eligibility",
    "donor_opt_out",
    "donor_register",
    "donor_renew_consent",
    "donor_update",
    "eligible_donors",
]
