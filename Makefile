# Duo — the two commands: `make run` starts Duo on SQLite, `make test` runs the whole suite.
# Both set everything up first (a virtualenv in .venv with Duo and its dev tools).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
CODE   := $(wildcard app tests bench alembic)

.PHONY: install run test lint audit format texts bench bench-quick clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,redis]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python -m app --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/ruff check $(CODE)
	$(BIN)/mypy app

test: install lint audit
	$(BIN)/pytest

# Known vulnerabilities in the installed packages (PyPI's advisory data, through pip-audit).
# A known vulnerability fails the build. When the advisory data cannot be reached (no
# network) or a package is not on PyPI, it says so and does not fail: nothing was learnt.
audit: install
	@rm -f $(VENV)/audit.json
	@$(BIN)/pip-audit --skip-editable --progress-spinner off --timeout 20 \
		--format json --output $(VENV)/audit.json 2>$(VENV)/audit.log || true
	@$(BIN)/python -c "$$AUDIT_REPORT"

# The pages' HTML carries the Dutch texts of web/js/i18n.js (no layout shift when a page
# fills them in): write them in after changing one.
texts: install
	$(BIN)/python -m tests.utils.texts

format: install
	$(BIN)/ruff format $(CODE)
	$(BIN)/ruff check --fix $(CODE)

# The figures of docs/benchmarks.md (30-40 min on a quiet machine), ending in one table of
# every goal with the floor beside it; BENCH_ARGS adds options, e.g. BENCH_ARGS="--sizes 1000".
bench: install
	$(BIN)/python bench/redis_hop.py
	$(BIN)/python bench/lock_hold.py
	$(BIN)/python bench/fanout.py --deflate off --clients 4xuvloop,1xasyncio --profile --redis-hop test-output/bench/redis_hop.json $(BENCH_ARGS)
	$(BIN)/python bench/pairing.py

# The same, small: proves the benchmark works (a few minutes), gives no figures to quote.
bench-quick: install
	$(BIN)/python bench/redis_hop.py --count 200
	$(BIN)/python bench/lock_hold.py --hold 2
	$(BIN)/python bench/fanout.py --deflate off --quick --clients 4xuvloop,1xasyncio --redis-hop test-output/bench/redis_hop.json $(BENCH_ARGS)
	$(BIN)/python bench/pairing.py --repeat 2

define AUDIT_REPORT
import json, pathlib, sys
path = pathlib.Path("$(VENV)/audit.json")
if not path.exists():
    error = pathlib.Path("$(VENV)/audit.log").read_text().strip().splitlines()
    print("audit: NOT DONE, the advisory data could not be reached:", (error or ["?"])[-1][:200])
    sys.exit(0)
deps = json.loads(path.read_text())["dependencies"]
vulnerable = [d for d in deps if d.get("vulns")]
skipped = [d for d in deps if "skip_reason" in d]
for d in vulnerable:
    ids = ", ".join(v["id"] + " (fixed in " + ", ".join(v["fix_versions"]) + ")" for v in d["vulns"])
    print(f"audit: {d['name']} {d['version']}: {ids}")
audited = len(deps) - len(skipped)
print(f"audit: {audited} packages audited, {len(vulnerable)} with known vulnerabilities", end="")
print(f"; {len(skipped)} could not be audited (not found on PyPI)" if skipped else "")
if not audited:
    print("audit: NOT DONE, no package could be checked against PyPI's advisory data")
sys.exit(1 if vulnerable else 0)
endef
export AUDIT_REPORT

clean:
	rm -rf $(VENV) data test-output .pytest_cache .mypy_cache .ruff_cache
