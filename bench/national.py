#!/usr/bin/env python3
"""A national-size election in real municipalities, and the queries that are
hardest for it. Used by bench/worst.sh.

Usage: national.py TEMPLATE N SEED OUT_CKAN OUT_QUERIES ELECTION

TEMPLATE is the real 2026 file (../shared/data/wims-gr2026-ckan.json): 70
municipalities with their real stations. The output keeps every municipality
and its real mix of accessibility answers and station kinds, and scales each
municipality's count up until there are about N stations, each copy placed
near a real station of its own municipality (within about a kilometre), so
that the municipality rule applies with the real boundaries. The five
municipalities with the fewest stations publish exactly 1, 2, 3, 4 and 5, as
Schiermonnikoog, Vlieland and Renswoude do: a search there must look beyond
home.

OUT_QUERIES gets one API path per line, labelled by the case it measures
("random", "smallest", "sign-language", ...), for bench/worst.lua.
"""

import json
import random
import sys

# A degree of latitude is 111 km; of longitude here about 68 km.
KM_LAT, KM_LON = 1 / 111.0, 1 / 68.0


def jitter(rng, record, km):
    return (
        round(float(record["Latitude"]) + rng.gauss(0, km) * KM_LAT, 7),
        round(float(record["Longitude"]) + rng.gauss(0, km) * KM_LON, 7),
    )


def main() -> None:
    template, n, seed, out_ckan, out_queries, election = sys.argv[1:]
    n, rng = int(n), random.Random(int(seed))
    with open(template, encoding="utf-8") as f:
        result = json.load(f)["result"]
    by_code: dict[str, list[dict]] = {}
    for record in result["records"]:
        if record.get("Latitude") and record.get("Longitude"):
            by_code.setdefault(record["CBS gemeentecode"], []).append(record)
    smallest = sorted(by_code, key=lambda code: (len(by_code[code]), code))[:5]
    fixed = {code: i + 1 for i, code in enumerate(smallest)}
    scale = (n - sum(fixed.values())) / sum(len(r) for c, r in by_code.items() if c not in fixed)

    records = []
    for code, real in sorted(by_code.items()):
        count = fixed.get(code) or round(len(real) * scale)
        for i in range(count):
            record = dict(real[i % len(real)])
            if i >= len(real):
                record["Latitude"], record["Longitude"] = jitter(rng, record, 1.0)
            record.update({
                "_id": len(records) + 1,
                "Nummer stembureau": i + 1,
                "X": None,
                "Y": None,
                "ID": f"NLODS{code}bench{i + 1}",
                "UUID": "%032x" % rng.getrandbits(128),
            })
            records.append(record)
    with open(out_ckan, "w", encoding="utf-8") as f:
        json.dump({"success": True, "result": {"fields": result["fields"], "records": records}}, f, ensure_ascii=False)

    # Where voters stand: near a station (people live where stations are),
    # and for "smallest" near a station of the five smallest municipalities.
    everyone = [r for rs in by_code.values() for r in rs]
    in_smallest = [r for code in smallest for r in by_code[code]]
    day = records[0]["Openingstijd"][:10]
    cases = {
        "random": (everyone, ""),
        "smallest": (in_smallest, ""),
        "sign-language": (everyone, "&needs=sign-language-on-site"),
        "braille": (everyone, "&needs=braille-list"),
        "low-stimulus": (everyone, "&needs=low-stimulus"),
        "mobile+low-stimulus": (everyone, "&type=mobile&needs=low-stimulus"),
        "open-at-06:00": (everyone, f"&open_at={day}T06:00"),
        "smallest+sign-language": (in_smallest, "&needs=sign-language-on-site"),
    }
    with open(out_queries, "w", encoding="utf-8") as f:
        for label, (near, extra) in cases.items():
            for _ in range(2000):
                lat, lon = jitter(rng, rng.choice(near), 0.5)
                f.write(f"{label} /api/v1/elections/{election}/stations/nearest?lat={lat}&lon={lon}&k=5{extra}\n")
    print(f"{len(records)} stations in {len(by_code)} municipalities; smallest: "
          + ", ".join(f"{code} {count}" for code, count in fixed.items()))


if __name__ == "__main__":
    main()
