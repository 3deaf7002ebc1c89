#!/usr/bin/env bash
# Bytes a voter's phone downloads before it shows an answer: Kieskaart next
# to WaarIsMijnStemlokaal.nl (WIMS), which inlines every station record of
# a page as JSON in its HTML and filters them in the browser.
#
# Kieskaart's side is measured: the real 2026 data is imported and served by
# the release build, and each page is fetched gzip-compressed, as a browser
# does. The answer is in the HTML (server-rendered), so the HTML and the
# render-blocking stylesheet are all it takes; the script and WebAssembly
# load afterwards and are listed apart.
#
# WIMS's side is reproduced from the same file: the records of one
# municipality, or of all, as JSON, gzip-compressed at level 6 (a common
# server setting). That is a lower bound: its HTML around the data and its
# script and style libraries, which it needs before it can show an answer,
# cannot be fetched here (no internet) and are left out.
#
# Usage: bench/compare-wims.sh
# Needs: target/site (scripts/build-site.sh), curl, python3, ../shared/data.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

require curl curl
[[ -f $DATA ]] || die "the real data is absent: $DATA (see ../shared/data/README.md)"
[[ -d $ROOT/target/site/pkg ]] || die "no browser bundle: run scripts/build-site.sh first"
make_workdir
kk_binary
kk_prepare_db "$WORK/kieskaart.sqlite3"
kk_start "$WORK/kieskaart.sqlite3"

# transferred PATH: the gzip bytes the server sends for PATH.
transferred() {
  curl -fsS -H 'accept-encoding: gzip' -o /dev/null -w '%{size_download}' "$KK_URL$1"
}
raw() { # PATH: its size uncompressed
  curl -fsS -o /dev/null -w '%{size_download}' "$KK_URL$1"
}

css=$(transferred /pkg/kieskaart.css)
js=$(transferred /pkg/kieskaart.js)
wasm=$(transferred /pkg/kieskaart.wasm)
leaflet=$(($(transferred /vendor/leaflet/leaflet.js) + $(transferred /vendor/leaflet/leaflet.css)))

printf '| page | Kieskaart HTML (raw) | Kieskaart before the answer (HTML + CSS, gzip) | WIMS data alone (raw) | WIMS data alone (gzip) |\n'
printf '| --- | ---: | ---: | ---: | ---: |\n'
row() { # label path municipality-code-or-all
  local html_raw html_gz wims
  html_raw=$(raw "$2")
  html_gz=$(transferred "$2")
  wims=$(python3 - "$DATA" "$3" << 'PY'
import gzip, json, sys
records = json.load(open(sys.argv[1]))["result"]["records"]
code = sys.argv[2]
if code != "all":
    records = [r for r in records if r.get("CBS gemeentecode") == code]
data = json.dumps(records, ensure_ascii=False).encode()
print(len(records), len(data), len(gzip.compress(data, 6)))
PY
  )
  read -r count wims_raw wims_gz <<< "$wims"
  printf '| %s (%s stations in WIMS) | %s | %s | %s | %s |\n' "$1" "$count" "$html_raw" "$((html_gz + css))" "$wims_raw" "$wims_gz"
}
row "search near Rotterdam city hall, 5 results" "/?e=gr2026&q=3011AD" GM0599
row "all stations of Rotterdam" "/g/GM0599?e=gr2026" GM0599
row "all stations of Oudewater" "/g/GM0589?e=gr2026" GM0589
row "the whole country" "/?e=gr2026&q=3011AD" all

printf '\nLoaded after the answer is shown (gzip): kieskaart.js %s, kieskaart.wasm %s, Leaflet %s (only on pages with a map).\n' \
  "$js" "$wasm" "$leaflet"
