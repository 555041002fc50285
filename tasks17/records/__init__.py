"""Special records that feed activities: donation camps, donors, video conferences and
corona-free booth declarations.

Each record that counts writes its ``Activity`` through ``tasks17.services`` (the same
service a typed-in report goes through), with its own ``origin``, so every figure
and export counts camps, conferences and declarations like any other report, and the
report is then corrected only through the record. ``services`` holds the rules
(one module a subject); ``api``, ``views``, ``forms`` and the admin
(``tasks17/admin/records.py``) only call them.
"""
