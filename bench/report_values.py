#!/usr/bin/python3
"""Prints the values bench/ref.R and bench/ref.py print ("key value" lines)
from a report.json of `analysis report --plan bench/plan_bench.json`, so
bench/analysis_bench.sh can compare the three. Not timed.

    /usr/bin/python3 bench/report_values.py report.json
"""
import json
import sys


def main():
    r = json.load(open(sys.argv[1], encoding="utf-8"))
    var = {v["variable"]: v for v in r["variables"]}

    def out(k, x):
        print(k, "%.17g" % x)
    for v in ["peg", "phq8", "gad7", "nrs_sleep", "kratom_days_week"]:
        s = var[v]["summary"]
        out(v + ".n", var[v]["n"])
        for k in ["mean", "sd", "median", "q1", "q3"]:
            out(v + "." + k, s[k])
    for v, code in [("age_band", 4), ("country", 1), ("dx_years", 4)]:
        rows = var[v]["frequencies"]["rows"]
        out("%s.count.%d" % (v, code),
            next(x["count"] for x in rows if x["value"] == code))
    c = next(x for x in r["comparisons"]
             if x["group"] == "kratom_current_vs_never"
             and x["outcome"] == "peg")
    out("welch.n_a", c["n_a"])
    out("welch.n_b", c["n_b"])
    for k in ["difference", "t", "df", "p"]:
        out("welch." + k, c["welch"][k])
    out("computed.numeric",
        sum(1 for v in r["variables"] if "summary" in v))
    out("computed.categorical",
        sum(1 for v in r["variables"] if "frequencies" in v))


if __name__ == "__main__":
    main()
