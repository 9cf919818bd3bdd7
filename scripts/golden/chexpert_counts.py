"""Golden counts of the CheXpert label files (issue #12), by pandas: items, patients, studies,
and per observation the positive (1.0), uncertain (-1.0), negative-mention (0.0) and blank cells,
views (AP/PA, else LATERAL for a lateral) and sexes. Compared by packages/ingest/src/chexpert-import.test.ts.
Usage: /usr/bin/python3 scripts/golden/chexpert_counts.py > packages/ingest/src/golden/chexpert-counts.json"""
import json

import pandas as pd

OBS = ["No Finding", "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity", "Lung Lesion",
       "Edema", "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax", "Pleural Effusion",
       "Pleural Other", "Fracture", "Support Devices"]


def counts(path):
    d = pd.read_csv(path, dtype={"AP/PA": str})
    parts = d["Path"].str.extract(r"(patient\d+)/(study\d+)/")
    view = d["AP/PA"].fillna("")
    view = view.where(view != "", d["Frontal/Lateral"].map(lambda f: "LATERAL" if f == "Lateral" else ""))
    return {
        "images": len(d),
        "patients": int(parts[0].nunique()),
        "studies": int((parts[0] + "/" + parts[1]).nunique()),
        "findings": {o: int((d[o] == 1).sum()) for o in OBS},
        "uncertain": {o: int((d[o] == -1).sum()) for o in OBS},
        "negative": {o: int((d[o] == 0).sum()) for o in OBS},
        "notMentioned": {o: int(d[o].isna().sum()) for o in OBS},
        "views": {k: int(v) for k, v in view.value_counts().items()},
        "sexes": {k: int(v) for k, v in d["Sex"].value_counts().items()},
    }


print(json.dumps({
    "valid": counts("../shared/data/chexpert/valid.csv"),
    "train": counts("../shared/data/chexpert/chexpert_train.csv.gz"),
}, indent=1))
