# Duo — the two commands: `make run` starts Duo on SQLite, `make test` runs the whole suite.
# Both set everything up first (a virtualenv in .venv with Duo and its dev tools).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
CODE   := $(wildcard app tests bench alembic)

.PHONY: install run test lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,redis]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/alembic upgrade head
	$(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT) --proxy-headers

lint: install
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/ruff check $(CODE)
	$(BIN)/mypy app

test: install lint
	$(BIN)/pytest

format: install
	$(BIN)/ruff format $(CODE)
	$(BIN)/ruff check --fix $(CODE)

bench: install
	$(BIN)/python bench/fanout.py

clean:
	rm -rf $(VENV) data test-output .pytest_cache .mypy_cache .ruff_cache
