#!/usr/bin/env bash
# Rerun every benchmark: all calls at 100k issues, reads at 10k and 1M issues.
# Each database is created and filled on first use (1M issues take minutes).
# Set PYTHON to the interpreter that has requirements-bench.txt installed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
    if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
reads=list_status,list_product_offset,issue_detail,conversation_detail

"$PYTHON" bench/run.py --database gr_bench_10k --issues 10000 --only "$reads" --output bench/results/10k.json "$@"
"$PYTHON" bench/run.py --database gr_bench_100k --issues 100000 --output bench/results/100k.json "$@"
"$PYTHON" bench/run.py --database gr_bench_1m --issues 1000000 --only "$reads" --output bench/results/1m.json "$@"
