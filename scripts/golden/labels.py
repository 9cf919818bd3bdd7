#!/usr/bin/python3
"""Golden values for the labels area (docs/SPEC-labels.md), from the real Google and NIH files.

Run once with Debian's Python (python3-pandas, python3-statsmodels, python3-sklearn):

    /usr/bin/python3 scripts/golden/labels.py

It reads ../shared/data (never copied into the repository: the Google files' terms forbid it)
and writes packages/core/src/labels/golden/google-validation.json: per finding, the counts and
proportions of the NIH labels (2020 metadata) against Google's adjudicated labels and against
the consensus of Google's individual readers, with Wilson and Clopper-Pearson intervals; and the
agreement of the individual readers (Fleiss' kappa by statsmodels on the images with three
reads, the varying-reads Fleiss kappa of SPEC [L11] computed here from its formula, pairwise
Cohen's kappa by scikit-learn). Everything is computed here independently of the TypeScript.
"""

import itertools
import json
import pathlib
import warnings

import numpy as np
import pandas as pd
import sklearn
import statsmodels
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa
from statsmodels.stats.proportion import proportion_confint

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
# sklearn warns (and returns NaN) for a pair where both readers used one category
warnings.filterwarnings("ignore", category=RuntimeWarning)

OUT = ROOT / "packages/core/src/labels/golden/google-validation.json"
GOOGLE = DATA / "expert/google-four-findings"

# NIH finding -> the labels whose union it is (Opacity and Nodule/Mass are derived)
NIH = {
    "Pneumothorax": ["Pneumothorax"],
    "Opacity": ["Atelectasis", "Pneumonia", "Consolidation", "Infiltration"],
    "Nodule/Mass": ["Nodule", "Mass"],
}
ADJUDICATED = {"Pneumothorax": "Pneumothorax", "Opacity": "Airspace opacity", "Nodule/Mass": "Nodule or mass"}
INDIVIDUAL = {"Pneumothorax": "Pneumothorax", "Opacity": "Airspace opacity", "Nodule/Mass": "Nodule/mass"}
VERDICT = {"YES": "present", "NO": "absent", "HEDGE": "uncertain"}
CATEGORIES = ["present", "absent", "uncertain"]


def interval(k, n, method):
    if n == 0:
        return [None, None]
    low, high = proportion_confint(k, n, alpha=0.05, method=method)
    return [float(low), float(high)]


def prop(k, n):
    return {
        "value": None if n == 0 else k / n,
        "wilson": interval(k, n, "wilson"),
        "clopperPearson": interval(k, n, "beta"),
        "k": int(k),
        "n": int(n),
    }


def accuracy(label, verdict):
    """label: bool Series (NIH positive); verdict: Series of present/absent/uncertain."""
    pos = verdict[label]
    neg = verdict[~label]
    c = {
        "labelledPositive": int(len(pos)),
        "present": int((pos == "present").sum()),
        "absent": int((pos == "absent").sum()),
        "uncertain": int((pos == "uncertain").sum()),
        "labelledNegative": int(len(neg)),
        "negativePresent": int((neg == "present").sum()),
        "negativeAbsent": int((neg == "absent").sum()),
        "negativeUncertain": int((neg == "uncertain").sum()),
    }
    c["ppv"] = prop(c["present"], c["labelledPositive"])
    c["ppvLenient"] = prop(c["present"] + c["uncertain"], c["labelledPositive"])
    c["npv"] = prop(c["negativeAbsent"], c["labelledNegative"])
    c["sensitivity"] = prop(c["present"], c["present"] + c["negativePresent"])
    c["specificity"] = prop(c["negativeAbsent"], c["absent"] + c["negativeAbsent"])
    return c


def plurality(values):
    counts = {v: list(values).count(v) for v in CATEGORIES}
    top = max(counts.values())
    winners = [v for v in CATEGORIES if counts[v] == top]
    return winners[0] if len(winners) == 1 else "uncertain"


def varying_fleiss(rows):
    """SPEC [L11]: images with >= 2 reads, P_i averaged unweighted, p_j over all their reads."""
    rows = np.array([r for r in rows if sum(r) >= 2], dtype=float)
    n = rows.sum(axis=1)
    p_i = (rows * (rows - 1)).sum(axis=1) / (n * (n - 1))
    p_bar = p_i.mean()
    p_j = rows.sum(axis=0) / rows.sum()
    p_e = (p_j**2).sum()
    return {
        "kappa": float((p_bar - p_e) / (1 - p_e)),
        "percentAgreement": float(p_bar),
        "unanimous": float((rows.max(axis=1) == n).mean()),
        "images": int(len(rows)),
        "reads": int(n.sum()),
    }


def main():
    meta = pd.read_csv(DATA / "cxr14/Data_Entry_2017_v2020.csv.gz", usecols=["Image Index", "Finding Labels"])
    labels = meta.set_index("Image Index")["Finding Labels"].str.split("|")
    adjudicated = pd.read_csv(GOOGLE / "validation_labels.csv").set_index("Image Index")
    readers = pd.read_csv(GOOGLE / "validation_individual_readers.csv", dtype={"Reader ID": str})
    out = {
        "source": "scripts/golden/labels.py",
        "versions": f"pandas {pd.__version__}, numpy {np.__version__}, statsmodels {statsmodels.__version__}, scikit-learn {sklearn.__version__}",
        "images": int(len(adjudicated)),
        "reads": int(len(readers)),
        "readers": sorted(readers["Reader ID"].unique().tolist()),
        "adjudicated": {},
        "consensus": {},
        "agreement": {},
    }
    for finding, parts in NIH.items():
        positive = labels.reindex(adjudicated.index).apply(lambda ls: any(p in ls for p in parts))
        verdict = adjudicated[ADJUDICATED[finding]].map(VERDICT)
        out["adjudicated"][finding] = accuracy(positive, verdict)

        reads = readers[["Image ID", "Reader ID", INDIVIDUAL[finding]]].dropna()
        reads = reads.assign(verdict=reads[INDIVIDUAL[finding]].map(VERDICT))
        consensus = reads.groupby("Image ID")["verdict"].agg(plurality)
        positive_c = labels.reindex(consensus.index).apply(lambda ls: any(p in ls for p in parts))
        out["consensus"][finding] = accuracy(positive_c, consensus)

        table = reads.pivot(index="Image ID", columns="Reader ID", values="verdict")
        counts = np.stack([(table == c).sum(axis=1).to_numpy() for c in CATEGORIES], axis=1)
        three = counts[counts.sum(axis=1) == 3]
        pairs = []
        for a, b in itertools.combinations(sorted(table.columns), 2):
            both = table[[a, b]].dropna()
            if len(both) == 0:
                continue
            kappa = cohen_kappa_score(both[a], both[b], labels=CATEGORIES)
            pairs.append(
                {
                    "a": a,
                    "b": b,
                    "images": int(len(both)),
                    "cohenKappa": None if np.isnan(kappa) else float(kappa),
                    "percentAgreement": float((both[a] == both[b]).mean()),
                }
            )
        out["agreement"][finding] = {
            "varying": varying_fleiss(counts.tolist()),
            "threeReads": {"images": int(len(three)), "fleissKappa": float(fleiss_kappa(three, method="fleiss"))},
            "readsPerImage": {str(k): int(v) for k, v in sorted(pd.Series(counts.sum(axis=1)).value_counts().items())},
            "pairs": pairs,
        }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
