"""Every string of every catalogue has its Hindi, and none is a fuzzy guess."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/hi/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def _entries(path: Path):
    """(msgid, msgstr values, flags) of each entry of a .po file; enough of the format for this."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        key = None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif key and line.startswith('"'):
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            yield fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], flags


def test_there_are_catalogues():
    assert {p.relative_to(ROOT).parts[0] for p in CATALOGUES} >= {"locale", "seva", "tasks17"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_has_its_hindi(path):
    missing = [msgid for msgid, msgstrs, _ in _entries(path) if not all(msgstrs)]
    fuzzy = [msgid for msgid, _, flags in _entries(path) if "fuzzy" in flags]
    assert not missing, f"untranslated in {path}: {missing[:5]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:5]}"
