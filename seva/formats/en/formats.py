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
# The form inputs read ISO dates (<input type=date> sends them) and the Indian day-first forms.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)  # 12,34,567
