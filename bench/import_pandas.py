"""The alternative to `cxr-audit import cxr14 --metadata M --bbox B` in the whole-process
benchmark (bench/whole-process.bench.ts): pandas reading both files, nothing else.
Usage: import_pandas.py Data_Entry.csv[.gz] BBox_List.csv[.gz]. Prints the row counts as JSON."""
import json
import sys

import pandas as pd

metadata = pd.read_csv(sys.argv[1])
boxes = pd.read_csv(sys.argv[2])
print(json.dumps({"metadata": len(metadata), "boxes": len(boxes)}))
