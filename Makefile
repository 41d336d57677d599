# Two commands for a fresh machine:  `make scan` (set up, scan a bundled sample)  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE ?= samples/compliant-01.png
STAMP := $(VENV)/.installed

.PHONY: setup system-deps scan test bench clean

setup: $(STAMP)

# Debian's tesseract (for --engine tesseract), extra fonts (for the sample generator) and
# chromium (the HTML report's browser test),
# installed only when running as root on a Debian-like machine; the default engine
# (tesserocr) and its English model come as wheels and need no system package.
system-deps:
	@if command -v tesseract >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/truetype/liberation ]; then \
	  echo "system packages: present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing tesseract-ocr, fonts and chromium with apt-get…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    tesseract-ocr fonts-dejavu-core fonts-liberation fonts-freefont-ttf chromium >/dev/null; \
	else \
	  echo "note: tesseract executable not installed (apt-get install tesseract-ocr); --engine tesserocr still works"; \
	fi

$(STAMP): pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

scan: setup
	@mkdir -p out
	$(BIN)/labelscan scan $(SAMPLE) --rules magnesium-l-threonate --annotate out/
	@echo "annotated image written to out/"

test: setup
	$(BIN)/python -m pytest -n 2 -q

bench: setup
	$(BIN)/python bench/scan_speed.py samples/
	$(BIN)/python bench/accuracy.py --generate 100 --conditions scan,photo,bottle,sideways,lowres
	$(BIN)/python bench/audit_throughput.py

clean:
	rm -rf $(VENV) out .pytest_cache
