"""Profile one API call in-process with pyinstrument, to find where a slow call spends its time.

    python bench/profile.py --database gr_bench_100k --repeat 200 GET "/api/v1/issues?status=pending"

Requests go through Django's test client (the whole middleware and DRF stack,
without gunicorn), authenticated with a fresh key of the `bench` workspace.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("method", choices=["GET", "POST", "PATCH"])
    parser.add_argument("path", help="Path with query string, e.g. /api/v1/issues?limit=50")
    parser.add_argument("--body", help="JSON body for POST and PATCH.")
    parser.add_argument("--database", default="gr_bench_100k", help="PostgreSQL database (default gr_bench_100k).")
    parser.add_argument("--repeat", type=int, default=200, help="Requests to profile (default 200).")
    parser.add_argument("--all", action="store_true", help="Show library frames too.")
    parser.add_argument("--html", type=Path, help="Also write pyinstrument's HTML report here.")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{args.database}")
    os.environ.setdefault("SECRET_KEY", "profile-run")
    os.environ.setdefault("API_RATE_LIMIT", "off")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "getresolved.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    from workspaces import services
    from workspaces.models import Member

    owner = Member.objects.filter(workspace__slug="bench", role=Member.Role.OWNER).first()
    _, secret = services.api_key_issue(workspace=owner.workspace, created_by=owner, name="profile")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_HOST="127.0.0.1")

    def send():
        if args.method == "GET":
            return client.get(args.path)
        send_method = client.post if args.method == "POST" else client.patch
        return send_method(args.path, data=args.body or "{}", content_type="application/json")

    first = send()
    if first.status_code >= 300:
        sys.exit(f"{args.method} {args.path} returned {first.status_code}: {json.loads(first.content)}")

    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(args.repeat):
            send()
    elapsed = time.perf_counter() - started
    print(f"{args.repeat} requests, {elapsed / args.repeat * 1000:.2f} ms each (profiler overhead included)")
    print(profiler.output_text(unicode=False, color=False, show_all=args.all))
    if args.html:
        args.html.write_text(profiler.output_html())


if __name__ == "__main__":
    main()
