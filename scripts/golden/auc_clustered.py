#!/usr/bin/python3
"""Golden values for the clustered AUC interval (docs/SPEC-models.md [M44]), Obuchowski 1997.

Run once with Debian's Python (python3-numpy, python3-pandas, python3-scipy):

    /usr/bin/python3 scripts/golden/auc_clustered.py

Reads the real DenseNet-121 predictions (22,433 CXR14 test films) and the 2020 NIH metadata
(labels and Patient ID) from ../shared/data, and writes
packages/core/src/stats/golden/auc-obuchowski.json: per finding, against the NIH labels of all
scored films, with patients as clusters, the AUC, Obuchowski's variance and 95% normal interval
A +/- z sqrt(var), the counts of clusters, and DeLong's variance on the same films (the films
taken as independent). Written from the paper's formulas, independently of the TypeScript:
  Obuchowski, N. A. (1997). Nonparametric analysis of clustered ROC curve data.
  Biometrics 53(2), 567-578.
Two checks, asserted here and recorded in the JSON:
- a patient bootstrap (resampling patients with replacement) gives a percentile interval and a
  standard error close to Obuchowski's (SE within 10 %);
- with one film per cluster Obuchowski's variance equals DeLong's (to 1e-12 relative).
"""

import json
import pathlib

import numpy as np
import pandas as pd
from scipy.stats import norm

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "packages" / "core" / "src" / "stats" / "golden" / "auc-obuchowski.json"
FINDINGS = ["Pneumothorax", "Cardiomegaly", "Effusion"]
Z = norm.ppf(0.975)
REPLICATES = 2000
SEED = 20260101


def structural_components(x, y):
    """V10 of each positive x (share of negatives below, ties 1/2) and V01 of each negative y
    (share of positives above, ties 1/2): Obuchowski's (and DeLong's) structural components."""
    ys = np.sort(y)
    xs = np.sort(x)
    v10 = (np.searchsorted(ys, x, "left") + np.searchsorted(ys, x, "right")) / (2.0 * len(y))
    above_lo = len(x) - np.searchsorted(xs, y, "right")
    above_hi = len(x) - np.searchsorted(xs, y, "left")
    v01 = (above_lo + above_hi) / (2.0 * len(x))
    return v10, v01


def obuchowski(labels, scores, cluster):
    """The AUC and Obuchowski's variance, from the paper's section 2 (clusters i = 1..I)."""
    pos = labels == 1
    x, y = scores[pos], scores[~pos]
    m, n = len(x), len(y)  # positives (abnormal units), negatives (normal units)
    v10, v01 = structural_components(x, y)
    theta = v10.mean()
    frame = pd.DataFrame({"c": cluster, "pos": pos.astype(float), "neg": (~pos).astype(float)})
    frame["v10"] = 0.0
    frame["v01"] = 0.0
    frame.loc[pos, "v10"] = v10
    frame.loc[~pos, "v01"] = v01
    per = frame.groupby("c", sort=False).sum()
    mi, ni = per["pos"].to_numpy(), per["neg"].to_numpy()
    big_i = len(per)
    i10 = int((mi > 0).sum())
    i01 = int((ni > 0).sum())
    dx = per["v10"].to_numpy() - mi * theta
    dy = per["v01"].to_numpy() - ni * theta
    s10 = i10 / ((i10 - 1) * m) * np.sum(dx * dx)
    s01 = i01 / ((i01 - 1) * n) * np.sum(dy * dy)
    s11 = big_i / (big_i - 1) * np.sum(dx * dy)
    var = s10 / m + s01 / n + 2 * s11 / (m * n)
    return {
        "auc": float(theta),
        "variance": float(var),
        "clusters": big_i,
        "clustersWithPositives": i10,
        "clustersWithNegatives": i01,
        "repeatedClusters": int(((mi + ni) > 1).sum()),
    }


def delong_variance(labels, scores):
    """DeLong 1988: S10 / m + S01 / n with the structural components' sample variances."""
    pos = labels == 1
    v10, v01 = structural_components(scores[pos], scores[~pos])
    return float(v10.var(ddof=1) / len(v10) + v01.var(ddof=1) / len(v01))


def mann_whitney_auc(labels, scores):
    pos = labels == 1
    v10, _ = structural_components(scores[pos], scores[~pos])
    return float(v10.mean())


def patient_bootstrap(labels, scores, cluster, rng):
    codes, uniques = pd.factorize(cluster)
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(len(uniques)))
    ends = np.append(starts[1:], len(codes))
    aucs = []
    for _ in range(REPLICATES):
        drawn = rng.integers(0, len(uniques), len(uniques))
        rows = np.concatenate([order[starts[k] : ends[k]] for k in drawn])
        yb, sb = labels[rows], scores[rows]
        if yb.min() == yb.max():
            continue
        aucs.append(mann_whitney_auc(yb, sb))
    aucs = np.array(aucs)
    return {
        "replicates": len(aucs),
        "seed": SEED,
        "se": float(aucs.std(ddof=1)),
        "low": float(np.percentile(aucs, 2.5)),
        "high": float(np.percentile(aucs, 97.5)),
    }


def main():
    meta = pd.read_csv(DATA / "cxr14" / "Data_Entry_2017_v2020.csv.gz")
    preds = pd.read_csv(DATA / "predictions" / "densenet121-jrzech-test-preds.csv")
    films = preds.merge(
        meta[["Image Index", "Finding Labels", "Patient ID"]], on="Image Index", how="left"
    )
    assert films["Patient ID"].notna().all()
    cluster = films["Patient ID"].astype(str).to_numpy()
    rng = np.random.default_rng(SEED)
    out = []
    for finding in FINDINGS:
        labels = films["Finding Labels"].str.split("|").apply(lambda l: finding in l)
        labels = labels.astype(int).to_numpy()
        scores = films["prob_" + finding].to_numpy(dtype=float)
        r = obuchowski(labels, scores, cluster)
        spread = Z * np.sqrt(r["variance"])
        r["low"] = r["auc"] - spread
        r["high"] = r["auc"] + spread
        dv = delong_variance(labels, scores)
        # check 1: one film per cluster is DeLong
        single = obuchowski(labels, scores, np.arange(len(labels)))
        assert abs(single["variance"] - dv) <= 1e-12 * dv, (single["variance"], dv)
        # check 2: the patient bootstrap agrees with Obuchowski's standard error
        boot = patient_bootstrap(labels, scores, cluster, rng)
        ratio = boot["se"] / np.sqrt(r["variance"])
        assert 0.9 < ratio < 1.1, (finding, ratio)
        out.append(
            {
                "finding": finding,
                "n": int(len(labels)),
                "positives": int(labels.sum()),
                **r,
                "delongVariance": dv,
                "delongLow": r["auc"] - Z * np.sqrt(dv),
                "delongHigh": r["auc"] + Z * np.sqrt(dv),
                "singleFilmClustersVariance": single["variance"],
                "bootstrap": {**boot, "seOverObuchowskiSe": float(ratio)},
            }
        )
        print(finding, json.dumps(out[-1]))
    OUT.write_text(
        json.dumps(
            {
                "source": "scripts/golden/auc_clustered.py (numpy "
                + np.__version__
                + ", pandas "
                + pd.__version__
                + ")",
                "data": "../shared/data/predictions/densenet121-jrzech-test-preds.csv, cxr14/Data_Entry_2017_v2020.csv.gz",
                "z": float(Z),
                "findings": out,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
