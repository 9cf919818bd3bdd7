#!/usr/bin/python3
"""Golden values for core's readingPace [W34], from Python's statistics module.

Run once with Debian's Python:

    /usr/bin/python3 scripts/golden/reading_pace.py

It writes packages/core/src/audit/golden/reading-pace.json. Each case is a reader's finished
pages (time in ms, films) and other event times, drawn from a fixed seed; the reference applies
the rule as the SPEC states it, independently of the TypeScript: a page's time runs from the
page finished before to this one; the first page, a page finished at the same instant as the one
before, and a page whose time holds a silence longer than the break between consecutive events
are not timed; each film of a timed page gets its page's seconds / films; the median is over
films; films per hour is 3600 x timed films / timed seconds.
"""

import json
import pathlib
import random
import sys

# statistics.py beside this script would shadow the standard library's module
sys.path = [p for p in sys.path if pathlib.Path(p or ".").resolve() != pathlib.Path(__file__).resolve().parent]
import statistics  # noqa: E402

BREAK = 300


def reference(pages, activity, brk):
    pages = sorted(pages, key=lambda p: p["at"])
    times = sorted(activity + [p["at"] for p in pages])
    per_film, timed_pages, timed_seconds, breaks = [], 0, 0.0, 0
    for prev, page in zip(pages, pages[1:]):
        a, b = prev["at"], page["at"]
        if a == b or page["films"] == 0:
            continue
        inside = [a] + [t for t in times if a < t <= b] + [b]
        silence = max(y - x for x, y in zip(inside, inside[1:]))
        if silence > brk * 1000:
            breaks += 1
            continue
        s = (b - a) / 1000
        timed_pages += 1
        timed_seconds += s
        per_film += [s / page["films"]] * page["films"]
    return {
        "pages": len(pages),
        "timedPages": timed_pages,
        "timedFilms": len(per_film),
        "timedSeconds": timed_seconds,
        "breaks": breaks,
        "medianSecondsPerFilm": statistics.median(per_film) if per_film else None,
        "filmsPerHour": 3600 * len(per_film) / timed_seconds if timed_seconds else None,
    }


def case(rng, n_pages):
    t = 1_767_600_000_000
    pages, activity = [], []
    for i in range(n_pages):
        # mostly 18 films; the last page of a finding is shorter
        films = 18 if rng.random() < 0.8 else rng.randint(1, 17)
        if rng.random() < 0.15:
            t += rng.randint(301_000, 3_600_000)  # a break
        marks = rng.randint(0, 5)
        for _ in range(marks):
            t += rng.randint(1_000, 120_000)
            activity.append(t)
        t += rng.randint(1_000, 200_000)
        if rng.random() < 0.05 and pages:
            t = pages[-1]["at"]  # two pages in one batch
        pages.append({"at": t, "films": films})
    rng.shuffle(pages)
    return {"pages": pages, "activity": activity, "breakSeconds": BREAK}


def main():
    rng = random.Random(20261201)
    cases = [case(rng, n) for n in (1, 2, 3, 8, 20, 40, 40)]
    cases.append({**case(rng, 15), "breakSeconds": 150})
    for c in cases:
        c["expected"] = reference(c["pages"], c["activity"], c["breakSeconds"])
    out = pathlib.Path(__file__).resolve().parents[2] / "packages/core/src/audit/golden/reading-pace.json"
    out.write_text(json.dumps({"source": "Python statistics.median", "cases": cases}, indent=1) + "\n")
    print(out)


if __name__ == "__main__":
    main()
