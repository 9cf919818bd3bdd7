"""A synthetic VinDr-CXR annotation file in the published layout (issue #12's two example rows,
then made-up films read by three radiologists each), and its golden counts by pandas: films,
readers, reads (reader-film pairs), per class the films where a majority of their readers marked
it, ties, boxes. Compared by packages/ingest/src/vindr-import.test.ts.
Usage: /usr/bin/python3 scripts/golden/vindr_fixture.py (writes packages/ingest/src/golden/vindr/)"""
import json
import random

import pandas as pd

OUT = "packages/ingest/src/golden/vindr"
CLASSES = ["Aortic enlargement", "Atelectasis", "Calcification", "Cardiomegaly", "Consolidation", "ILD",
           "Infiltration", "Lung Opacity", "Nodule/Mass", "Other lesion", "Pleural effusion",
           "Pleural thickening", "Pneumothorax", "Pulmonary fibrosis", "No finding"]
rng = random.Random(7)
rows = ["9a5094b2563a1ef3ff50dc5c7ff71345,Cardiomegaly,3,R10,691.0,1375.0,1653.0,1831.0",
        "063319de25ce7edb9b1c6b8881290140,No finding,14,R10,,,,"]
for i in range(80):
    image = "%032x" % rng.getrandbits(128)
    n_readers = 2 if i % 13 == 0 else 3  # two readers can tie
    for rad in rng.sample([f"R{k}" for k in range(1, 18)], n_readers):
        classes = rng.sample(range(14), rng.choice([0, 0, 1, 2, 3]))
        if not classes:
            rows.append(f"{image},No finding,14,{rad},,,,")
        for c in classes:
            for _ in range(rng.choice([1, 1, 2])):
                x, y = rng.uniform(0, 2000), rng.uniform(0, 2000)
                rows.append(f"{image},{CLASSES[c]},{c},{rad},{x:.1f},{y:.1f},{x + rng.uniform(10, 500):.1f},{y + rng.uniform(10, 500):.1f}")
with open(f"{OUT}/annotations_train.csv", "w") as f:
    f.write("image_id,class_name,class_id,rad_id,x_min,y_min,x_max,y_max\n" + "\n".join(rows) + "\n")

d = pd.read_csv(f"{OUT}/annotations_train.csv")
readers = d.groupby("image_id")["rad_id"].nunique()
marked = d.groupby(["image_id", "class_name"])["rad_id"].nunique().unstack(fill_value=0)
present = marked.mul(2).gt(readers, axis=0)
tie = marked.mul(2).eq(readers, axis=0)
classes = [c for c in CLASSES if c in marked.columns]
print(json.dumps({
    "images": int(d["image_id"].nunique()),
    "readers": sorted(f"VinDr-CXR:{r}" for r in d["rad_id"].unique()),
    "reads": int(d.groupby("image_id")["rad_id"].nunique().sum()),
    "findings": {c: int(present[c].sum()) for c in classes},
    "uncertain": {c: int(tie[c].sum()) for c in classes},
    "boxes": int(d["x_min"].notna().sum()),
}, indent=1), file=open(f"{OUT}/counts.json", "w"))
