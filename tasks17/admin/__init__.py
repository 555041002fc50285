"""The admin of ``tasks17``, one module a subject; importing them registers their admins.

``catalogue``: tasks with their metrics, targets, activity reports. ``records``: the
corona-free checklist and the special records (camps, donors, conferences, declarations).
``campaign``: the campaign's period.
"""

from . import campaign, catalogue, records

__all__ = ["campaign", "catalogue", "records"]
