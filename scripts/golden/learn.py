#!/usr/bin/python3
"""Golden values for the learnability algorithms (docs/SPEC-learn.md [LR1]-[LR5], [KM2]), from
scikit-learn.

Run once with Debian's Python (python3-sklearn 1.2.1, numpy 1.24):

    /usr/bin/python3 scripts/golden/learn.py

Writes packages/core/src/learn/golden/learn.json. The inputs are seeded synthetic matrices whose
values are float32 numbers (so a Float32Array holds them exactly), written in the file beside
the outputs:

- `logistic`: binary LogisticRegression(C, solver="lbfgs") fitted on all rows, for a dense case
  (500 x 50, correlated features of different scales and offsets) and a near-separable case
  (200 x 10); coefficients, intercept and predicted probabilities. sklearn runs with a tolerance
  far below the default (gtol 1e-12, 100,000 iterations) so that it reports the minimiser itself,
  and the script checks that its gradient is tiny.
- `crossValidation`: the same matrices with fixed fold assignments (all films of a patient in
  one fold): out-of-fold probabilities and AUC (roc_auc_score) of
  make_pipeline(StandardScaler(), LogisticRegression(C)) fitted on the other folds, and of the
  plain LogisticRegression; the training-fold AUCs too.
- `argsort`: np.argsort (kind "quicksort", numpy 1.24's scalar introsort: this numpy has no
  SIMD dispatch for float64 argsort) of arrays full of ties, whose tie order cleanlab's outputs
  depend on ([CL9]).
- `sums`: np.add.reduce of float64 arrays of awkward lengths and magnitudes (numpy's pairwise
  summation, which cleanlab's thresholds and calibration go through), bit for bit.
- `kmeans`: KMeans(init=<given centres>, n_init=1, algorithm="lloyd", tol=0) on 300 x 6 points
  in four blobs: labels, centres, inertia, iterations (Lloyd from the same start must agree).

The tests compare with these (coefficients to 1e-4, out-of-fold AUC to 1e-6) and need no
Python.
"""

import json
import pathlib

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "packages" / "core" / "src" / "learn" / "golden" / "learn.json"
TIGHT = dict(solver="lbfgs", tol=1e-12, max_iter=100_000)
# newton-cg reaches the minimiser itself (gradient ~1e-9); lbfgs stops earlier on its ftol
EXACT = dict(solver="newton-cg", tol=1e-10, max_iter=1000)


def f32(a):
    """Values a Float32Array holds exactly."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def f32_rows(x):
    """The rows as the shortest decimals that read back to the same float32 values."""
    return [[float(str(np.float32(v))) for v in row] for row in x]


def dense_case(rng):
    n, d = 500, 50
    z = rng.standard_normal((n, d))
    mix = np.eye(d) + 0.3 * rng.standard_normal((d, d)) / np.sqrt(d)
    scales = np.exp(rng.uniform(-0.5, 0.5, d))
    offsets = rng.uniform(-0.5, 0.5, d)
    x = f32((z @ mix) * scales + offsets)
    beta = np.where(rng.uniform(size=d) < 0.3, rng.standard_normal(d), 0.0)
    eta = ((x - offsets) / scales) @ beta * 0.8 - 0.7
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(int)
    return x, y


def separable_case(rng):
    n, d = 200, 10
    x = f32(rng.standard_normal((n, d)) * 2.0 + 1.0)
    beta = rng.standard_normal(d)
    score = (x - 1.0) @ beta
    y = (score + 0.05 * rng.standard_normal(n) > 0).astype(int)
    return x, y


def patient_folds(rng, n, k):
    """Patients of 1-4 films, each patient's films in one fold."""
    patients = []
    p = 0
    while len(patients) < n:
        patients.extend([p] * int(rng.integers(1, 5)))
        p += 1
    patients = np.array(patients[:n])
    fold_of_patient = rng.integers(0, k, patients.max() + 1)
    return patients, fold_of_patient[patients]


def gradient_max_abs(model, x, y, c):
    """The gradient of sum(log loss) + ||w||^2 / (2C) at a solution."""
    r = model.predict_proba(x)[:, 1] - y
    return float(max(np.abs(x.T @ r + model.coef_[0] / c).max(), abs(r.sum())))


def fit(x, y, c):
    m = LogisticRegression(C=c, **TIGHT).fit(x, y)
    exact = LogisticRegression(C=c, **EXACT).fit(x, y)
    assert gradient_max_abs(exact, x, y, c) < 1e-6
    gap = np.abs(m.coef_ - exact.coef_).max()
    assert gap < 1e-4, f"lbfgs is {gap} from the minimiser"
    return {
        "C": c,
        "coef": m.coef_[0].tolist(),
        "intercept": float(m.intercept_[0]),
        "proba": m.predict_proba(x)[:, 1].tolist(),
        "iterations": int(m.n_iter_[0]),
        "gradientMaxAbs": gradient_max_abs(m, x, y, c),
        "coefExact": exact.coef_[0].tolist(),
        "interceptExact": float(exact.intercept_[0]),
    }


def out_of_fold(x, y, folds, c, standardise, options):
    oof = np.zeros(len(y))
    train_auc = []
    for k in range(folds.max() + 1):
        train, test = folds != k, folds == k
        lr = LogisticRegression(C=c, **options)
        model = make_pipeline(StandardScaler(), lr) if standardise else lr
        model.fit(x[train], y[train])
        oof[test] = model.predict_proba(x[test])[:, 1]
        train_auc.append(roc_auc_score(y[train], model.predict_proba(x[train])[:, 1]))
    return oof, train_auc


def cross_validate(x, y, folds, c, standardise):
    oof, train_auc = out_of_fold(x, y, folds, c, standardise, TIGHT)
    exact, _ = out_of_fold(x, y, folds, c, standardise, EXACT)
    # the AUC must not depend on how far lbfgs went: no pair of scores is that close
    assert roc_auc_score(y, oof) == roc_auc_score(y, exact)
    return {
        "C": c,
        "standardise": standardise,
        "oof": oof.tolist(),
        "auc": roc_auc_score(y, oof),
        "trainAuc": train_auc,
    }


def kmeans_case(rng):
    centres = np.array([[0, 0, 0, 0, 0, 0], [5, 5, 0, 0, 1, 0], [0, 5, 5, 0, 0, 2], [5, 0, 5, 5, 0, 0]])
    x = f32(np.vstack([c + rng.standard_normal((75, 6)) * 1.3 for c in centres]))
    order = rng.permutation(len(x))
    x = x[order]
    init_rows = [0, 1, 2, 3]
    km = KMeans(n_clusters=4, init=x[init_rows], n_init=1, algorithm="lloyd", tol=0, max_iter=300)
    km.fit(x)
    return {
        "x": f32_rows(x),
        "initRows": init_rows,
        "labels": km.labels_.tolist(),
        "centres": km.cluster_centers_.tolist(),
        "inertia": float(km.inertia_),
        "iterations": int(km.n_iter_),
    }


def argsort_cases(rng):
    out = []
    for n in (5, 16, 17, 18, 40, 100, 1000, 5000):
        keys = rng.integers(0, max(2, n // 7), n).astype(float) / 7
        out.append({"keys": keys.tolist(), "order": np.argsort(keys).tolist()})
    return out


def sum_cases(rng):
    out = []
    for n in (3, 7, 8, 9, 16, 127, 128, 129, 255, 1000, 4097):
        values = rng.standard_normal(n) * 10.0 ** rng.integers(-8, 9, n)
        out.append({"values": values.tolist(), "sum": float(np.add.reduce(values))})
    return out


def main():
    rng = np.random.default_rng(20240611)
    cases = {}
    # C values where lbfgs itself lands within 1e-4 of the minimiser (C = 100 on the
    # near-separable case does not: 1.5e-4)
    for name, (x, y), cs in (
        ("dense", dense_case(rng), (1.0, 0.05, 100.0)),
        ("separable", separable_case(rng), (1.0, 0.1, 10.0)),
    ):
        patients, folds = patient_folds(rng, len(y), 5)
        cases[name] = {
            "x": f32_rows(x),
            "y": y.tolist(),
            "patients": patients.tolist(),
            "folds": folds.tolist(),
            "fits": [fit(x, y, c) for c in cs],
            "crossValidation": [
                cross_validate(x, y, folds, 1.0, True),
                cross_validate(x, y, folds, 0.1, True),
                cross_validate(x, y, folds, 1.0, False),
            ],
        }
    out = {
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "cases": cases,
        "kmeans": kmeans_case(rng),
        "argsort": argsort_cases(rng),
        "sums": sum_cases(rng),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
