"""The state's geography: district > assembly seat > mandal > booth, and Lok Sabha seats.

Districts, assembly seats and Lok Sabha seats are public facts shipped with the portal
(``seva/geo/data/``, loaded by a migration and by ``manage.py load_geography``). Mandals and
booths are not public: admins import them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from seva.base.scoping import ScopedQuerySet


class Reservation(models.TextChoices):
    """The reserved category of a seat under the 2008 delimitation."""

    GENERAL = "GEN", _("General")
    SC = "SC", _("Scheduled Caste")
    ST = "ST", _("Scheduled Tribe")


class BilingualName(models.Model):
    """English and Hindi names; ``name`` picks the active language.

    Where the sources disagreed the Hindi name is blank, and the English one is shown until
    the state office fills it in.
    """

    name_en = models.CharField(_("name (English)"), max_length=120)
    name_hi = models.CharField(_("name (Hindi)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "en").startswith("hi") and self.name_hi:
            return self.name_hi
        return self.name_en


# Bihar's nine divisions, stored in English in the data and shown in the active language.
DIVISIONS = [
    gettext_noop("Patna"),
    gettext_noop("Magadh"),
    gettext_noop("Tirhut"),
    gettext_noop("Saran"),
    gettext_noop("Darbhanga"),
    gettext_noop("Kosi"),
    gettext_noop("Purnia"),
    gettext_noop("Bhagalpur"),
    gettext_noop("Munger"),
]


class DistrictQuerySet(ScopedQuerySet):
    pass


class District(BilingualName):
    """A revenue district, named by a stable slug ``code`` (``patna``)."""

    scope_path = ""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    # The prefix of a helpline request's reference (PAT-0042); see seva/geo/refcodes.py.
    ref_code = models.CharField(_("reference code"), max_length=4, unique=True, null=True, blank=True)
    division = models.CharField(_("division"), max_length=40)
    headquarters = models.CharField(_("headquarters"), max_length=80, blank=True)
    # Filled from the namesake place's Hindi name (loader.fill_headquarters_hi); blank: none known.
    headquarters_hi = models.CharField(_("headquarters (Hindi)"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order of the district in delimitation order.")
    )

    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name_en"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    @property
    def headquarters_name(self) -> str:
        """The headquarters in the active language (English where no Hindi name is known)."""
        if (get_language() or "en").startswith("hi") and self.headquarters_hi:
            return self.headquarters_hi
        return self.headquarters

    @property
    def division_name(self) -> str:
        """The division in the active language (the data holds the English name)."""
        return gettext(self.division)


class LokSabhaSeatQuerySet(ScopedQuerySet):
    def in_district(self, district_id: int) -> LokSabhaSeatQuerySet:
        # A Lok Sabha seat is visible to a district when one of its assembly seats lies there.
        return self.filter(
            models.Exists(
                AssemblySeat.objects.filter(lok_sabha_seat=models.OuterRef("pk"), district_id=district_id)
            )
        )


class LokSabhaSeat(BilingualName):
    """A parliamentary constituency (2008 delimitation)."""

    scope_path = "assembly_seats__district"

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    reserved = models.CharField(
        _("reserved for"), max_length=3, choices=Reservation.choices, default=Reservation.GENERAL
    )

    objects = LokSabhaSeatQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("Lok Sabha seat")
        verbose_name_plural = _("Lok Sabha seats")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class AssemblySeatQuerySet(ScopedQuerySet):
    pass


class AssemblySeat(BilingualName):
    """An assembly constituency (Vidhan Sabha seat), in one district and one Lok Sabha seat."""

    scope_path = "district"

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="assembly_seats", verbose_name=_("district")
    )
    lok_sabha_seat = models.ForeignKey(
        LokSabhaSeat,
        on_delete=models.PROTECT,
        related_name="assembly_seats",
        verbose_name=_("Lok Sabha seat"),
    )
    reserved = models.CharField(
        _("reserved for"), max_length=3, choices=Reservation.choices, default=Reservation.GENERAL
    )

    # The date of the latest report sent from this seat, kept by tasks17's rollups (the
    # seats' reporting rate reads it, not the reports).
    last_reported_on = models.DateField(_("last reported on"), null=True, blank=True, editable=False)

    objects = AssemblySeatQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("assembly seat")
        verbose_name_plural = _("assembly seats")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class MandalQuerySet(ScopedQuerySet):
    pass


class Mandal(models.Model):
    """The party's unit between an assembly seat and its booths."""

    scope_path = "assembly_seat__district"

    assembly_seat = models.ForeignKey(
        AssemblySeat, on_delete=models.PROTECT, related_name="mandals", verbose_name=_("assembly seat")
    )
    name = models.CharField(_("name"), max_length=120)
    # The date of the latest report sent from this mandal, kept by tasks17's rollups like a
    # booth's (the district dashboard's "mandals reporting" reads it, not the reports).
    last_reported_on = models.DateField(_("last reported on"), null=True, blank=True, editable=False)

    objects = MandalQuerySet.as_manager()

    class Meta:
        ordering = ["assembly_seat__number", "name"]
        verbose_name = _("mandal")
        verbose_name_plural = _("mandals")
        constraints = [
            models.UniqueConstraint(fields=["assembly_seat", "name"], name="mandal_unique_name_in_seat")
        ]

    def __str__(self) -> str:
        return self.name


# Hindi spells the same nasal sound with a chandrabindu or an anusvara (बाँकीपुर, बांकीपुर):
# a search tries both.
_NASALS = ("ँ", "ं")


def spellings(text: str) -> set[str]:
    """``text`` and its other spelling of the nasal sign (chandrabindu / anusvara)."""
    first, second = _NASALS
    return {text, text.replace(first, second), text.replace(second, first)}


def place_terms(text: str) -> tuple[set[str], set[int]]:
    """What to look for in booths' names for ``text``, and the seats it names: its
    spellings and, where it names assembly seats (in Hindi or English), those seats' ids and
    their names in both languages. The booths' own Hindi names are mostly blank (not
    public), so "बाँकीपुर" finds "Bankipur Road" through the seat's names, and "Bankipur" a
    booth named only in Hindi. One query over the 243 seats."""
    terms = spellings(text)
    named = models.Q()
    for spelling in terms:
        named |= models.Q(name_en__icontains=spelling) | models.Q(name_hi__icontains=spelling)
    seats: set[int] = set()
    for pk, name_en, name_hi in AssemblySeat.objects.filter(named).values_list("pk", "name_en", "name_hi")[
        :10
    ]:
        seats.add(pk)
        terms |= {name for name in (name_en, name_hi) if name}
    return terms, seats


class BoothQuerySet(ScopedQuerySet):
    def search(self, text: str, *, seat_names: bool = False) -> BoothQuerySet:
        """Booths whose number is ``text`` or whose name (English or Hindi) or locality
        contains it. With ``seat_names`` (a search across a district, no seat chosen yet): also
        the booths of a seat whose name contains it, and ``text`` is also looked for in the
        other language through the seats' names (:func:`place_terms`). The seats are matched
        once, by id, rather than their names on every booth row (``bench/README.md``)."""
        text = text.strip()
        if not text:
            return self
        terms, seats = place_terms(text) if seat_names else (spellings(text), set())
        condition = models.Q(assembly_seat_id__in=seats) if seats else models.Q()
        for term in terms:
            condition |= (
                models.Q(name__icontains=term)
                | models.Q(name_hi__icontains=term)
                | models.Q(locality__icontains=term)
            )
        if text.isdecimal() and len(text) < 10:
            condition |= models.Q(number=int(text))
        return self.filter(condition)


class Booth(models.Model):
    """A polling station (booth), numbered within its assembly seat."""

    scope_path = "assembly_seat__district"

    assembly_seat = models.ForeignKey(
        AssemblySeat, on_delete=models.PROTECT, related_name="booths", verbose_name=_("assembly seat")
    )
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    # Filled only where an import gives it: booths' Hindi names are not public.
    name_hi = models.CharField(_("name (Hindi)"), max_length=200, blank=True)
    locality = models.CharField(_("locality"), max_length=200, blank=True)
    mandal = models.ForeignKey(
        Mandal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booths",
        verbose_name=_("mandal"),
    )
    corona_free_since = models.DateField(_("corona-free since"), null=True, blank=True)
    # The date of the latest report sent from this booth, kept by tasks17's rollups (the
    # reporting rate of booths reads it, not the reports).
    last_reported_on = models.DateField(_("last reported on"), null=True, blank=True, editable=False)

    objects = BoothQuerySet.as_manager()

    class Meta:
        ordering = ["assembly_seat__number", "number"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [
            models.UniqueConstraint(fields=["assembly_seat", "number"], name="booth_unique_number_in_seat")
        ]
        indexes = [
            models.Index(fields=["assembly_seat", "last_reported_on"], name="booth_seat_last_reported")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name in the active language (the Hindi one where an import gave it)."""
        if (get_language() or "en").startswith("hi") and self.name_hi:
            return self.name_hi
        return self.name

    def clean(self) -> None:
        if self.mandal_id and self.assembly_seat_id and self.mandal.assembly_seat_id != self.assembly_seat_id:
            raise ValidationError({"mandal": _("This mandal belongs to another assembly seat.")})
