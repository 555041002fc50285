"""English formats of the portal: one date format everywhere ("27 Nov 2026"), Indian grouping.

Django's own English default ("Nov. 27, 2026", "N j, Y") is replaced so that a date reads the
same in a list, a detail page and a message. Hindi: seva/formats/hi/formats.py.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# DATE_INPUT_FORMATS stays Django's (ISO first, as <input type=date> sends it).
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)  # 12,34,567
