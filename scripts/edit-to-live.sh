#!/usr/bin/env bash
# How long an edit to a component takes to be live, with `scripts/run.sh` (cargo leptos watch)
# serving on http://127.0.0.1:3000: edits the footer (src/components/footer.rs), times until the
# served home page shows it, undoes the edit and times that too. Run it in a second terminal once
# run.sh serves pages. ROUNDS (2) of each kind of edit: a text (the copyright line says more) and
# an element (a new <span> after it: the view's structure changes).
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${BASE:-http://127.0.0.1:3000}
FILE=src/components/footer.rs
LINE='format!("© {} {}", info.year, info.name)'
grep -qF "$LINE" "$FILE" || { echo "edit-to-live: $FILE no longer has the line it edits: $LINE" >&2; exit 1; }
curl -sf -o /dev/null "$BASE/" || { echo "edit-to-live: nothing serves $BASE: start scripts/run.sh first" >&2; exit 1; }
cp "$FILE" "$FILE.orig"
trap 'mv -f "$FILE.orig" "$FILE"' EXIT

# Seconds until the home page does (shows=1) or does not (shows=0) contain $1.
until_live() {
  python3 - "$BASE/" "$1" "$2" <<'PY'
import sys, time, urllib.request
url, marker, shows = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
started = time.monotonic()
while time.monotonic() - started < 600:
    try:
        page = urllib.request.urlopen(url, timeout=5).read().decode()
        if (marker in page) == shows:
            print(f"{time.monotonic() - started:.1f}")
            sys.exit(0)
    except Exception:
        pass
    time.sleep(0.2)
sys.exit("not live after 600 s")
PY
}

for kind in text element; do
  for round in $(seq "${ROUNDS:-2}"); do
    marker="edited-$(date +%s)"
    if [ "$kind" = text ]; then
      sed -i "s/format!(\"© {} {}\", info.year, info.name)/format!(\"© {} {} $marker\", info.year, info.name)/" "$FILE"
    else
      sed -i "s|info.year, info.name)}</p>|info.year, info.name)}</p><span class=\"$marker\">$marker</span>|" "$FILE"
    fi
    grep -q "$marker" "$FILE" || { echo "edit-to-live: the $kind edit did not apply to $FILE" >&2; exit 1; }
    edit=$(until_live "$marker" 1)
    cp "$FILE.orig" "$FILE"
    back=$(until_live "$marker" 0)
    echo "$kind edit, round $round: live after $edit s, undone after $back s"
  done
done
