"""Loading the state's real geography from the CSV files in ``seva/geo/data/``.

The same function serves the data migration (with historical models) and the
``load_geography`` command (with the live ones). It is idempotent: rows are matched by their
stable keys (district ``code``, seat ``number``) and updated in place, so running it again
after the data files change brings the database up to date without duplicates.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .refcodes import REF_CODES

DATA_DIR = Path(__file__).resolve().parent / "data"
STATE = "bihar"


@dataclass
class LoadResult:
    districts: int
    lok_sabha_seats: int
    assembly_seats: int


def _rows(name: str, data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / f"{STATE}_{name}.csv").open(encoding="utf-8", newline="") as handle:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(handle)]


def load_geography(
    *, district_model: Any, lok_sabha_model: Any, assembly_model: Any, data_dir: Path = DATA_DIR
) -> LoadResult:
    """Create or update every district, Lok Sabha seat and assembly seat from the CSVs.

    Raises ``ValueError`` naming the row when a seat refers to a district or Lok Sabha seat
    that the files do not define, so a bad data file never loads half-way (callers run this
    inside a transaction).
    """
    districts = {}
    # Migration 0002 loads with a model of before the reference codes (geo/0004) existed.
    has_ref_code = any(field.name == "ref_code" for field in district_model._meta.get_fields())
    for position, row in enumerate(_rows("districts", data_dir), start=1):
        defaults = {
            "name_en": row["name_en"],
            "name_hi": row["name_hi"],
            "division": row["division"],
            "headquarters": row["headquarters"],
            "position": position,
        }
        if has_ref_code and row["code"] in REF_CODES:
            defaults["ref_code"] = REF_CODES[row["code"]]
        district, _ = district_model.objects.update_or_create(code=row["code"], defaults=defaults)
        districts[row["name_en"]] = district

    lok_sabha = {}
    for row in _rows("lok_sabha", data_dir):
        seat, _ = lok_sabha_model.objects.update_or_create(
            number=int(row["number"]),
            defaults={"name_en": row["name_en"], "name_hi": row["name_hi"], "reserved": row["reserved"]},
        )
        lok_sabha[row["name_en"]] = seat

    count = 0
    for row in _rows("assembly_constituencies", data_dir):
        try:
            district = districts[row["district"]]
            pc = lok_sabha[row["lok_sabha"]]
        except KeyError as missing:
            raise ValueError(f"Assembly seat {row['number']} names an unknown place: {missing}") from None
        assembly_model.objects.update_or_create(
            number=int(row["number"]),
            defaults={
                "name_en": row["name_en"],
                "name_hi": row["name_hi"],
                "district": district,
                "lok_sabha_seat": pc,
                "reserved": row["reserved"],
            },
        )
        count += 1
    # Migration 0002 runs this with historical models from before the field (0004 fills it).
    if any(field.name == "headquarters_hi" for field in district_model._meta.get_fields()):
        fill_headquarters_hi(
            district_model=district_model, place_models=(district_model, assembly_model, lok_sabha_model)
        )
    return LoadResult(districts=len(districts), lok_sabha_seats=len(lok_sabha), assembly_seats=count)


def _town_key(name: str) -> str:
    """A town's English name as the data files spell it in different rows: "Bihar Sharif" and
    "Biharsharif", "Chhapra" and "Chapra" are one town."""
    return "".join(name.lower().split()).replace("-", "").replace("chh", "ch")


def fill_headquarters_hi(*, district_model: Any, place_models: tuple[Any, ...]) -> int:
    """Give each district's headquarters its Hindi name where the data has one.

    The districts file names headquarters in English only; but nearly every headquarters town
    is also a district, assembly seat or Lok Sabha seat of the same name, and those rows carry
    a Hindi name (Bettiah: the assembly seat बेतिया). Headquarters with no such namesake keep a
    blank Hindi name and show in English. Returns how many districts got one."""
    hindi: dict[str, str] = {}
    for model in place_models:
        for name_en, name_hi in model.objects.exclude(name_hi="").values_list("name_en", "name_hi"):
            hindi.setdefault(_town_key(name_en), name_hi)
    filled = 0
    for district in district_model.objects.all():
        name_hi = hindi.get(_town_key(district.headquarters), "") if district.headquarters else ""
        if district.headquarters_hi != name_hi:
            district.headquarters_hi = name_hi
            district.save(update_fields=["headquarters_hi"])
        filled += bool(name_hi)
    return filled
