# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_CLAIMS ?= 3000
ADDR ?= 127.0.0.1:8000

.PHONY: run test install demo lint format bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_setup --claims $(DEMO_CLAIMS)

run: demo
	$(BIN)/python manage.py runserver $(ADDR)

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/parser_bench.py
	$(BIN)/python benchmarks/ingest_bench.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
