#!/usr/bin/python3
"""Golden values for core's galleryCallTables [M45], from statsmodels.

Run once with Debian's Python (python3-statsmodels):

    /usr/bin/python3 scripts/golden/gallery_calls.py

It writes packages/core/src/models/golden/gallery-calls.json: for reviewed TP/FP/TN/FN
galleries (counts of present/absent/uncertain verdicts per cell), the model's PPV against the
reader (present among the films it called positive, TP + FP galleries, uncertain left out) and
NPV (absent among the films it called negative, TN + FN), each with statsmodels'
proportion_confint(method="wilson") at 95 %.
"""

import json
import pathlib
import random

from statsmodels.stats.proportion import proportion_confint


def cell(finding, name, present, absent, uncertain):
    return {
        "finding": finding,
        "cell": name,
        "threshold": 0.25,
        "judged": present + absent + uncertain,
        "present": present,
        "absent": absent,
        "uncertain": uncertain,
    }


def expected(cells):
    pos = [c for c in cells if c["cell"] in ("tp", "fp")]
    neg = [c for c in cells if c["cell"] in ("tn", "fn")]
    k_p = sum(c["present"] for c in pos)
    n_p = k_p + sum(c["absent"] for c in pos)
    k_n = sum(c["absent"] for c in neg)
    n_n = k_n + sum(c["present"] for c in neg)
    out = {}
    for name, k, n in (("ppv", k_p, n_p), ("npv", k_n, n_n)):
        if n == 0:
            out[name] = out[name + "Low"] = out[name + "High"] = None
        else:
            low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
            out[name], out[name + "Low"], out[name + "High"] = k / n, float(low), float(high)
    return out


def main():
    rng = random.Random(11)
    cases = [
        # a typical review of 18 films per cell
        [cell("Effusion", "tp", 15, 2, 1), cell("Effusion", "fp", 7, 9, 2),
         cell("Effusion", "tn", 1, 16, 1), cell("Effusion", "fn", 10, 6, 2)],
        # the model right on every film it called positive; a cell with no verdict yet
        [cell("Mass", "tp", 18, 0, 0), cell("Mass", "fp", 4, 0, 0),
         cell("Mass", "tn", 0, 18, 0), cell("Mass", "fn", 0, 0, 0)],
    ]
    for _ in range(4):
        cases.append([cell("Nodule", c, rng.randint(0, 18), rng.randint(0, 18), rng.randint(0, 3))
                      for c in ("tp", "fp", "tn", "fn")])
    out = pathlib.Path(__file__).resolve().parents[2] / "packages/core/src/models/golden/gallery-calls.json"
    out.write_text(json.dumps({"source": "statsmodels proportion_confint wilson",
                               "cases": [{"cells": c, "expected": expected(c)} for c in cases]},
                              indent=1) + "\n")
    print(out)


if __name__ == "__main__":
    main()
