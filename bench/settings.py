"""Settings of the benchmark: the test suite's (production mode, fast hasher), with the benchmark's own database.

The throw-away database is ``var/bench.sqlite3`` on SQLite and ``bench_<NAME>`` on PostgreSQL (from
``DATABASE_URL``); ``bench/run.py`` creates it, migrates it and drops it again.
"""

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES, VAR_DIR  # tests.settings sets the environment first

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "bench.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"bench_{DATABASES['default']['NAME']}"}
