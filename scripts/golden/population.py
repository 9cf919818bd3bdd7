#!/usr/bin/python3
"""Golden values for the population estimates of a designed sample (docs/SPEC-stats.md [S22]-[S23],
docs/SPEC-labels.md [L26]): weighted AUC from scikit-learn, weighted proportions from statsmodels.

Run once with Debian's Python (python3-sklearn, python3-statsmodels):

    /usr/bin/python3 scripts/golden/population.py

It writes packages/core/src/stats/golden/population.json. Inputs come from a fixed numpy seed,
so a re-run gives the same file.
"""

import json
import pathlib

import numpy as np
import sklearn
import statsmodels
from sklearn.metrics import roc_auc_score
from statsmodels.stats.weightstats import DescrStatsW

OUT = pathlib.Path(__file__).resolve().parents[2] / "packages/core/src/stats/golden/population.json"
RNG = np.random.default_rng(20261201)


def auc_case(name, labels, scores, weights):
    return {
        "name": name,
        "labels": [int(x) for x in labels],
        "scores": [float(x) for x in scores],
        "weights": [float(x) for x in weights],
        "auc": float(roc_auc_score(labels, scores, sample_weight=weights)),
    }


def auc_cases():
    out = [
        auc_case(
            "hand, ties across classes",
            [1, 0, 1, 0, 1, 0, 0, 1],
            [0.9, 0.9, 0.4, 0.3, 0.4, 0.1, 0.8, 0.7],
            [1.0, 2.5, 10.0, 4.0, 0.5, 7.0, 1.0, 3.0],
        )
    ]
    # a designed sample: labelled positives drawn 1 in 4, labelled negatives 1 in 200, scores
    # rounded to two decimals so that ties occur; the reader's truth differs from the label
    n = 300
    drawn_as = RNG.integers(0, 2, n)
    weights = np.where(drawn_as == 1, 4.0, 200.0) * RNG.integers(1, 4, n)
    truth = np.where(RNG.random(n) < np.where(drawn_as == 1, 0.8, 0.05), 1, 0)
    scores = np.round(np.clip(RNG.normal(0.35 + 0.3 * truth, 0.2), 0, 1), 2)
    out.append(auc_case("designed sample, 300 films, ties", truth, scores, weights))
    equal = np.ones(n)
    out.append(auc_case("equal weights (the plain AUC)", truth, scores, equal))
    zero = weights.copy()
    zero[:40] = 0.0
    out.append(auc_case("some weights zero", truth, scores, zero))
    return out


VERDICTS = ["present", "absent", "uncertain"]

FIGURES = {
    "prevalence": (lambda l, v: v != "uncertain", lambda l, v: v == "present"),
    "sensitivity": (lambda l, v: v == "present", lambda l, v: l == 1),
    "specificity": (lambda l, v: v == "absent", lambda l, v: l == 0),
    "ppv": (lambda l, v: l == 1, lambda l, v: v == "present"),
    "npv": (lambda l, v: l == 0, lambda l, v: v == "absent"),
}


def proportion_case(name, items):
    """items: (stratum, label, verdict, weight); each figure is DescrStatsW over its films."""
    figures = {}
    for fig, (of, yes) in FIGURES.items():
        sel = [(1.0 if yes(l, v) else 0.0, w) for (_, l, v, w) in items if of(l, v)]
        x = np.array([s[0] for s in sel])
        w = np.array([s[1] for s in sel])
        figures[fig] = float(DescrStatsW(x, weights=w).mean)
    return {
        "name": name,
        "items": [{"stratum": s, "label": l, "verdict": v, "weight": w} for (s, l, v, w) in items],
        "figures": figures,
        "estimatedFilms": float(sum(w for (_, _, _, w) in items)),
    }


def proportion_cases():
    out = []
    # strata: 60 of 2,000 labelled positives judged, 40 of 50,000 labelled negatives; films
    # drawn one per patient carry the patient's film count m in their weight
    items = []
    for stratum, label, size, judged, p_present in (
        ("positive", 1, 2000, 60, 0.8),
        ("negative", 0, 50000, 40, 0.06),
    ):
        for _ in range(judged):
            m = int(RNG.integers(1, 4))
            u = RNG.random()
            v = "present" if u < p_present else ("uncertain" if u > 0.95 else "absent")
            items.append((stratum, label, v, size / judged * m))
    out.append(proportion_case("two strata, films of several per patient", items))
    equal = [(s, l, v, 1.0) for (s, l, v, _) in items]
    out.append(proportion_case("equal weights (the plain proportions)", equal))
    return out


def main():
    doc = {
        "versions": f"numpy {np.__version__}, statsmodels {statsmodels.__version__}, "
        f"scikit-learn {sklearn.__version__}",
        "auc": auc_cases(),
        "proportions": proportion_cases(),
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")


main()
