#!/usr/bin/python3
"""Golden values for packages/core/src/stats, from SciPy, statsmodels, scikit-learn and numpy.

Run once with Debian's Python (python3-sklearn, python3-statsmodels, python3-scipy):

    /usr/bin/python3 scripts/golden/statistics.py

It writes JSON files into packages/core/src/stats/golden/ (the files copied from
shared/data/golden/statistics are not touched). Inputs are drawn from a fixed numpy seed, so a
re-run gives the same files. NaN (a statistic the libraries leave undefined) is written as null.
"""

import json
import math
import pathlib
import sys
import warnings

import numpy as np
import scipy
import sklearn
import statsmodels
from scipy.stats import chi2_contingency, fisher_exact
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    cohen_kappa_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from statsmodels.stats.inter_rater import fleiss_kappa
from statsmodels.stats.proportion import proportion_confint

OUT = pathlib.Path(__file__).resolve().parents[2] / "packages/core/src/stats/golden"
RNG = np.random.default_rng(20261126)
VERSIONS = (
    f"numpy {np.__version__}, scipy {scipy.__version__}, "
    f"statsmodels {statsmodels.__version__}, scikit-learn {sklearn.__version__}"
)

warnings.simplefilter("ignore")


def clean(value):
    """JSON-safe: numpy scalars to Python, NaN to None, arrays to lists."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [clean(v) for v in value]
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return None if math.isnan(value) else value
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def write(name, source, payload):
    path = OUT / name
    body = {"source": f"{source} ({VERSIONS})", **clean(payload)}
    path.write_text(json.dumps(body, indent=1, allow_nan=False) + "\n")
    print(f"wrote {path}", file=sys.stderr)


# --- proportions at other confidence levels -------------------------------------------------
def proportions():
    cases = []
    for k, n in [(0, 1), (1, 1), (0, 7), (7, 7), (3, 7), (1, 50), (49, 50), (17, 60), (250, 1000)]:
        for confidence in (0.8, 0.9, 0.99):
            alpha = 1 - confidence
            cases.append({
                "k": k, "n": n, "confidence": confidence,
                "wilson": proportion_confint(k, n, alpha=alpha, method="wilson"),
                "clopperPearson": proportion_confint(k, n, alpha=alpha, method="beta"),
            })
    write("proportions-levels.json", "statsmodels proportion_confint", {"cases": cases})


# --- sample-size planner ---------------------------------------------------------------------
def wilson_half_width(p, n, confidence):
    # The observed proportion is p exactly: count = p * n (a float when p n is not whole).
    low, high = proportion_confint(p * n, n, alpha=1 - confidence, method="wilson")
    return (high - low) / 2


def planned(p, w, confidence):
    high = 1
    while wilson_half_width(p, high, confidence) > w:
        high *= 2
    low = high // 2
    while high - low > 1:
        mid = (low + high) // 2
        if wilson_half_width(p, mid, confidence) <= w:
            high = mid
        else:
            low = mid
    return high


def planner():
    grid = []
    for confidence in (0.9, 0.95, 0.99):
        for p in (0.0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99, 1.0):
            for w in (0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.2):
                n = planned(p, w, confidence)
                grid.append({
                    "expected": p, "halfWidth": w, "confidence": confidence, "n": n,
                    "halfWidthAtN": wilson_half_width(p, n, confidence),
                    "halfWidthAtNMinus1": wilson_half_width(p, n - 1, confidence) if n > 1 else None,
                })
    widths = []
    for p in (0.0, 0.05, 0.3, 0.5, 0.9, 1.0):
        for n in (1, 2, 10, 37, 100, 385, 1000, 10000):
            widths.append({"expected": p, "n": n, "confidence": 0.95,
                           "halfWidth": wilson_half_width(p, n, 0.95)})
    write("planner.json",
          "smallest n with statsmodels proportion_confint(p*n, n, method='wilson') half-width <= w",
          {"grid": grid, "halfWidths": widths})


# --- kappa --------------------------------------------------------------------------------------
def fleiss_varying(counts):
    """Fleiss' kappa for varying reads per item (docs/SPEC-stats.md [S7]), written independently."""
    counts = np.asarray(counts, dtype=float)
    n_i = counts.sum(axis=1)
    kept = counts[n_i >= 2]
    n_i = n_i[n_i >= 2]
    p_i = ((kept * (kept - 1)).sum(axis=1)) / (n_i * (n_i - 1))
    p_j = kept.sum(axis=0) / kept.sum()
    p_e = (p_j ** 2).sum()
    return (p_i.mean() - p_e) / (1 - p_e)


def kappa():
    verdicts = ["present", "absent", "uncertain"]
    cohen = []
    fixed = [
        (["present"], ["present"]),
        (["present"], ["absent"]),
        (["absent"] * 5, ["absent"] * 5),
        (["absent"] * 5, ["absent"] * 4 + ["present"]),
        (["present"] * 6, ["absent"] * 6),
        (["present", "absent"] * 4, ["absent", "present"] * 4),
        (["present", "absent", "uncertain"], ["present", "absent", "uncertain"]),
    ]
    for a, b in fixed:
        cohen.append({"a": a, "b": b, "cohenKappa": cohen_kappa_score(a, b)})
    for size in (2, 3, 10, 25, 80, 200):
        probs = RNG.dirichlet([2, 2, 1])
        a = RNG.choice(verdicts, size=size, p=probs)
        flip = RNG.random(size) < 0.3
        b = np.where(flip, RNG.choice(verdicts, size=size), a)
        cohen.append({"a": a.tolist(), "b": b.tolist(), "cohenKappa": cohen_kappa_score(a, b)})

    fleiss = []
    for items, raters, cats in [(1, 3, 3), (5, 2, 2), (10, 3, 3), (30, 5, 3), (100, 4, 2), (8, 6, 4)]:
        probs = RNG.dirichlet(np.ones(cats) * 2)
        rows = []
        for _ in range(items):
            item_probs = RNG.dirichlet(probs * 5 + 0.2)
            rows.append(np.bincount(RNG.choice(cats, size=raters, p=item_probs), minlength=cats))
        table = np.array(rows)
        fleiss.append({"counts": table.tolist(),
                       "fleissKappa": fleiss_kappa(table, method="fleiss")})
    # All reads in one category: undefined (statsmodels gives NaN).
    fleiss.append({"counts": [[3, 0], [3, 0]], "fleissKappa": fleiss_kappa(np.array([[3, 0], [3, 0]]))})

    varying = []
    fixed_varying = [
        [[2, 0], [1, 1], [0, 3], [1, 0]],
        [[3, 1, 0], [0, 2, 0], [1, 1, 1], [0, 0, 5]],
    ]
    for counts in fixed_varying:
        varying.append({"counts": counts, "fleissKappa": fleiss_varying(counts)})
    for items, cats in [(12, 3), (40, 2)]:
        rows = []
        for _ in range(items):
            raters = int(RNG.integers(1, 6))
            rows.append(np.bincount(RNG.choice(cats, size=raters, p=RNG.dirichlet(np.ones(cats))),
                                    minlength=cats).tolist())
        varying.append({"counts": rows, "fleissKappa": fleiss_varying(rows)})
    # Equal reads: the generalisation must reduce to statsmodels.
    for case in fleiss[1:4]:
        assert abs(fleiss_varying(case["counts"]) - case["fleissKappa"]) < 1e-12
    write("kappa-extra.json",
          "sklearn cohen_kappa_score; statsmodels fleiss_kappa; varying: numpy per [S7]",
          {"cohen": cohen, "fleiss": fleiss, "fleissVarying": varying})


# --- curves, calibration ----------------------------------------------------------------------
def curve_cases():
    cases = []
    specs = [
        ("tiny", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
        ("ties", [0, 1, 0, 1, 1, 0, 0, 1], [0.5, 0.5, 0.2, 0.9, 0.2, 0.9, 0.1, 0.5]),
        ("edges", [0, 1, 0, 1, 1, 0, 1, 0, 1, 1], [0.0, 1.0, 0.1, 0.3, 0.7, 0.2, 0.9, 0.6, 0.5, 0.8]),
    ]
    for size, decimals in ((60, 1), (300, 2), (2000, 3)):
        y = (RNG.random(size) < 0.3).astype(int)
        score = np.clip(1 / (1 + np.exp(-(RNG.normal(size=size) + 1.2 * y - 0.8))), 0, 1)
        specs.append((f"random-{size}", y.tolist(), np.round(score, decimals).tolist()))
    for name, y, score in specs:
        y = np.asarray(y)
        score = np.asarray(score, dtype=float)
        fpr, tpr, thr = roc_curve(y, score, drop_intermediate=False)
        precision, recall, pr_thr = precision_recall_curve(y, score)
        j = tpr[1:] - fpr[1:]
        best = int(np.argmax(j)) + 1  # first maximum = highest threshold
        sens_targets = []
        for target in (0.5, 0.8, 0.9, 0.95, 1.0):
            k = int(np.argmax(tpr[1:] >= target)) + 1
            sens_targets.append({"target": target, "threshold": thr[k],
                                 "sensitivity": tpr[k], "specificity": 1 - fpr[k]})
        confusions = []
        for t in (0.0, 0.2, 0.5, float(np.median(score)), 1.0):
            called = score >= t
            confusions.append({"threshold": t,
                               "tp": int(np.sum(called & (y == 1))), "fp": int(np.sum(called & (y == 0))),
                               "tn": int(np.sum(~called & (y == 0))), "fn": int(np.sum(~called & (y == 1)))})
        calibration = {}
        for bins in (5, 10):
            prob_true, prob_pred = calibration_curve(y, score, n_bins=bins, strategy="uniform")
            edges = np.linspace(0, 1, bins + 1)
            counts = np.bincount(np.searchsorted(edges[1:-1], score), minlength=bins)
            calibration[str(bins)] = {"probTrue": prob_true, "probPred": prob_pred, "counts": counts}
        cases.append({
            "name": name, "y": y, "score": score,
            "auc": roc_auc_score(y, score),
            "roc": {"fpr": fpr, "tpr": tpr, "thresholds": thr[1:]},
            "pr": {"precision": precision, "recall": recall, "thresholds": pr_thr},
            "averagePrecision": average_precision_score(y, score),
            "brier": brier_score_loss(y, score),
            "youden": {"threshold": thr[best], "sensitivity": tpr[best],
                       "specificity": 1 - fpr[best], "j": j[best - 1]},
            "sensitivityTargets": sens_targets,
            "confusions": confusions,
            "calibration": calibration,
        })
    write("curves.json",
          "sklearn roc_curve(drop_intermediate=False) (thresholds without sklearn's first max+1), "
          "precision_recall_curve, average_precision_score, brier_score_loss, "
          "calibration_curve(strategy='uniform'); youden and sensitivity targets from roc_curve",
          {"cases": cases})


# --- descriptives and SMD ---------------------------------------------------------------------
def descriptives():
    cases = []
    samples = [[3.0], [1.0, 2.0], [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0],
               RNG.normal(50, 12, size=37).tolist(), RNG.exponential(3, size=200).tolist(),
               [1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4]]
    qs = [0, 0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 1]
    for x in samples:
        arr = np.asarray(x)
        cases.append({"values": x, "mean": arr.mean(),
                      "sd": arr.std(ddof=1) if arr.size > 1 else None,
                      "qs": qs, "quantiles": np.quantile(arr, qs)})
    smd = []
    pairs = [([1.0, 2.0, 3.0], [2.0, 3.0, 4.0]), ([5.0, 5.0], [5.0, 5.0]),
             (RNG.normal(60, 10, 120).tolist(), RNG.normal(57, 14, 90).tolist()),
             (RNG.integers(20, 90, 40).astype(float).tolist(), RNG.integers(20, 90, 45).astype(float).tolist())]
    for a, b in pairs:
        a_, b_ = np.asarray(a), np.asarray(b)
        den = math.sqrt((a_.var(ddof=1) + b_.var(ddof=1)) / 2)
        smd.append({"a": a, "b": b, "smd": 0.0 if den == 0 else (a_.mean() - b_.mean()) / den})
    binary = []
    for p1, p2 in [(0.5, 0.5), (0.3, 0.2), (0.1, 0.4), (0.0, 0.05), (0.98, 0.91), (0.0, 0.0), (1.0, 1.0)]:
        den = math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / 2)
        binary.append({"p1": p1, "p2": p2, "smd": 0.0 if den == 0 else (p1 - p2) / den})
    write("descriptives.json", "numpy mean, std(ddof=1), quantile(method='linear'); SMD by hand (Austin 2009)",
          {"cases": cases, "smdContinuous": smd, "smdBinary": binary})


# --- contingency --------------------------------------------------------------------------------
def contingency():
    chi = []
    tables = [[[10, 20], [30, 40]], [[12, 5], [3, 9]], [[5, 5, 5], [5, 5, 5]],
              [[120, 80, 45], [60, 70, 90], [10, 25, 30]], [[1, 2, 3, 4]], [[3], [4]],
              [[400, 10], [300, 90]], [[0, 5], [4, 6]]]
    for table in tables:
        stat, p, dof, _ = chi2_contingency(np.array(table), correction=False)
        chi.append({"table": table, "statistic": stat, "df": dof, "p": p})
    for _ in range(4):
        r, c = int(RNG.integers(2, 5)), int(RNG.integers(2, 5))
        table = RNG.integers(1, 60, size=(r, c)).tolist()
        stat, p, dof, _ = chi2_contingency(np.array(table), correction=False)
        chi.append({"table": table, "statistic": stat, "df": dof, "p": p})
    fisher = []
    ftables = [[[3, 1], [1, 3]], [[8, 2], [1, 5]], [[0, 5], [5, 0]], [[10, 0], [0, 10]],
               [[1, 9], [11, 3]], [[2, 7], [8, 2]], [[0, 0], [3, 4]], [[5, 0], [7, 0]],
               [[100, 95], [90, 110]], [[20, 1], [15, 3]], [[7, 7], [7, 7]], [[1, 0], [0, 1]],
               [[0, 3], [0, 5]], [[3, 0], [4, 2]]]
    for _ in range(6):
        ftables.append(RNG.integers(0, 25, size=(2, 2)).tolist())
    for table in ftables:
        odds, p = fisher_exact(np.array(table))
        fisher.append({"table": table, "oddsRatio": "Infinity" if odds == math.inf else odds, "p": p})
    write("contingency.json", "scipy.stats chi2_contingency(correction=False), fisher_exact (two-sided)",
          {"chiSquare": chi, "fisher": fisher})


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    proportions()
    planner()
    kappa()
    curve_cases()
    descriptives()
    contingency()
