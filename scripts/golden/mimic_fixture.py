"""A synthetic MIMIC-CXR-JPG 2.0.0 sample in the published layouts (the data is credentialed, so the
files are made here from ../shared/data/formats/MIMIC-CXR-JPG_layout_notes.txt), and its golden
counts by pandas: films, studies, subjects, per observation the films whose study is positive
(1.0), uncertain (-1.0), a negative mention (0.0) or not mentioned (blank or no label row), views
and splits. Compared by packages/ingest/src/mimic-import.test.ts.
Usage: /usr/bin/python3 scripts/golden/mimic_fixture.py (writes packages/ingest/src/golden/mimic/)"""
import json
import os
import random

import pandas as pd

OUT = "packages/ingest/src/golden/mimic"
OBS = ["Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Enlarged Cardiomediastinum",
       "Fracture", "Lung Lesion", "Lung Opacity", "No Finding", "Pleural Effusion", "Pleural Other",
       "Pneumonia", "Pneumothorax", "Support Devices"]
META = ["dicom_id", "subject_id", "study_id", "PerformedProcedureStepDescription", "ViewPosition",
        "Rows", "Columns", "StudyDate", "StudyTime", "ProcedureCodeSequence_CodeMeaning",
        "ViewCodeSequence_CodeMeaning", "PatientOrientationCodeSequence_CodeMeaning"]
# the official notebook's example rows (layout notes)
OFFICIAL = [
    "02aa804e-bde0afdd-112c0b34-7bc16630-4e384014,10000032,50414267,CHEST (PA AND LAT),PA,3056,2544,21800506,213014.531,CHEST (PA AND LAT),postero-anterior,Erect",
    "174413ec-4ec4c1f7-34ea26b7-c5f994f8-79ef1962,10000032,50414267,CHEST (PA AND LAT),LATERAL,3056,2544,21800506,213014.531,CHEST (PA AND LAT),lateral,Erect",
    "68b5c4b1-227d0485-9cc38c3f-7b84ab51-4b472714,10000032,53911762,CHEST (PORTABLE AP),AP,2705,2539,21800723,80556.875,CHEST (PORTABLE AP),antero-posterior,",
]

rng = random.Random(12)


def dicom_id():
    return "-".join("%08x" % rng.getrandbits(32) for _ in range(5))


meta = list(OFFICIAL)
studies = [("10000032", "50414267"), ("10000032", "53911762")]
for s in range(120):
    subject = str(10000100 + rng.randrange(60))
    study = str(50500000 + s)
    studies.append((subject, study))
    views = rng.choice([["PA", "LATERAL"], ["AP"], ["AP"], ["PA", "LL"], ["PA", "LATERAL", "LATERAL"], [""]])
    for v in views:
        desc = "CHEST (PA AND LAT)" if v != "AP" else "CHEST (PORTABLE AP)"
        meta.append(f"{dicom_id()},{subject},{study},{desc},{v},3056,2544,21810101,101010.5,{desc},,Erect")
with open(f"{OUT}/mimic-cxr-2.0.0-metadata.csv", "w") as f:
    f.write(",".join(META) + "\n" + "\n".join(meta) + "\n")

labels = []
for i, (subject, study) in enumerate(studies):
    if i >= 2 and i % 17 == 0:
        continue  # a study without a label row: its films are not mentioned
    if study == "50414267":  # the official negbio example: No Finding 1, all others blank
        cells = ["1.0" if o == "No Finding" else "" for o in OBS]
    else:
        cells = [rng.choice(["", "", "", "1.0", "0.0", "-1.0"]) for _ in OBS]
    labels.append(",".join([subject, study] + cells))
with open(f"{OUT}/mimic-cxr-2.0.0-chexpert.csv", "w") as f:
    f.write("subject_id,study_id," + ",".join(OBS) + "\n" + "\n".join(labels) + "\n")

m = pd.read_csv(f"{OUT}/mimic-cxr-2.0.0-metadata.csv", dtype=str, keep_default_na=False)
split_rows = []
for r in m.itertuples():
    if r.Index % 23 == 5:
        continue  # a film the split file does not list
    split = "train" if r.Index % 10 < 7 else ("validate" if r.Index % 10 < 9 else "test")
    split_rows.append(f"{r.dicom_id},{r.study_id},{r.subject_id},{split}")
with open(f"{OUT}/mimic-cxr-2.0.0-split.csv", "w") as f:
    f.write("dicom_id,study_id,subject_id,split\n" + "\n".join(split_rows) + "\n")

# the golden counts, by pandas: each film takes its study's labels
meta_df = pd.read_csv(f"{OUT}/mimic-cxr-2.0.0-metadata.csv", dtype={"subject_id": str, "study_id": str})
lab = pd.read_csv(f"{OUT}/mimic-cxr-2.0.0-chexpert.csv", dtype={"subject_id": str, "study_id": str})
spl = pd.read_csv(f"{OUT}/mimic-cxr-2.0.0-split.csv", dtype=str)
films = meta_df.merge(lab.drop(columns=["subject_id"]), on="study_id", how="left")
films = films.merge(spl[["dicom_id", "split"]], on="dicom_id", how="left")
views = films["ViewPosition"].fillna("")
print(json.dumps({
    "images": len(films),
    "studies": int(films["study_id"].nunique()),
    "patients": int(films["subject_id"].nunique()),
    "labelledStudies": int(lab["study_id"].isin(meta_df["study_id"]).sum()),
    "findings": {o: int((films[o] == 1).sum()) for o in OBS},
    "uncertain": {o: int((films[o] == -1).sum()) for o in OBS},
    "negative": {o: int((films[o] == 0).sum()) for o in OBS},
    "notMentioned": {o: int(films[o].isna().sum()) for o in OBS},
    "views": {k: int(v) for k, v in views.value_counts().items()},
    "splits": {k: int(v) for k, v in films["split"].value_counts().items()},
}, indent=1), file=open(f"{OUT}/counts.json", "w"))
