"""The message catalogue, made and checked with Babel (``simulate/text/messages.py`` reads it).

    python scripts/messages.py            extract the messages from simulate/, merge them into
                                          simulate/locale/ja/LC_MESSAGES/quiet-crisis.po (new ones
                                          get an empty translation to fill in), compile the .mo
    python scripts/messages.py --check    exit 1, naming what is wrong, if a message of the code
                                          has no Japanese, the .po has one the code no longer uses,
                                          an entry is fuzzy, or the .mo is not the compiled .po

Messages are the first argument of ``t(...)`` and of ``N_(...)`` (a marked message kept in a table).
"""

from __future__ import annotations

import argparse
import gettext
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "simulate"
PO = PACKAGE / "locale" / "ja" / "LC_MESSAGES" / "quiet-crisis.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"t": (1,), "N_": None}


def extracted() -> Catalog:
    """Every message the code marks, with where it is."""
    template = Catalog(project="quiet-crisis", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)):
        template.add(message, locations=[(f"simulate/{filename}", lineno)], auto_comments=comments, context=context)
    for words in schema_words():  # the JSON Schema's descriptions, which editors show (scenario.schema.ja.json)
        template.add(words, locations=[("simulate/scenarios/scenario.schema.json", 0)])
    return template


def schema_words() -> list[str]:
    """The own words of every description of the scenario language's JSON Schema."""
    sys.path.insert(0, str(ROOT))
    from simulate.scenario.model import Scenario  # noqa: PLC0415 - the package this script catalogues
    from simulate.scenario.schema import own_words, tightened  # noqa: PLC0415
    return own_words(tightened(Scenario.model_json_schema()))


def read() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="ja", domain="quiet-crisis")


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def translations_in_mo() -> dict[str, str]:
    """What the compiled catalogue translates, as gettext reads it (the bytes differ between Babel
    versions, the translations must not)."""
    with MO.open("rb") as f:
        found = gettext.GNUTranslations(f)._catalog  # noqa: SLF001 - the parsed table, the one thing to compare
    return {k: v for k, v in found.items() if k}


def problems() -> list[str]:
    """What is wrong with the catalogue (empty when it is complete and compiled)."""
    template, catalog = extracted(), read()
    wanted = {m.id for m in template if m.id}
    have = {m.id: m for m in catalog if m.id}
    found = [f"no Japanese for {i!r}" for i in sorted(wanted) if not (have.get(i) and have[i].string)]
    found += [f"the code no longer uses {i!r}" for i in sorted(set(have) - wanted)]
    found += [f"fuzzy: {m.id!r}" for m in catalog if m.id and m.fuzzy]
    if not MO.is_file() or translations_in_mo() != {m.id: m.string for m in catalog if m.id and m.string}:
        found.append(f"{MO.name} is not the compiled .po: run python scripts/messages.py")
    return found


def update() -> None:
    """Merge the extracted messages into the .po (keeping every translation) and compile it."""
    template = extracted()
    catalog = read() if PO.is_file() else Catalog(locale="ja", domain="quiet-crisis", charset="utf-8")
    template.creation_date = catalog.creation_date  # no churn in the header
    catalog.update(template, no_fuzzy_matching=True)
    catalog.fuzzy = False
    catalog.project, catalog.version = "quiet-crisis", ""
    catalog.msgid_bugs_address = "the project's issue tracker"
    catalog.last_translator = catalog.language_team = "Quiet Crisis Simulator team"
    catalog.copyright_holder = "the Quiet Crisis Simulator authors (MIT)"
    catalog.obsolete.clear()
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=False, no_location=False)
    MO.write_bytes(compiled(catalog))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check, change nothing")
    if parser.parse_args().check:
        found = problems()
        print("\n".join(found) if found else "the catalogue is complete and compiled")
        return 1 if found else 0
    update()
    print(f"wrote {PO.relative_to(ROOT)} and {MO.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
