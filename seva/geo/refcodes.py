"""Each district's short reference code: the prefix of a helpline request's reference
(``PAT-0042``) that a caller reads out on the phone.

Three capital letters, unique, checked by hand so that districts with alike names do not
collide: Sheikhpura ``SKP`` and Sheohar ``SHR``, Madhepura ``MDP`` and Madhubani ``MDB``,
Araria ``ARI`` (not ``ARA``: Arrah is Bhojpur's headquarters) and Arwal ``ARW``, Saharsa
``SAH``, Samastipur ``SAM`` and Saran ``SAR``. Migration ``geo/0005`` wrote them; the
geography loader keeps them (a district loaded afresh gets its code).
"""

REF_CODES: dict[str, str] = {
    "west-champaran": "WCH",
    "east-champaran": "ECH",
    "sheohar": "SHR",
    "sitamarhi": "SIT",
    "madhubani": "MDB",
    "supaul": "SUP",
    "araria": "ARI",
    "kishanganj": "KIS",
    "purnia": "PUR",
    "katihar": "KAT",
    "madhepura": "MDP",
    "saharsa": "SAH",
    "darbhanga": "DAR",
    "muzaffarpur": "MUZ",
    "gopalganj": "GOP",
    "siwan": "SIW",
    "saran": "SAR",
    "vaishali": "VAI",
    "samastipur": "SAM",
    "begusarai": "BEG",
    "khagaria": "KHA",
    "bhagalpur": "BGP",
    "banka": "BAN",
    "munger": "MUN",
    "lakhisarai": "LAK",
    "sheikhpura": "SKP",
    "nalanda": "NAL",
    "patna": "PAT",
    "bhojpur": "BHO",
    "buxar": "BUX",
    "kaimur": "KAI",
    "rohtas": "ROH",
    "arwal": "ARW",
    "jehanabad": "JEH",
    "aurangabad": "AUR",
    "gaya": "GAY",
    "nawada": "NAW",
    "jamui": "JAM",
}
