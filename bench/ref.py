#!/usr/bin/python3
"""The analysis benchmark's reference in pandas and scipy
(bench/analysis_bench.sh), the same computation as bench/ref.R: reads the
synthetic CSV (scripts/synth.py); per numeric item and score n, mean, SD,
median and quartiles (linear interpolation, R type 7); per categorical item
the count of every code; one Welch comparison, PEG by current kratom use
(kratom_use 2) against never (0). Scores as in bench/ref.R. Prints
"key value" lines for the checked values.

    /usr/bin/python3 bench/ref.py FILE.csv
"""
import sys

import pandas as pd
from scipy import stats as st

THERAPIES = ["exercise", "cbt", "pt", "yoga", "acupuncture", "massage",
             "duloxetine", "milnacipran", "pregabalin", "gabapentin",
             "amitriptyline", "cyclobenzaprine", "nsaid", "paracetamol",
             "tramadol", "opioid", "cannabis", "kratom"]
NUMERIC = (["peg_pain", "peg_enjoy", "peg_activity", "nrs_fatigue",
            "nrs_sleep", "nrs_stiffness", "kratom_days_week", "sss_fatigue",
            "sss_unrefreshed", "sss_cognitive"]
           + ["phq8_%d" % i for i in range(1, 9)]
           + ["gad7_%d" % i for i in range(1, 8)]
           + [t + "_use" for t in THERAPIES])


def main():
    d = pd.read_csv(sys.argv[1])
    scores = {
        "peg": d[["peg_pain", "peg_enjoy", "peg_activity"]].mean(axis=1),
        "phq8": d[["phq8_%d" % i for i in range(1, 9)]].sum(axis=1),
        "gad7": d[["gad7_%d" % i for i in range(1, 8)]].sum(axis=1),
        "sss": d[["sss_fatigue", "sss_unrefreshed", "sss_cognitive",
                  "sss_headache", "sss_abdominal",
                  "sss_depression"]].sum(axis=1),
    }
    cols = {v: d[v] for v in NUMERIC}
    cols.update(scores)
    stats = {}
    for name, x in cols.items():
        x = x.dropna()
        q = x.quantile([0.25, 0.5, 0.75])
        stats[name] = {"n": len(x), "mean": x.mean(), "sd": x.std(),
                       "q1": q[0.25], "median": q[0.5], "q3": q[0.75]}
    numeric_cols = [c for c in d.columns
                    if pd.api.types.is_numeric_dtype(d[c])]
    categorical = [c for c in numeric_cols
                   if c not in NUMERIC and c != "period"]
    counts = {c: d[c].value_counts() for c in categorical}

    kr = d["kratom_use"]
    a = scores["peg"][kr == 2]
    b = scores["peg"][kr == 0]
    tt = st.ttest_ind(a, b, equal_var=False)
    # Welch-Satterthwaite degrees of freedom, as R's t.test reports them.
    va, vb = a.var() / len(a), b.var() / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))

    def out(k, x):
        print(k, "%.17g" % x)
    for v in ["peg", "phq8", "gad7", "nrs_sleep", "kratom_days_week"]:
        for s in ["n", "mean", "sd", "median", "q1", "q3"]:
            out(v + "." + s, stats[v][s])
    out("age_band.count.4", counts["age_band"][4])
    out("country.count.1", counts["country"][1])
    out("dx_years.count.4", counts["dx_years"][4])
    out("welch.n_a", len(a))
    out("welch.n_b", len(b))
    out("welch.difference", a.mean() - b.mean())
    out("welch.t", tt.statistic)
    out("welch.df", df)
    out("welch.p", tt.pvalue)
    out("computed.numeric", len(stats))
    out("computed.categorical", len(counts))


if __name__ == "__main__":
    main()
