"""Django's own messages that our Hindi catalogue overrides, so that `makemessages` keeps them.

Django ships a Hindi catalogue, but it is partial (no Hindi for "Ensure this value has at most
2000 characters…", the password rules) and stiff where it exists ("शब्दकूट" for password,
"अपेक्षित" for required, a misspelt "नवमबर"). Our project catalogue (`locale/hi/`, in
LOCALE_PATHS) is looked up before Django's and every app's, so a msgid translated there wins.

`make makemessages` runs with `--no-obsolete`, which drops every msgid not found in our own
sources. Marking Django's msgids here with `gettext_noop` / `ngettext_lazy` puts them in our
sources; nothing reads these lists. The strings must match Django's exactly (curly quotes
included). DRF's messages are kept the same way in `seva/api_messages.py`.

To override another Django message: copy its msgid from Django's `conf/locale/en/LC_MESSAGES/
django.po` (or `contrib/<app>/locale/...`) into a list below, run `make makemessages`, write
its Hindi in `locale/hi/LC_MESSAGES/django.po`, run `make messages`.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Form and model field errors (django/forms/fields.py, django/core/validators.py, db/models).
FIELD_MESSAGES = [
    gettext_noop("This field is required."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid integer."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a list of values."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("This field cannot be null."),
    gettext_noop("This field cannot be blank."),
    gettext_noop("%(model_name)s with this %(field_label)s already exists."),
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
    ),
    # The empty choice of a yes/no filter (NullBooleanSelect).
    gettext_noop("Unknown"),
    gettext_noop("Yes"),
    gettext_noop("No"),
]

# Sign-in, password change and reset (django/contrib/auth/forms.py, password_validation.py).
AUTH_MESSAGES = [
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
    ),
    gettext_noop("This account is inactive."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Old password"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Password confirmation"),
    gettext_noop("Email"),
    gettext_noop("username"),
    gettext_noop("first name"),
    gettext_noop("last name"),
    gettext_noop("email address"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
]

# Our apps' own msgids that a Django contrib catalogue also translates, stiffly: contrib apps
# come first in INSTALLED_APPS, so their Hindi beats our app catalogues ("Filter" showed as
# "छन्नी", "Save" as "सुरक्षित कीजिये"); only the project catalogue beats them.
# tests/test_translations.py fails when a new one appears.
APP_MESSAGES_BEATEN = [
    gettext_noop("Filter"),
    gettext_noop("Save"),
    gettext_noop("Search"),
    gettext_noop("Change"),
    gettext_noop("user"),
]

# Month names for dates ("27 नवं॰ 2026": DATE_FORMAT "j M Y" takes the three-letter msgids).
MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
    gettext_noop("jan"),
    gettext_noop("feb"),
    gettext_noop("mar"),
    gettext_noop("apr"),
    gettext_noop("may"),
    gettext_noop("jun"),
    gettext_noop("jul"),
    gettext_noop("aug"),
    gettext_noop("sep"),
    gettext_noop("oct"),
    gettext_noop("nov"),
    gettext_noop("dec"),
]
