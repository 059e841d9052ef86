"""The production WSGI application (``config.wsgi``) with the search engine's cache of results
off, for ``read_bench.py``'s uncached searches: ``gunicorn benchmarks.bench_wsgi``. Everything
else is the checked-in application and ``config/gunicorn.py``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_work import disable_result_cache

from config.wsgi import application

disable_result_cache()  # before gunicorn forks (preload): every worker inherits it

__all__ = ["application"]
