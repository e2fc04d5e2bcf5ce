# Two entry points: `make demo` and `make test`. Both create .venv and install the pinned set.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

SEEDS := examples/seeds/zerohedge.txt examples/seeds/globalresearch.md

.PHONY: demo test install bench serve clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/parallax compare $(SEEDS)
	mkdir -p build
	$(VENV)/bin/parallax compare $(SEEDS) --format json -o build/seeds.json
	$(VENV)/bin/parallax compare $(SEEDS) --format html -o build/seeds.html
	@echo "JSON: build/seeds.json   HTML report: build/seeds.html"

# The web app on http://127.0.0.1:8000/ (`make serve STORE=corpus.db` also serves a corpus).
serve: $(STAMP)
	$(VENV)/bin/parallax serve $(if $(STORE),--store $(STORE))

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/speed.py
	$(PY) bench/quotes_polnear.py
	$(PY) bench/ptc.py
	$(PY) bench/encoder_sizes.py
	$(PY) bench/long_input.py
	$(PY) bench/stories_ecbplus.py
	$(PY) bench/stories_basil.py
	$(PY) bench/corpus_scale.py
	$(PY) bench/web_load.py
	$(PY) bench/dask_scale.py

clean:
	rm -rf $(VENV) build .pytest_cache
