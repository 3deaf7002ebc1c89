#!/usr/bin/env bash
# Starts the release server for the browser tests on a fresh database with
# the demo dataset and, when ../shared/data is there, the real 2026 stations.
# Usage: serve-for-tests.sh [port] [map tile URL template, or off]
# KIESKAART_E2E_BIN and KIESKAART_E2E_SITE point it at another server build
# and site (a developer trying one journey against a debug build); `make
# test` sets neither and tests the release build.
set -euo pipefail
port=${1:-3917}
tiles=${2:-off}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="${KIESKAART_E2E_BIN:-$root/target/release/kieskaart}"
site="${KIESKAART_E2E_SITE:-$root/target/site}"
db="$(mktemp -d)/kieskaart.sqlite3"
artifacts="$root/end2end/artifacts"
mkdir -p "$artifacts"
real="$root/../shared/data/wims-gr2026-ckan.json"
boundaries="$root/../shared/data/municipalities-rd.geojson"

"$bin" --database "$db" demo
# An officer of the demo municipality, for the portal's map journey.
"$bin" --database "$db" user add --email verkiezingen@demodorp.example --municipality GM9999 \
  --site "http://127.0.0.1:$port" | tail -n 1 > "$artifacts/demo-activation-link.txt"
# Two stations whose name and address are markup, in an election of their
# own in the past (never the one a page picks by default), for the journey
# that checks station text is text everywhere it is shown.
markup="$(mktemp -d)/markup.csv"
{
  echo 'CBS gemeentecode;Gemeente;Nummer stembureau;Naam stembureau;Straatnaam;Huisnummer;Postcode;Plaats;Type stembureau;Latitude;Longitude;Openingstijd;Sluitingstijd;Toegankelijk voor mensen met een lichamelijke beperking'
  echo 'GM0014;Groningen;1;<img src=x id=injected><b id=bold>BOLD</b>;<i id=street>Straat</i>;1;9711AA;<u id=place>Stad</u>;regulier;53,2194;6,5665;2018-03-21T07:30:00;2018-03-21T21:00:00;ja'
  echo 'GM0014;Groningen;2;<script id=scripted>window.__injected = 1</script>Zaal;Markt;2;9712AB;Groningen;regulier;53,2300;6,5400;2018-03-21T07:30:00;2018-03-21T21:00:00;ja'
} > "$markup"
"$bin" --database "$db" import "$markup" --election gr2018 > /dev/null
# The change feed journey (feed.spec.ts): an officer and an admin of its
# own, and a webhook for the demo election to the news-site stand-in
# (host-site.mjs, on port + 2), whose secret the journey checks with.
"$bin" --database "$db" user add --email feed@demodorp.example --municipality GM9999 \
  --site "http://127.0.0.1:$port" | tail -n 1 > "$artifacts/feed-officer-link.txt"
"$bin" --database "$db" user add --email beheer@feed.example --admin \
  --site "http://127.0.0.1:$port" | tail -n 1 > "$artifacts/feed-admin-link.txt"
"$bin" --database "$db" webhook add "http://127.0.0.1:$((port + 2))/hook" --election demo \
  | tail -n 1 > "$artifacts/feed-webhook-secret.txt"

if [ -f "$real" ]; then
  # The portal journey's municipality, Voerendaal, is left out: its officer
  # publishes it through the portal, from the template Kieskaart fills
  # with its real stations (made here from a scratch database).
  journey=GM0986
  scratch=$(mktemp -d)
  node -e 'const fs = require("fs");
    const [source, code, out] = process.argv.slice(1);
    const file = JSON.parse(fs.readFileSync(source));
    file.result.records = file.result.records.filter((r) => r["CBS gemeentecode"] !== code);
    fs.writeFileSync(out, JSON.stringify(file));' "$real" "$journey" "$scratch/without.json"
  "$bin" --database "$scratch/full.sqlite3" import "$real" --election gr2026 > /dev/null
  "$bin" --database "$scratch/full.sqlite3" template --election gr2026 --municipality "$journey" \
    --out "$artifacts/voerendaal.xlsx"
  "$bin" --database "$db" import "$scratch/without.json" --election gr2026
  "$bin" --database "$db" boundaries import "$boundaries"
  "$bin" --database "$db" user add --email verkiezingen@voerendaal.nl --municipality "$journey" \
    --site "http://127.0.0.1:$port" | tail -n 1 > "$artifacts/activation-link.txt"
else
  echo "real data absent ($real): journeys that need it will be skipped" >&2
fi
# Issue 23, part 1: an officer of the demo municipality who handles the
# report a voter files in report.spec.ts.
"$bin" --database "$db" user add --email meldingen@demodorp.example --municipality GM9999 \
  --site "http://127.0.0.1:$port" | tail -n 1 > "$artifacts/report-activation-link.txt"
# Browser tests never call real online services: offline geocoding only,
# and map tiles from the loopback stand-in (or none).
exec "$bin" --database "$db" serve --no-demo --geocoder off --tiles "$tiles" --addr "127.0.0.1:$port" --site-root "$site"
