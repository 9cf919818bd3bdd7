#!/usr/bin/python3
"""Golden values for `eval --by tag:NAME` (docs/SPEC-models.md [M49]), the chest-drain question.

Run once with Debian's Python (python3-pandas, python3-scipy, python3-statsmodels,
python3-sklearn):

    /usr/bin/python3 scripts/golden/by_tag.py

Reads the real DenseNet-121 predictions (22,433 CXR14 test films) and the 2020 NIH metadata from
../shared/data and rebuilds, independently of the TypeScript, the scenario of
apps/cli/src/models/eval-by-tag.test.ts:
- reader `ann` reviews the first 150 labelled Pneumothorax positives (by image name) and
  confirms each (a positives-only review); reader `bob` reviews the first 100 positives and
  the first 100 labelled negatives, confirming each label;
- both tag "chest drain" on the films with `Follow-up #` >= 10 (a stand-in rule: the data has
  no drain annotations; the numbers only need a fixed, reproducible split).
For three evaluations (against ann, against bob, against the original labels) it writes, per
group (with / without the tag, reviewed films only): n, positives, negatives, the model's
detections at the threshold, the Wilson interval of the sensitivity (statsmodels
proportion_confint method='wilson'), the AUC where the group has both classes
(sklearn roc_auc_score), and Fisher's exact test, two-sided (scipy.stats.fisher_exact).
The threshold is Youden's over sklearn's roc_curve (drop_intermediate=False, first maximum =
the highest threshold), on the evaluation set, or over every scored film against the original
labels when the evaluation set has no negatives (against ann).
Output: packages/core/src/models/golden/by-tag.json.
"""

import json
import pathlib

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact
from sklearn.metrics import roc_auc_score, roc_curve
from statsmodels.stats.proportion import proportion_confint

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "packages" / "core" / "src" / "models" / "golden" / "by-tag.json"
FINDING = "Pneumothorax"
TAG = "chest drain"


def youden(labels, scores):
    fpr, tpr, thresholds = roc_curve(labels, scores, drop_intermediate=False)
    return float(thresholds[int(np.argmax(tpr - fpr))])


def group(labels, scores, threshold):
    pos = labels == 1
    positives = int(pos.sum())
    detected = int((scores[pos] >= threshold).sum())
    low, high = proportion_confint(detected, positives, alpha=0.05, method="wilson")
    both = 0 < positives < len(labels)
    return {
        "n": int(len(labels)),
        "positives": positives,
        "negatives": int(len(labels) - positives),
        "detected": detected,
        "sensitivity": detected / positives,
        "sensitivityLow": float(low),
        "sensitivityHigh": float(high),
        "auc": float(roc_auc_score(labels, scores)) if both else None,
    }


def comparison(labels, scores, tagged, reviewed, threshold, source):
    a = group(labels[tagged & reviewed], scores[tagged & reviewed], threshold)
    b = group(labels[~tagged & reviewed], scores[~tagged & reviewed], threshold)
    table = [
        [a["detected"], a["positives"] - a["detected"]],
        [b["detected"], b["positives"] - b["detected"]],
    ]
    odds, p = fisher_exact(table, alternative="two-sided")
    return {
        "threshold": threshold,
        "thresholdFrom": source,
        "leftOut": int((~reviewed).sum()),
        "groups": [a, b],
        "table": table,
        "oddsRatio": float(odds),
        "p": float(p),
    }


def main():
    meta = pd.read_csv(DATA / "cxr14" / "Data_Entry_2017_v2020.csv.gz")
    preds = pd.read_csv(DATA / "predictions" / "densenet121-jrzech-test-preds.csv")
    films = preds.merge(meta[["Image Index", "Finding Labels", "Follow-up #"]], on="Image Index")
    assert len(films) == len(preds)
    films = films.sort_values("Image Index").reset_index(drop=True)
    labels = films["Finding Labels"].str.split("|").apply(lambda l: FINDING in l).astype(int)
    labels = labels.to_numpy()
    scores = films["prob_" + FINDING].to_numpy(dtype=float)
    tagged = (films["Follow-up #"] >= 10).to_numpy()
    pos_idx = np.flatnonzero(labels == 1)
    neg_idx = np.flatnonzero(labels == 0)
    ann = pos_idx[:150]
    bob = np.concatenate([pos_idx[:100], neg_idx[:100]])
    everyone = np.zeros(len(films), bool)
    everyone[ann] = True
    everyone[bob] = True
    all_threshold = youden(labels, scores)

    # against ann (imported alone first): only positives, the threshold from the original labels
    ann_rev = np.ones(len(ann), bool)
    against_ann = comparison(
        labels[ann], scores[ann], tagged[ann], ann_rev, all_threshold, "original labels"
    )
    # against bob, after both imports: his 200 films, the threshold from his set
    bob_threshold = youden(labels[bob], scores[bob])
    against_bob = comparison(
        labels[bob], scores[bob], tagged[bob], everyone[bob], bob_threshold, "evaluation"
    )
    # against the original labels: every scored film, groups among the films anybody reviewed
    against_original = comparison(labels, scores, tagged, everyone, all_threshold, "evaluation")
    out = {
        "source": "scripts/golden/by_tag.py (pandas, scikit-learn roc_curve/roc_auc_score, "
        "statsmodels proportion_confint method='wilson', scipy.stats.fisher_exact)",
        "finding": FINDING,
        "tag": TAG,
        "ann": [str(x) for x in films["Image Index"].iloc[ann]],
        "bob": [str(x) for x in films["Image Index"].iloc[bob]],
        "bobNegatives": [str(x) for x in films["Image Index"].iloc[neg_idx[:100]]],
        "tagged": [str(x) for x in films["Image Index"][everyone & tagged]],
        "againstAnn": against_ann,
        "againstBob": against_bob,
        "againstOriginal": against_original,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
