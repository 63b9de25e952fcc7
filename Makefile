# Two commands on a fresh machine (Python 3.11+):
#   make run    set up, generate and build the demo warehouse if there is none, serve the app
#   make test   set up and run the whole test suite (make test-spark: the views on Apache Spark, needs Java 17)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SCALE ?= 1
SEED ?= 7
PORT ?= 8501
DB ?= data/warehouse.duckdb

.PHONY: setup run demo rebuild views test test-spark bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

demo: setup
	$(PY) -m warehouse demo --if-missing --scale $(SCALE) --seed $(SEED) --db $(DB)

rebuild: setup
	$(PY) -m warehouse demo --scale $(SCALE) --seed $(SEED) --db $(DB)

views: setup
	$(PY) -m warehouse views --db $(DB)

run: demo
	CFI_DB=$(DB) $(PY) -m streamlit run streamlit_app.py --server.port $(PORT)

test: setup
	$(PY) -m pytest

test-spark: setup
	@started=$$(date +%s); $(PY) -m pip install --quiet -r requirements-spark.txt && \
	CFI_REQUIRE_SPARK=1 $(PY) -m pytest -m spark; status=$$?; \
	echo "make test-spark: $$(( $$(date +%s) - started )) s, pyspark install included"; exit $$status

bench: setup
	$(PY) bench/build.py --scale $(SCALE)

clean:
	rm -rf data .pytest_cache test-output
