#!/usr/bin/env bash
# Lighthouse (npm lighthouse 12.2.3, its default mobile settings: a
# mid-range phone, slow 4G, 4× CPU slowdown) against Debian's Chromium, on
# the home page and a results page of the release build. Prints the
# performance and accessibility scores and the main timings per page; the
# full reports stay in the work folder with KEEP=1.
#
# Usage: bench/lighthouse.sh
# Needs: target/site (scripts/build-site.sh), chromium, npm, python3.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "$0")/lib.sh"

require chromium chromium
if [[ ! -x $BENCH_DIR/lighthouse/node_modules/.bin/lighthouse ]]; then
  (cd "$BENCH_DIR/lighthouse" && npm ci --no-audit --no-fund >&2)
fi
make_workdir
kk_binary
kk_prepare_db "$WORK/kieskaart.sqlite3"
# No online services: tiles and geocoding would only time out here.
export KIESKAART_TILES=off KIESKAART_GEOCODER=off
kk_start "$WORK/kieskaart.sqlite3"

if [[ $ELECTION == gr2026 ]]; then results="/?e=gr2026&q=3011AD"; else results="/?e=$ELECTION&q=Demodorp"; fi
printf '| page | performance | accessibility | FCP | LCP | TBT | CLS | transferred |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for path in / "$results"; do
  report=$WORK/lighthouse-$(printf '%s' "$path" | tr -c 'a-zA-Z0-9' _).json
  CHROME_PATH=/usr/bin/chromium "$BENCH_DIR/lighthouse/node_modules/.bin/lighthouse" "$KK_URL$path" \
    --quiet --output=json --output-path="$report" --only-categories=performance,accessibility \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync" >&2
  python3 - "$report" "$path" << 'PY'
import json, sys
r = json.load(open(sys.argv[1]))
a, c = r["audits"], r["categories"]
ms = lambda k: f'{a[k]["numericValue"] / 1000:.2f} s'
print(f'| `{sys.argv[2]}` | {round(c["performance"]["score"] * 100)} | {round(c["accessibility"]["score"] * 100)} '
      f'| {ms("first-contentful-paint")} | {ms("largest-contentful-paint")} '
      f'| {a["total-blocking-time"]["numericValue"]:.0f} ms | {a["cumulative-layout-shift"]["numericValue"]:.3f} '
      f'| {a["total-byte-weight"]["numericValue"] / 1024:.0f} KiB |')
for k, v in a.items():
    if v.get("score") is not None and v["score"] < 0.9 and v.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings"):
        print(f'    below 0.9: {k} ({v["score"]}): {v.get("displayValue", "")}', file=sys.stderr)
PY
done
