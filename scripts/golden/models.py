#!/usr/bin/python3
"""Golden values for the model audit (docs/SPEC-models.md [M10]-[M14], [M20]), from scikit-learn.

Run once with Debian's Python (python3-pandas, python3-sklearn):

    /usr/bin/python3 scripts/golden/models.py

Reads the real DenseNet-121 predictions (22,433 CXR14 test images) and the 2020 NIH metadata
from ../shared/data, and writes packages/ingest/src/golden/models-sklearn.json:
per finding (the 14 labelled ones and the derived Opacity and Nodule/Mass, scored as the maximum
of their parts), against the NIH labels of all 22,433 images: roc_auc_score, average precision,
Brier score, Youden's threshold and the threshold for sensitivity 0.9 (from roc_curve without
dropping points) with the confusion counts there; and the AUC per sex, view and age band.
The tests compare with these to 1e-12 and need no Python.
"""

import hashlib
import json
import pathlib
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    roc_auc_score,
    roc_curve,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
PREDICTIONS = SHARED / "predictions" / "densenet121-jrzech-test-preds.csv"
METADATA = SHARED / "cxr14" / "Data_Entry_2017_v2020.csv.gz"
OUT = ROOT / "packages" / "ingest" / "src" / "golden" / "models-sklearn.json"

FINDINGS = [
    "Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
    "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening",
    "Hernia",
]
DERIVED = {
    "Opacity": ["Atelectasis", "Pneumonia", "Consolidation", "Infiltration"],
    "Nodule/Mass": ["Nodule", "Mass"],
}
# [M20]: 0-17, 18-39, 40-59, 60-79, 80+
AGE_EDGES = [(0, 18, "0-17"), (18, 40, "18-39"), (40, 60, "40-59"), (60, 80, "60-79"), (80, 1e9, "80+")]


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def age_band(age):
    for low, high, name in AGE_EDGES:
        if low <= age < high:
            return name
    return "unknown"


def operating_point(y, s, threshold):
    called = s >= threshold
    tp = int(np.sum(called & (y == 1)))
    fp = int(np.sum(called & (y == 0)))
    tn = int(np.sum(~called & (y == 0)))
    fn = int(np.sum(~called & (y == 1)))
    return {"threshold": float(threshold), "tp": tp, "fp": fp, "tn": tn, "fn": fn}


def figures(y, s):
    fpr, tpr, thresholds = roc_curve(y, s, drop_intermediate=False)
    # thresholds descend; np.argmax takes the first maximum = the highest threshold on ties
    youden = int(np.argmax(tpr[1:] - fpr[1:])) + 1
    sens90 = int(np.argmax(tpr >= 0.9))
    return {
        "n": int(len(y)),
        "positives": int(y.sum()),
        "auc": float(roc_auc_score(y, s)),
        "averagePrecision": float(average_precision_score(y, s)),
        "brierScore": float(brier_score_loss(y, s)),
        "youden": operating_point(y, s, thresholds[youden]),
        "sensitivity90": operating_point(y, s, thresholds[sens90]),
    }


def main():
    preds = pd.read_csv(PREDICTIONS)
    meta = pd.read_csv(METADATA)
    meta = meta.rename(columns={"Image Index": "image"})
    data = preds.rename(columns={"Image Index": "image"}).merge(meta, on="image", how="left")
    assert len(data) == len(preds) == 22433, len(data)
    labels = data["Finding Labels"].str.split("|")
    y = {f: labels.apply(lambda ls, f=f: int(f in ls)).to_numpy() for f in FINDINGS}
    s = {f: data["prob_" + f].to_numpy(dtype=np.float64) for f in FINDINGS}
    for name, parts in DERIVED.items():
        y[name] = np.max(np.vstack([y[p] for p in parts]), axis=0)
        s[name] = np.max(np.vstack([s[p] for p in parts]), axis=0)
    groups = {
        "sex": data["Patient Gender"].to_numpy(),
        "view": data["View Position"].to_numpy(),
        "age-band": data["Patient Age"].apply(age_band).to_numpy(),
    }
    findings = []
    for f in FINDINGS + list(DERIVED):
        row = {"finding": f, **figures(y[f], s[f]), "subgroups": {}}
        for key, values in groups.items():
            row["subgroups"][key] = {}
            for g in sorted(set(values)):
                mask = values == g
                yy, ss = y[f][mask], s[f][mask]
                auc = float(roc_auc_score(yy, ss)) if 0 < yy.sum() < len(yy) else None
                row["subgroups"][key][g] = {"n": int(mask.sum()), "positives": int(yy.sum()), "auc": auc}
        findings.append(row)
    out = {
        "source": f"scikit-learn {sklearn.__version__} (roc_auc_score, average_precision_score, "
        f"brier_score_loss, roc_curve drop_intermediate=False), numpy {np.__version__}, "
        f"pandas {pd.__version__}; made by scripts/golden/models.py",
        "inputs": {
            "predictions": {"file": "predictions/densenet121-jrzech-test-preds.csv", "sha256": sha256(PREDICTIONS)},
            "metadata": {"file": "cxr14/Data_Entry_2017_v2020.csv.gz", "sha256": sha256(METADATA)},
        },
        "images": int(len(data)),
        "findings": findings,
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
