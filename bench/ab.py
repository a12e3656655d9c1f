"""Server time of a few pages as the city-wide viewer, for A/B runs of two checkouts
against the same database (issue 15):

    for d in /tmp/before /tmp/after; do (cd $d && PYTHONPATH=$d DATABASE_URL=... DEBUG=false \\
        SECRET_KEY=... ALLOWED_HOSTS=testserver python -m bench.ab /dashboard/ /tasks/); done

Each URL: 3 warm-ups, then 40 requests through Django's test client; median / p95 ms.
Run the two checkouts alternately, twice, on a machine that is otherwise quiet.
`--as staff` measures as `bench.pages`' staff member instead.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")

from bench.load import summary_ms
from bench.pages import city_viewer, client_for, django_setup, subjects_pick


def main(urls: list[str]) -> None:
    django_setup()
    if urls[:2] == ["--as", "staff"]:
        urls = urls[2:]
        client = client_for(subjects_pick()["staff"])
    else:
        client = client_for(city_viewer())
    for url in urls:
        for _ in range(3):
            client.get(url)
        timings = []
        for _ in range(40):
            started = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - started)
        r = summary_ms(timings)
        print(f"{os.getcwd()} {url}: {r['median_ms']} / {r['p95_ms']} ms", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
