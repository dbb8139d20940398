#!/usr/bin/env python3
"""Synthetic responses to a Candor survey, as a CSV that `analysis import`
accepts.

Usage: scripts/synth.py [--form FILE] [--n N] [--seed S] [--out FILE]

Walks the form file's pages in order like a respondent: a page or item
whose show_if is not true is skipped, required items are always answered,
optional ones usually. The values are plausible for the default survey
(forms/fibromyalgia-therapies.json): one latent severity per respondent
drives pain, symptom and mood items, and therapy use shifts it a little, so
the report has associations to show. Any other form gets generic values.
Seeded (the same seed gives the same bytes) and streaming (one row in
memory), so a million rows take no memory. Python 3 standard library only.
"""
import argparse
import csv
import json
import math
import random
import sys

# Probabilities of never / in the past / now, per therapy of the default form.
USE = {
    "exercise_use": (0.25, 0.35, 0.40), "cbt_use": (0.60, 0.28, 0.12),
    "pt_use": (0.45, 0.40, 0.15), "yoga_use": (0.55, 0.30, 0.15),
    "acupuncture_use": (0.65, 0.27, 0.08), "massage_use": (0.45, 0.35, 0.20),
    "duloxetine_use": (0.55, 0.25, 0.20), "milnacipran_use": (0.88, 0.08, 0.04),
    "pregabalin_use": (0.55, 0.28, 0.17), "gabapentin_use": (0.55, 0.27, 0.18),
    "amitriptyline_use": (0.60, 0.28, 0.12),
    "cyclobenzaprine_use": (0.60, 0.25, 0.15), "nsaid_use": (0.20, 0.35, 0.45),
    "paracetamol_use": (0.20, 0.35, 0.45), "tramadol_use": (0.62, 0.25, 0.13),
    "opioid_use": (0.60, 0.25, 0.15), "cannabis_use": (0.50, 0.22, 0.28),
    "kratom_use": (0.70, 0.12, 0.18),
}
# Shift of the latent severity for current users (an association to find).
SHIFT = {"opioid_use": 0.45, "tramadol_use": 0.3, "kratom_use": 0.25,
         "cannabis_use": 0.1, "exercise_use": -0.25}
WEIGHTS = {
    "age_band": {1: 4, 2: 12, 3: 22, 4: 26, 5: 21, 6: 10, 7: 3, 99: 2},
    "sex": {1: 86, 2: 10, 3: 2, 99: 2},
    "country": {1: 55, 2: 8, 3: 10, 4: 2, 5: 5, 6: 2, 7: 6, 8: 4, 9: 2,
                10: 2, 11: 1, 98: 2, 99: 1},
    "dx_by": {1: 85, 2: 12, 99: 3},
}


def text_en(t):
    return t.get("en", next(iter(t.values()))) if isinstance(t, dict) else t


class Respondent:
    def __init__(self, rng):
        self.rng = rng
        self.a = {}  # var -> int, float or list of ints
        self.sev = rng.gauss(0, 1)
        # Therapy use is drawn first so that it can shift the severity
        # reported on earlier pages.
        self.use = {v: rng.choices([0, 1, 2], weights=w)[0]
                    for v, w in USE.items()}
        if self.use["opioid_use"] == 2 or self.use["tramadol_use"] == 2:
            self.use["kratom_use"] = rng.choices([0, 1, 2],
                                                 weights=(0.5, 0.2, 0.3))[0]
        for v, s in SHIFT.items():
            if self.use[v] == 2:
                self.sev += s

    # Three-valued conditions, as docs/forms.md: None is "unknown".
    def num(self, var):
        v = self.a.get(var)
        if v is None or isinstance(v, list):
            return None
        return v

    def cond(self, c):
        if c is None:
            return True
        if "all" in c:
            r = [self.cond(k) for k in c["all"]]
            return False if False in r else (None if None in r else True)
        if "any" in c:
            r = [self.cond(k) for k in c["any"]]
            return True if True in r else (None if None in r else False)
        if "not" in c:
            r = self.cond(c["not"])
            return None if r is None else not r
        if "count" in c:
            r = [self.cond(k) for k in c["count"]]
            if None in r:
                return None
            n = sum(1 for x in r if x)
            for op, f in (("ge", n.__ge__), ("le", n.__le__), ("eq", n.__eq__)):
                if op in c:
                    return f(c[op])
            return None
        var = c["var"]
        if "answered" in c:
            return (var in self.a) == bool(c["answered"])
        if "has" in c:
            v = self.a.get(var)
            return None if v is None else c["has"] in v
        x = self.num(var)
        if x is None:
            return None
        if "in" in c:
            return x in c["in"]
        for op, f in (("eq", lambda y: x == y), ("ne", lambda y: x != y),
                      ("lt", lambda y: x < y), ("le", lambda y: x <= y),
                      ("gt", lambda y: x > y), ("ge", lambda y: x >= y)):
            if op in c:
                return f(c[op])
        return None

    def likert(self, lo, hi, centre, spread):
        x = centre + spread * self.sev + self.rng.gauss(0, 0.9)
        return int(min(hi, max(lo, round(x))))


def pick(rng, choices, weights=None):
    vals = [c["value"] for c in choices]
    if weights:
        w = [weights.get(v, 1) for v in vals]
    else:
        w = [0.15 if c.get("missing") else 1 for c in choices]
    return rng.choices(vals, weights=w)[0]


def answer_item(r, it, rng):
    kind = it["kind"]
    var = it.get("var")
    if kind == "grid":
        rows = it["rows"]
        values = [c["value"] for c in it["choices"]]
        for row in rows:
            v = row["var"]
            if v in USE:
                r.a[v] = r.use[v]
            elif v.startswith("kratom_ud"):
                r.a[v] = 1 if rng.random() < 0.15 else 0
            else:
                hi = max(values)
                r.a[v] = r.likert(min(values), hi, hi * 0.45, hi * 0.3)
        return
    if kind == "single":
        if var in USE:
            # Asked only for a therapy ticked as ever used: now or past.
            if r.use[var] > 0:
                r.a[var] = r.use[var]
        elif var in WEIGHTS:
            r.a[var] = pick(rng, it["choices"], WEIGHTS[var])
        elif var.endswith("_pgic"):
            # Patients' global impression: spread over the scale.
            r.a[var] = pick(rng, it["choices"],
                            {1: 8, 2: 18, 3: 25, 4: 28, 5: 10, 6: 7, 7: 4})
        else:
            r.a[var] = pick(rng, it["choices"])
    elif kind == "duration":
        n = len(it["choices"])
        w = {c["value"]: 1 + i for i, c in enumerate(it["choices"])}
        r.a[var] = pick(rng, it["choices"], w) if n else None
    elif kind == "yesno":
        p = 0.5
        if var.startswith("sss_"):
            p = 1 / (1 + math.exp(-(0.3 + 1.2 * r.sev)))
        elif var.startswith("kratom_ud"):
            p = 0.15
        r.a[var] = 1 if rng.random() < p else 0
    elif kind == "scale":
        lo, hi = it.get("min", 0), it.get("max", 10)
        r.a[var] = r.likert(lo, hi, lo + (hi - lo) * 0.6, (hi - lo) * 0.17)
    elif kind == "integer":
        r.a[var] = rng.randint(int(it["min"]), int(it["max"]))
    elif kind == "decimal":
        r.a[var] = round(rng.uniform(it["min"], it["max"]), 1)
    elif kind == "multiple":
        ch = it["choices"]
        excl = [c["value"] for c in ch if c.get("exclusive")]
        opts = [c["value"] for c in ch if not c.get("exclusive")]
        if var == "therapies_ever":
            # Choices 1.. follow the therapies in the form's order (USE).
            chosen = [i + 1 for i, v in enumerate(USE) if r.use[v] > 0]
        elif var == "wpi_sites":
            k = int(min(len(opts), max(0, round(9 + 4 * r.sev +
                                                rng.gauss(0, 2)))))
            chosen = sorted(rng.sample(opts, k))
        else:
            chosen = [v for v in opts if rng.random() < 0.18]
        if not chosen:
            if excl:
                chosen = [excl[0]]
            elif it.get("required"):
                chosen = [rng.choice(opts)]
        if chosen:
            r.a[var] = chosen
    # free text ("text") is never generated


def item_vars(it):
    if it["kind"] == "grid":
        return [row["var"] for row in it["rows"]]
    return [it["var"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--form", default="forms/fibromyalgia-therapies.json")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="-")
    ap.add_argument("--no-period", action="store_true",
                    help="leave out the period column (today is used)")
    args = ap.parse_args()
    if args.n < 0:
        ap.error("--n must be >= 0")
    with open(args.form, encoding="utf-8") as fp:
        form = json.load(fp)
    month = form.get("date_precision") == "month"
    cols = [v for p in form["pages"] for it in p["items"]
            if it["kind"] != "text" for v in item_vars(it)]
    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="",
                                                   encoding="utf-8")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(cols + ([] if args.no_period else ["period"]))
    rng = random.Random(args.seed)
    for _ in range(args.n):
        r = Respondent(rng)
        for page in form["pages"]:
            if r.cond(page.get("show_if")) is not True:
                continue
            for it in page["items"]:
                if it["kind"] == "text":
                    continue
                if r.cond(it.get("show_if")) is not True:
                    continue
                if not it.get("required") and rng.random() < 0.1:
                    continue
                answer_item(r, it, rng)
        row = []
        for c in cols:
            v = r.a.get(c)
            if v is None:
                row.append("")
            elif isinstance(v, list):
                row.append(";".join(str(x) for x in v))
            else:
                row.append(str(v))
        if not args.no_period:
            m = rng.randint(1, 11)
            row.append("2026-%02d" % m if month else
                       "2026-%02d-%02d" % (m, rng.randint(1, 28)))
        w.writerow(row)
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
