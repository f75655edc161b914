"""Check a housing draw from its round bundle with nothing but Python (3.9+).

    python verify_draw.py bundle.json results.csv

bundle.json is what ``talentdesk housing export-bundle`` writes; results.csv is the results file
(``housing allocate --results results.csv``; in a .csv the lottery number is written 0x..., which
Excel leaves as text, and the bare 16 digits are read too). The script checks, without talentdesk
and without the centre's database, that:

1. the seed is the one committed to before the draw: SHA-256 of the seed equals the commitment;
2. every application's lottery number is the first 8 bytes of SHA-256("{seed}|{application_no}");
3. the results list every frozen application once, in the master order: tier (A first), then
   points (most first), then lottery number (smallest first);
4. for each choice above the one granted that was full (``filled@N``), N comes before the
   applicant's own position: nobody was passed over.

It prints what it checked and exits with 1 at the first thing that does not hold.
"""

import csv
import hashlib
import json
import sys


def fail(message):
    print("NOT VERIFIED:", message)
    sys.exit(1)


def main(bundle_path, results_path):
    with open(bundle_path, encoding="utf-8") as f:
        bundle = json.load(f)
    seed = bundle["seed"].strip()
    if hashlib.sha256(seed.encode("utf-8")).hexdigest() != bundle["seed_commitment"]:
        fail("the seed's SHA-256 is not the commitment recorded before the draw")
    print("1. the seed matches its commitment", bundle["seed_commitment"])
    frozen = [line.split("|")[0] for line in bundle["applications"].splitlines()[1:]]
    with open(results_path, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["lottery"].startswith("0x"):
            row["lottery"] = row["lottery"][2:]
    for row in rows:
        digest = hashlib.sha256(f"{seed}|{row['application_no']}".encode()).digest()
        if row["lottery"] != digest[:8].hex():
            fail(f"the lottery number of {row['application_no']} is not SHA-256 of the seed")
    print("2. all", len(rows), "lottery numbers follow from the seed")
    if sorted(frozen) != sorted(row["application_no"] for row in rows):
        fail("the results do not list exactly the frozen applications")
    order = [(r["tier"], -int(r["points"]), r["lottery"]) for r in rows]
    if order != sorted(order) or [int(r["position"]) for r in rows] != list(
        range(1, len(rows) + 1)
    ):
        fail("the results are not in the master order (tier, points, lottery)")
    print("3. the results are the frozen applications in the master order")
    for row in rows:
        for item in filter(None, row["not_granted"].split("; ")):
            kind, why = item.split(":", 1)
            if why.startswith("filled@") and int(why[7:]) >= int(row["position"]):
                fail(f"{row['application_no']} was passed over for {kind}")
    print("4. nobody was passed over: every full kind filled before the applicant's turn")
    print("VERIFIED")


if __name__ == "__main__":
    main(*sys.argv[1:3])
