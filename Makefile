# make book | make test | make notebooks | make serve
# Each target creates the virtual environment in .venv first, if needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PORT ?= 8000
# The small matrices of the experiments gain nothing from BLAS threads, and a
# second thread fighting for a busy core makes training several times slower.
export OPENBLAS_NUM_THREADS = 1

.PHONY: book test notebooks serve lint clean frameworks

$(INSTALLED): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(INSTALLED)

book: $(INSTALLED)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo "The book is built: open file://$(CURDIR)/_build/html/index.html (or run 'make serve')"

test: $(INSTALLED) lint
	$(BIN)/python -m pytest tests actlib
	$(BIN)/python -m pytest --nbval --nbval-current-env chapters
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going --all

# PyTorch, JAX and Keras: optional for readers; CI installs them (.ci/run) so
# that every framework fact the book states is checked against the framework.
frameworks: $(INSTALLED)
	$(BIN)/python -m pip install --quiet -r requirements-frameworks.txt

lint: $(INSTALLED)
	$(BIN)/ruff check actlib tests benchmarks tools _ext chapters/conftest.py
	$(BIN)/ruff format --check actlib tests benchmarks tools _ext chapters/conftest.py

# The stored outputs include what the frameworks print (chapter 8), so they are
# made with the frameworks installed, as in CI.
notebooks: frameworks
	$(BIN)/python tools/install_cell.py chapters/*.ipynb
	$(BIN)/python tools/execute_notebooks.py chapters/*.ipynb

serve: book
	@echo "Serving the book at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build $(VENV)
