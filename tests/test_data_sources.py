"""The geography's sources note names what the repository ships, and only that."""

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "seva" / "geo" / "data"


def test_the_sources_note_describes_every_shipped_file_and_no_absent_one():
    sources = (DATA / "SOURCES.md").read_text()
    for csv in DATA.glob("*.csv"):
        assert f"`{csv.name}`" in sources, csv.name
    # The extracts the data was built from are not in the repository.
    assert "raw_extracts" not in sources
    # Sources are named by a public file reference and a quoted header line.
    assert "index file" not in sources and "public file ref" in sources
