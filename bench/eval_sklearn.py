"""The alternative to `cxr-audit eval` in the whole-process benchmark (bench/whole-process.bench.ts):
load the predictions and the CXR14 labels, and call scikit-learn's roc_auc_score per finding
(no intervals). Usage: eval_sklearn.py PREDICTIONS.csv Data_Entry.csv[.gz] FINDING...
Prints the AUCs as JSON, so that the bench can check both tools computed the same numbers."""
import json
import sys

import pandas as pd
from sklearn.metrics import roc_auc_score

predictions, metadata, findings = sys.argv[1], sys.argv[2], sys.argv[3:]
preds = pd.read_csv(predictions)
labels = pd.read_csv(metadata, usecols=["Image Index", "Finding Labels"])
data = preds.merge(labels, on="Image Index", how="left")
positive = data["Finding Labels"].str.split("|")
aucs = {}
for finding in findings:
    y = positive.apply(lambda names, f=finding: f in names).to_numpy(dtype=int)
    aucs[finding] = roc_auc_score(y, data["prob_" + finding].to_numpy(dtype=float))
print(json.dumps({"images": len(data), "auc": aucs}))
