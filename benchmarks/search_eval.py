"""Search quality: nDCG@10 and recall@20 per query and overall, on the relevance set in
``fixtures/search/`` (``make search-eval``).

Runs in a throwaway test database (SQLite in memory, or ``test_<name>`` on the PostgreSQL that
``DATABASE_URL`` names), so the registry's own data is never touched. ``--write-baseline`` records
the overall figures for this database in ``fixtures/search/baseline.json``, which the test suite
holds the search to.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write-baseline", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from registry.search import evaluation

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        keys = evaluation.load_corpus()
        scores = evaluation.evaluate(keys)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"Search quality on {connection.vendor} ({len(keys)} resources)\n")
    print(evaluation.report(scores))
    figures = evaluation.overall(scores)
    recorded = evaluation.baseline(connection.vendor) if not args.write_baseline else figures
    print(f"\nbaseline nDCG@10 on {connection.vendor}: {recorded['ndcg10']:.3f}")
    if args.write_baseline:
        path = evaluation.FIXTURES / "baseline.json"
        data = json.loads(path.read_text()) if path.exists() else {}
        data[connection.vendor] = figures
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
        print(f"recorded in {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
