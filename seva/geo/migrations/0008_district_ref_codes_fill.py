"""Data migration: the 38 districts' reference codes, checked by hand (Sheikhpura ``SKP`` /
Sheohar ``SHR``, Madhepura ``MDP`` / Madhubani ``MDB``). A copy of ``seva/geo/refcodes.py`` as
it was when written, so the migration never changes with it."""

from django.db import migrations

REF_CODES = {
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


def set_codes(apps, schema_editor):
    district_model = apps.get_model("geo", "District")
    for district in district_model.objects.filter(code__in=REF_CODES):
        district.ref_code = REF_CODES[district.code]
        district.save(update_fields=["ref_code"])


def clear_codes(apps, schema_editor):
    apps.get_model("geo", "District").objects.update(ref_code=None)


class Migration(migrations.Migration):
    dependencies = [("geo", "0007_district_ref_code")]

    operations = [migrations.RunPython(set_codes, clear_codes)]
