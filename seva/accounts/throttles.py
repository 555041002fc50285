"""Sign-in and password-reset throttles (rates: ``DEFAULT_THROTTLE_RATES`` in settings).

django-axes locks one user name on one address after repeated failures; these add what it
does not: a limit per address across names, and a slow-down (never a lock) for one name
tried from many addresses.
"""

from seva.base.throttles import AddressRateThrottle, PostedFieldRateThrottle


class SignInAddressThrottle(AddressRateThrottle):
    scope = "sign_in_address"


class SignInUsernameThrottle(PostedFieldRateThrottle):
    scope = "sign_in_username"
    field = "username"


class PasswordResetAddressThrottle(AddressRateThrottle):
    scope = "password_reset_address"


class PasswordResetEmailThrottle(PostedFieldRateThrottle):
    scope = "password_reset_email"
    field = "email"


SIGN_IN_THROTTLES = [SignInAddressThrottle, SignInUsernameThrottle]
PASSWORD_RESET_THROTTLES = [PasswordResetAddressThrottle, PasswordResetEmailThrottle]
