#!/usr/bin/python3
"""Reference values for the paired comparisons with patients as clusters (docs/SPEC-models.md
[M50]): `eval --compare-original --cluster patient` and the subgroup tests `--by ... --cluster
patient`, which resample patients, not films.

Run once with Debian's Python (python3-numpy, python3-pandas, python3-scipy):

    /usr/bin/python3 scripts/golden/compare_clustered.py

Scenario (rebuilt by apps/cli/src/models/eval-compare-cluster.test.ts): the real DenseNet-121
predictions and the 2020 NIH metadata; a reader `rev` judges Effusion on the first 4,000
scored films by image name (whole patients, since names begin with the patient id): the NIH
label, except that labelled positives with `Follow-up #` > 15 are judged absent (a stand-in
rule for text-mined labels a reader overturns; the data has no such reads on the test split).

Written independently of the TypeScript, it records:
- the exact AUC(reader) - AUC(original) on those films, and AUC(AP) - AUC(PA) against the
  reader (Mann-Whitney, ties 1/2), which the TypeScript must equal to 1e-12;
- the reference standard errors of those differences with patients as clusters: a patient
  bootstrap (numpy, seeded, 4,000 resamples; patients drawn with replacement, all their films)
  and, as a second, deterministic check, the clustered delta-method (DeLong's placements summed
  per patient: psi_i = sum over patient i's films of (V - A) / m or n, var = I/(I-1) sum
  (psi1_i - psi2_i)^2, the Obuchowski 1997 construction for a difference); the bootstrap SE is
  asserted within 10 % of it;
- the film bootstrap SE of the same difference, to show how much clustering widens it.
The TypeScript bootstrap uses its own generator, so it is compared by its spread: its SE
(the interval's width / 3.92 for the comparison, |difference / D| for the subgroup test) must be
within 10 % of the patient bootstrap SE here.
Output: packages/core/src/models/golden/compare-clustered.json.
"""

import json
import pathlib

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "packages" / "core" / "src" / "models" / "golden" / "compare-clustered.json"
FINDING = "Effusion"
FILMS = 4000
REPLICATES = 4000
SEED = 20261201


def placements(labels, scores):
    """V10 per positive (share of negatives below, ties 1/2), V01 per negative."""
    pos = labels == 1
    x, y = scores[pos], scores[~pos]
    ys, xs = np.sort(y), np.sort(x)
    v10 = (np.searchsorted(ys, x, "left") + np.searchsorted(ys, x, "right")) / (2.0 * len(y))
    above = (len(x) - np.searchsorted(xs, y, "right")) + (len(x) - np.searchsorted(xs, y, "left"))
    v01 = above / (2.0 * len(x))
    return pos, v10, v01


def auc(labels, scores):
    _, v10, _ = placements(labels, scores)
    return float(v10.mean())


def psi(labels, scores, codes, k):
    """Each patient's summed influence on the AUC: (V10 - A)/m over its positives, (V01 - A)/n
    over its negatives (zero for films outside the set: pass them with label -1)."""
    inside = labels >= 0
    lab, sc, cd = labels[inside], scores[inside], codes[inside]
    pos, v10, v01 = placements(lab, sc)
    a = v10.mean()
    per_film = np.empty(len(lab))
    per_film[pos] = (v10 - a) / pos.sum()
    per_film[~pos] = (v01 - a) / (~pos).sum()
    return np.bincount(cd, weights=per_film, minlength=k)


def delta_se(psi1, psi2):
    d = psi1 - psi2
    k = len(d)
    return float(np.sqrt(k / (k - 1) * np.sum(d * d)))


def bootstrap_se(statistic, codes, k, rng, by_patient):
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(k))
    ends = np.append(starts[1:], len(codes))
    out = []
    for _ in range(REPLICATES):
        if by_patient:
            drawn = rng.integers(0, k, k)
            rows = np.concatenate([order[starts[j] : ends[j]] for j in drawn])
        else:
            rows = rng.integers(0, len(codes), len(codes))
        try:
            out.append(statistic(rows))
        except (ZeroDivisionError, ValueError, FloatingPointError):
            continue
    out = np.array(out)
    return float(out.std(ddof=1)), len(out)


def main():
    np.seterr(all="raise")
    meta = pd.read_csv(DATA / "cxr14" / "Data_Entry_2017_v2020.csv.gz")
    preds = pd.read_csv(DATA / "predictions" / "densenet121-jrzech-test-preds.csv")
    films = preds.merge(
        meta[["Image Index", "Finding Labels", "Follow-up #", "Patient ID", "View Position"]],
        on="Image Index",
    )
    films = films.sort_values("Image Index").reset_index(drop=True).iloc[:FILMS]
    original = films["Finding Labels"].str.split("|").apply(lambda l: FINDING in l)
    original = original.astype(int).to_numpy()
    reader = original.copy()
    reader[(original == 1) & (films["Follow-up #"].to_numpy() > 15)] = 0
    scores = films["prob_" + FINDING].to_numpy(dtype=float)
    codes, uniques = pd.factorize(films["Patient ID"])
    k = len(uniques)
    view = films["View Position"].to_numpy()
    rng = np.random.default_rng(SEED)

    # the comparison: one score, two truths, the same films
    diff = auc(reader, scores) - auc(original, scores)
    cmp_stat = lambda rows: auc(reader[rows], scores[rows]) - auc(original[rows], scores[rows])
    cmp_patient, cmp_n = bootstrap_se(cmp_stat, codes, k, rng, True)
    cmp_film, _ = bootstrap_se(cmp_stat, codes, k, rng, False)
    cmp_delta = delta_se(psi(reader, scores, codes, k), psi(original, scores, codes, k))
    assert abs(cmp_patient / cmp_delta - 1) < 0.10, (cmp_patient, cmp_delta)

    # the subgroup test: AP against PA, against the reader (eval --against rev --by view)
    ap, pa = view == "AP", view == "PA"
    sub_diff = auc(reader[ap], scores[ap]) - auc(reader[pa], scores[pa])

    def sub_stat(rows):
        a, p = rows[ap[rows]], rows[pa[rows]]
        return auc(reader[a], scores[a]) - auc(reader[p], scores[p])

    sub_patient, sub_n = bootstrap_se(sub_stat, codes, k, rng, True)
    sub_film, _ = bootstrap_se(sub_stat, codes, k, rng, False)
    masked = lambda m: np.where(m, reader, -1)
    sub_delta = delta_se(psi(masked(ap), scores, codes, k), psi(masked(pa), scores, codes, k))
    assert abs(sub_patient / sub_delta - 1) < 0.10, (sub_patient, sub_delta)

    out = {
        "source": "scripts/golden/compare_clustered.py (numpy, pandas)",
        "finding": FINDING,
        "films": FILMS,
        "patients": int(k),
        "patientsWithSeveralFilms": int((np.bincount(codes) > 1).sum()),
        "readerAbsent": [str(x) for x in films["Image Index"][(original == 1) & (reader == 0)]],
        "readerPresent": [str(x) for x in films["Image Index"][reader == 1]],
        "seed": SEED,
        "replicates": REPLICATES,
        "comparison": {
            "difference": diff,
            "patientBootstrapSe": cmp_patient,
            "patientBootstrapReplicates": cmp_n,
            "deltaMethodSe": cmp_delta,
            "filmBootstrapSe": cmp_film,
        },
        "subgroup": {
            "a": "AP",
            "b": "PA",
            "difference": sub_diff,
            "patientBootstrapSe": sub_patient,
            "patientBootstrapReplicates": sub_n,
            "deltaMethodSe": sub_delta,
            "filmBootstrapSe": sub_film,
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    shown = ("patients", "patientsWithSeveralFilms", "comparison", "subgroup")
    print(json.dumps({key: out[key] for key in shown}, indent=1))


if __name__ == "__main__":
    main()
