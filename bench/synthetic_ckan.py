#!/usr/bin/env python3
"""Write a synthetic CKAN datastore JSON file of N polling stations.

Usage: synthetic_ckan.py TEMPLATE N SEED OUT

TEMPLATE is the real file (../shared/data/wims-gr2026-ckan.json). Each
synthetic record is a copy of a real record (cycling through them, so the
municipalities, names and accessibility answers stay realistic) with a new
_id, a new station number (unique within its municipality), new ID/UUID and a
uniformly random point in the benchmarks' box over the Netherlands
(LAT_MIN..LAT_MAX, LON_MIN..LON_MAX, the values bench/lib.sh exports).
X/Y (RD coordinates) are cleared: they would no longer match. The output is
written record by record, so N = 1,000,000 needs little memory here.
"""

import json
import os
import random
import sys
import uuid


def main() -> None:
    template, count, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    with open(template, encoding="utf-8") as f:
        result = json.load(f)["result"]
    records = result["records"]
    lat_min, lat_max = float(os.environ.get("LAT_MIN", 50.75)), float(os.environ.get("LAT_MAX", 53.55))
    lon_min, lon_max = float(os.environ.get("LON_MIN", 3.35)), float(os.environ.get("LON_MAX", 7.22))
    rng = random.Random(seed)
    numbers: dict[str, int] = {}
    with open(out, "w", encoding="utf-8") as f:
        f.write('{"success": true, "result": {"fields": ')
        json.dump(result["fields"], f, ensure_ascii=False)
        f.write(', "records": [\n')
        for i in range(count):
            record = dict(records[i % len(records)])
            code = record["CBS gemeentecode"]
            numbers[code] = numbers.get(code, 0) + 1
            record["_id"] = i + 1
            record["Nummer stembureau"] = numbers[code]
            record["Latitude"] = round(rng.uniform(lat_min, lat_max), 8)
            record["Longitude"] = round(rng.uniform(lon_min, lon_max), 8)
            record["X"] = None
            record["Y"] = None
            record["ID"] = f"NLODS{code}synthetic{numbers[code]}"
            record["UUID"] = uuid.UUID(int=rng.getrandbits(128)).hex
            if i:
                f.write(",\n")
            json.dump(record, f, ensure_ascii=False)
        f.write(f'\n], "total": {count}}}}}\n')


if __name__ == "__main__":
    main()
