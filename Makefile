# Digital Resilience Self-Assessment. `make run` and `make test` are the quick start.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast lint translations compile bench clean db demo fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

compile: $(STAMP)
	$(BIN)/pybabel -q compile -d translations

db: compile
	$(FLASK) init-db

demo: db
	$(FLASK) seed-demo

run: demo
	$(BIN)/flask --app app run --host 127.0.0.1 --port 5000

test: compile
	$(BIN)/pytest -q

test-fast: compile
	$(BIN)/pytest -q -m "not browser"

# Schemathesis against the API of the seeded demo; FUZZ_SECONDS is the time budget.
FUZZ_SECONDS ?= 120
fuzz: compile
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(BIN)/pytest -q -m fuzz tests/fuzz

lint: $(STAMP)
	$(BIN)/ruff check app tests

translations: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k Text -o translations/messages.pot --no-location --sort-output --project digital-resilience .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python scripts/i18n.py fill-en
	$(BIN)/pybabel -q compile -d translations

bench: compile
	$(BIN)/python -m tests.benchmarks --write-docs $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/*.db
