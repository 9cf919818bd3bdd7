"""Golden counts of `import table` on a real wide CSV, Google's expert labels of CXR14
(../shared/data/expert/google-four-findings/validation_labels.csv), by pandas: images, patients,
per label column the YES (positive) and NO (negative) cells, views and splits (Set Id).
Compared by packages/ingest/src/table-import.test.ts.
Usage: /usr/bin/python3 scripts/golden/table_counts.py > packages/ingest/src/golden/google-table-counts.json"""
import json

import pandas as pd

d = pd.read_csv("../shared/data/expert/google-four-findings/validation_labels.csv")
COLS = ["Fracture", "Pneumothorax", "Airspace opacity", "Nodule or mass"]
print(json.dumps({
    "images": len(d),
    "patients": int(d["Patient ID"].nunique()),
    "findings": {c: int((d[c] == "YES").sum()) for c in COLS},
    "negative": {c: int((d[c] == "NO").sum()) for c in COLS},
    "views": {k: int(v) for k, v in d["View Position"].value_counts().items()},
    "splits": {k: int(v) for k, v in d["Set Id"].value_counts().items()},
}, indent=1))
