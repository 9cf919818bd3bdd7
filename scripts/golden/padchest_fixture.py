"""A synthetic PadChest sample in the published layout (the header and the one real row of
../shared/data/formats/PADCHEST_layout_notes.txt, then made-up rows), and its golden counts by
pandas: films, patients, studies, positives per label (a film's labels are its physician's row
where it has one, else its first row), films per method, films labelled by both, views.
Compared by packages/ingest/src/padchest-import.test.ts.
Usage: /usr/bin/python3 scripts/golden/padchest_fixture.py (writes packages/ingest/src/golden/padchest/)"""
import ast
import csv
import json
import random

import pandas as pd

OUT = "packages/ingest/src/golden/padchest"
notes = open("../shared/data/formats/PADCHEST_layout_notes.txt").read().split("\n")
header = next(l for l in notes if l.startswith(",ImageID,"))
real = next(l for l in notes if l.startswith("1,135803415504923515076821959678074435083_fzis7d.png"))
cols = header.split(",")
VOCAB = ["normal", "pleural effusion", "cardiomegaly", "pneumonia", "nodule", "kyphosis",
         "chronic changes", "COPD signs", "NSG tube", "costophrenic angle blunting"]
rng = random.Random(9)
rows = [next(csv.reader([real]))]
for i in range(2, 160):
    both = i % 11 == 0
    image = f"{rng.getrandbits(120)}_{i:04d}.png"
    patient, study = str(rng.getrandbits(100)), str(rng.getrandbits(100))
    for method in (["Physician", "RNN_model"] if both else [rng.choice(["Physician", "RNN_model", "RNN_model"])]):
        labels = rng.sample(VOCAB, rng.randrange(0, 4)) or ["normal"]
        row = dict.fromkeys(cols, "None")
        row.update({"": str(i), "ImageID": image, "ImageDir": str(i % 50), "StudyDate_DICOM": f"20{10 + i % 8}0{1 + i % 9}15",
                    "StudyID": study, "PatientID": patient, "PatientBirth": f"{1930 + i % 60}.0",
                    "PatientSex_DICOM": rng.choice(["M", "F", "O"]), "Projection": rng.choice(["PA", "L", "AP", "AP_horizontal"]),
                    "MethodLabel": method, "Labels": repr([" " + l if rng.random() < 0.1 else l for l in labels]),
                    "Report": "informe ."})
        rows.append([row[c] for c in cols])
with open(f"{OUT}/padchest-sample.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(cols)
    w.writerows(rows)

d = pd.read_csv(f"{OUT}/padchest-sample.csv", index_col=0, dtype=str)
d["labels"] = d["Labels"].map(lambda s: sorted({x.strip() for x in ast.literal_eval(s) if x.strip()}))
d["main"] = (d["MethodLabel"] != "Physician").astype(int)
films = d.sort_values("main", kind="stable").drop_duplicates("ImageID")
counts = {}
for ls in films["labels"]:
    for l in ls:
        counts[l] = counts.get(l, 0) + 1
per_film = d.groupby("ImageID")["MethodLabel"].nunique()
views = films["Projection"].map(lambda p: "LATERAL" if p == "L" else p)
print(json.dumps({
    "images": len(films),
    "patients": int(films["PatientID"].nunique()),
    "studies": int(films["StudyID"].nunique()),
    "findings": dict(sorted(counts.items())),
    "methods": {k: int(v) for k, v in d["MethodLabel"].value_counts().items()},
    "bothLabelled": int((per_film > 1).sum()),
    "views": {k: int(v) for k, v in views.value_counts().items()},
}, indent=1), file=open(f"{OUT}/counts.json", "w"))
