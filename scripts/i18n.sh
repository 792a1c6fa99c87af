#!/usr/bin/env bash
# Refresh and compile the translation catalogues in peiyu/locale/ (zh_Hans and en).
#
#   scripts/i18n.sh             extract every marked string of every app (Python files and templates)
#                               into peiyu/locale/{zh_Hans,en}/LC_MESSAGES/django.po, compile the .mo
#                               files, and say how many zh_Hans msgids are untranslated or fuzzy
#   scripts/i18n.sh --check     change nothing; exit 1 when the zh_Hans catalogue has an empty or fuzzy
#                               msgstr, a placeholder msgfmt rejects, a stale .mo, or lacks a string
#                               the code marks for translation (CI)
#   scripts/i18n.sh --check --no-extract
#                               the same checks on the committed catalogue alone, without extracting
#
# One catalogue for the whole project: app-level locale/ folders are skipped, so every string of every
# app lands in peiyu/locale (LOCALE_PATHS, which also wins over app catalogues at run time). English
# msgstrs may stay empty: the English msgid is shown. Needs GNU gettext (apt-get install gettext).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOCALE=$ROOT/peiyu/locale
ZH=$LOCALE/zh_Hans/LC_MESSAGES
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=$(command -v python3)
export DJANGO_SETTINGS_MODULE=peiyu.settings
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

check=0
extract=1
for arg in "$@"; do
  case $arg in
    --check) check=1 ;;
    --no-extract) extract=0 ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

peiyu() { "$PYTHON" -m peiyu "$@"; }

makemessages() {
  # From peiyu/ so every app's templates and .py files are walked; JS is not translated.
  # Ignore patterns are relative to peiyu/; '*/locale' keeps app catalogues from taking strings.
  (cd "$ROOT/peiyu" && peiyu makemessages -l zh_Hans -l en --domain django --extension html,txt,py \
    --no-location --no-obsolete --verbosity 0 \
    --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'peiyu/core/static/vendor/*' \
    --ignore 'core/static/vendor/*' --ignore 'locale' --ignore '*/locale' --ignore '*/migrations/*')
}

compilemessages() {
  # From peiyu/locale so only this catalogue is compiled, never an app's own locale/ folder.
  (cd "$LOCALE" && peiyu compilemessages -l zh_Hans -l en --verbosity 0)
}

# po_tool summary PO          -> "msgids untranslated fuzzy"
# po_tool todo PO             -> msgids whose msgstr is empty or fuzzy
# po_tool new PO OLD          -> msgids of PO that OLD lacks or leaves untranslated
# po_tool stale PO MO         -> exit 1 when MO does not hold exactly what PO compiles to
po_tool() {
  "$PYTHON" - "$@" <<'PY'
import ast, gettext, subprocess, sys, tempfile

def entries(path):
    """{(msgctxt, msgid): (translated, fuzzy)} for the live entries of a .po file."""
    out = {}
    for block in open(path, encoding="utf-8").read().split("\n\n"):
        fields, key, fuzzy = {}, None, False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
            elif line and not line.startswith("#"):
                key, _, rest = line.partition(" ")
                fields[key] = ast.literal_eval(rest)
        if fields.get("msgid"):
            strs = [v for k, v in fields.items() if k.startswith("msgstr")]
            out[(fields.get("msgctxt"), fields["msgid"])] = (bool(strs) and all(strs), fuzzy)
    return out

def show(key):
    return (f"[{key[0]}] " if key[0] else "") + key[1].replace("\n", "\\n")

mode, po, *rest = sys.argv[1:]
if mode == "stale":
    def catalog(path):
        with open(path, "rb") as f:
            return gettext.GNUTranslations(f)._catalog
    with tempfile.NamedTemporaryFile(suffix=".mo") as fresh:
        subprocess.run(["msgfmt", "--output-file", fresh.name, po], check=True)
        try:
            sys.exit(0 if catalog(fresh.name) == catalog(rest[0]) else 1)
        except OSError:
            sys.exit(1)
found = entries(po)
if mode == "summary":
    print(len(found), sum(not t for t, f in found.values()), sum(t and f for t, f in found.values()))
elif mode == "todo":
    for key, (translated, fuzzy) in sorted(found.items(), key=str):
        if not translated or fuzzy:
            print(("fuzzy: " if translated else "empty: ") + show(key))
elif mode == "new":
    old = {k for k, (t, f) in entries(rest[0]).items() if t and not f}
    for key in sorted(set(found) - old, key=str):
        print(show(key))
PY
}

if [ $check -eq 0 ]; then
  makemessages
  compilemessages
  read -r total todo fuzzy < <(po_tool summary "$ZH/django.po")
  echo "zh_Hans: $total msgids, $todo untranslated, $fuzzy fuzzy (peiyu/locale/zh_Hans/LC_MESSAGES/django.po)"
  exit 0
fi

# --check
[ -f "$ZH/django.po" ] || { echo "!! $ZH/django.po does not exist: run scripts/i18n.sh"; exit 1; }
status=0
if out=$(po_tool todo "$ZH/django.po") && [ -n "$out" ]; then
  echo "!! zh_Hans msgids with an empty or fuzzy msgstr:"; echo "$out" | sed 's/^/   /'; status=1
fi
for po in "$LOCALE"/*/LC_MESSAGES/django.po; do
  if ! out=$(msgfmt --check --output-file=/dev/null "$po" 2>&1); then
    echo "!! msgfmt --check ${po#"$ROOT"/}:"; echo "$out" | sed 's/^/   /'; status=1
  elif ! po_tool stale "$po" "${po%.po}.mo"; then
    echo "!! ${po#"$ROOT"/} and its .mo differ: run scripts/i18n.sh and commit both"; status=1
  fi
done
if [ $extract -eq 1 ]; then
  # Extract into the tree, compare, and put the committed catalogues back whatever happens.
  backup=$(mktemp -d)
  cp -a "$LOCALE/." "$backup/"
  trap 'rm -rf "$LOCALE" && mkdir -p "$LOCALE" && cp -a "$backup/." "$LOCALE/" && rm -rf "$backup"' EXIT
  makemessages
  if out=$(po_tool new "$ZH/django.po" "$backup/zh_Hans/LC_MESSAGES/django.po") && [ -n "$out" ]; then
    echo "!! marked in the code but not translated in the catalogue (run scripts/i18n.sh, translate, commit):"
    echo "$out" | sed 's/^/   /'; status=1
  fi
fi
[ $status -eq 0 ] && echo "i18n: zh_Hans catalogue complete"
exit $status
