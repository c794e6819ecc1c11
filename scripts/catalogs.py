"""Keep the translation catalogs in order.

    python scripts/catalogs.py fill-en         the English catalog maps every string to itself
    python scripts/catalogs.py check           every string has a Chinese translation, none fuzzy
    python scripts/catalogs.py translate FILE  fill zh_Hans from a YAML mapping of msgid → 中文
                                               (a key "context|msgid" for a pgettext entry)

The source strings are English, so the English catalog is the identity; it is filled here
rather than by hand so that it stays complete. `make messages-update` runs makemessages and
then fill-en; Chinese translations are written by people, in the zh_Hans catalog.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "kaohe" / "locale"
_ENTRY = re.compile(
    r'(?P<head>(?:#.*\n)*(?:msgctxt (?:".*"\n)+)?)msgid (?P<id>(?:".*"\n)+)'
    r'(?:msgid_plural (?P<plural>(?:".*"\n)+))?'
    r'(?P<strs>(?:msgstr(?:\[\d\])? (?:".*"\n)+)+)'
)


def _join(block: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))


def entries(path: Path) -> list[re.Match[str]]:
    return [m for m in _ENTRY.finditer(path.read_text(encoding="utf-8")) if _join(m["id"])]


def _without_fuzzy(head: str) -> str:
    """Comments without the fuzzy flag and the previous-msgid lines that come with it."""
    lines = []
    for line in head.splitlines(keepends=True):
        if line.startswith("#|"):
            continue
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            line = f"#, {', '.join(flags)}\n" if flags else ""
        lines.append(line)
    return "".join(lines)


def fill_en() -> None:
    path = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    text = path.read_text(encoding="utf-8")

    def identity(match: re.Match[str]) -> str:
        if not _join(match["id"]):
            return match[0]
        head = _without_fuzzy(match["head"])
        if match["plural"]:
            strs = f"msgstr[0] {match['id']}msgstr[1] {match['plural']}"
            return f"{head}msgid {match['id']}msgid_plural {match['plural']}{strs}"
        return f"{head}msgid {match['id']}msgstr {match['id']}"

    path.write_text(_ENTRY.sub(identity, text), encoding="utf-8")


def translate(mapping_file: Path) -> None:
    """Set the Chinese of the msgids in the mapping (singular entries), clearing fuzziness."""
    import yaml

    mapping = yaml.safe_load(mapping_file.read_text(encoding="utf-8"))
    path = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"

    def fill(match: re.Match[str]) -> str:
        # A plain key never fills an entry with a context: "Rejected" (a batch's rows) and
        # pgettext("weight proposal", "Rejected") are different words in Chinese.
        context = re.search(r'^msgctxt ((?:".*"\n)+)', match["head"], re.M)
        key = _join(match["id"]) if context is None else f"{_join(context[1])}|{_join(match['id'])}"
        if key not in mapping:
            return match[0]
        text = str(mapping[key]).replace("\\", "\\\\").replace('"', '\\"')
        head = f"{_without_fuzzy(match['head'])}msgid {match['id']}"
        if match["plural"]:  # Chinese has one plural form
            return f'{head}msgid_plural {match["plural"]}msgstr[0] "{text}"\n'
        return f'{head}msgstr "{text}"\n'

    path.write_text(_ENTRY.sub(fill, path.read_text(encoding="utf-8")), encoding="utf-8")


def check() -> int:
    problems = []
    for language in ("zh_Hans", "en"):
        path = LOCALE / language / "LC_MESSAGES" / "django.po"
        for match in entries(path):
            msgid = _join(match["id"])
            if "fuzzy" in match["head"]:
                problems.append(f"{language}: fuzzy translation of {msgid!r}")
            translations = re.findall(r"msgstr(?:\[\d\])? ((?:\".*\"\n)+)", match["strs"])
            if not all(_join(t) for t in translations):
                problems.append(f"{language}: no translation for {msgid!r}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "fill-en":
        fill_en()
    elif command == "check":
        sys.exit(check())
    elif command == "translate" and len(sys.argv) == 3:
        translate(Path(sys.argv[2]))
    else:
        sys.exit(__doc__)
