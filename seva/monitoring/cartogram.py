"""A tile-grid cartogram of Bihar: one square per district at its rough place.

Boundaries are not at hand (and a coordinator's phone would not thank us for them), so each
district is a tile in a 9 x 6 grid, north at the top, the Ganga running between the third
and fourth rows. The positions are rough on purpose: neighbours stay neighbours, sizes do not
matter. Every one of the 38 districts of ``seva/geo/data/bihar_districts.csv`` has a tile.
"""

from __future__ import annotations

from dataclasses import dataclass

# code -> (column, row)
TILES: dict[str, tuple[int, int]] = {
    # along the Nepal border
    "west-champaran": (1, 0),
    "east-champaran": (2, 0),
    "sheohar": (3, 0),
    "sitamarhi": (4, 0),
    "madhubani": (5, 0),
    "supaul": (6, 0),
    "araria": (7, 0),
    "kishanganj": (8, 0),
    # the north plain
    "gopalganj": (1, 1),
    "muzaffarpur": (3, 1),
    "darbhanga": (5, 1),
    "saharsa": (6, 1),
    "madhepura": (7, 1),
    "purnia": (8, 1),
    # north bank of the Ganga
    "siwan": (0, 2),
    "saran": (1, 2),
    "vaishali": (3, 2),
    "samastipur": (4, 2),
    "begusarai": (5, 2),
    "khagaria": (6, 2),
    "katihar": (8, 2),
    # south bank
    "buxar": (0, 3),
    "bhojpur": (1, 3),
    "patna": (3, 3),
    "lakhisarai": (5, 3),
    "munger": (6, 3),
    "bhagalpur": (7, 3),
    # the south
    "kaimur": (0, 4),
    "rohtas": (1, 4),
    "arwal": (2, 4),
    "jehanabad": (3, 4),
    "nalanda": (4, 4),
    "sheikhpura": (5, 4),
    "jamui": (6, 4),
    "banka": (7, 4),
    # along the Jharkhand border
    "aurangabad": (2, 5),
    "gaya": (3, 5),
    "nawada": (4, 5),
}

TILE = 64  # the side of a tile in SVG units
GAP = 4
COLUMNS = 1 + max(column for column, _ in TILES.values())
ROWS = 1 + max(row for _, row in TILES.values())
WIDTH = COLUMNS * (TILE + GAP) - GAP
HEIGHT = ROWS * (TILE + GAP) - GAP


@dataclass(frozen=True)
class Tile:
    """Where a district's tile is drawn: its top-left corner and centre, in SVG units."""

    x: int
    y: int
    cx: int
    cy: int
    size: int = TILE


def tile(code: str) -> Tile | None:
    """The tile of the district ``code``; ``None`` for a district not in Bihar's grid."""
    place = TILES.get(code)
    if place is None:
        return None
    x, y = place[0] * (TILE + GAP), place[1] * (TILE + GAP)
    return Tile(x=x, y=y, cx=x + TILE // 2, cy=y + TILE // 2)
