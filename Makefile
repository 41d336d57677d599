# Two commands for a fresh machine:  `make scan` (set up, scan a bundled sample)  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE ?= samples/compliant-01.png
STAMP := $(VENV)/.installed
RAPIDOCR ?= rapidocr-onnxruntime==1.4.4
WITH_RAPID ?= 1
# WITH_RAPID=0 leaves out the optional rapidocr engine (about 100 MB: onnxruntime and its models); its tests then skip.

.PHONY: setup system-deps rapid rapid-install scan test bench clean

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
	@if [ "$(WITH_RAPID)" = 1 ]; then $(MAKE) --no-print-directory rapid-install; fi
	touch $(STAMP)

# The optional rapidocr engine (--engine rapidocr). rapidocr-onnxruntime's wheel asks for opencv-python, the GUI
# build, whose cv2 must not sit beside our opencv-python-headless (both install cv2/): so its other dependencies
# come from the `rapid` extra and the package itself with --no-deps; it runs on the headless cv2. (`pip check`
# then reports the undeclared opencv-python; that is expected.) A failure here (no wheel for this Python or
# platform) leaves a note and the engine's tests skip.
rapid: setup
	@$(BIN)/python -c "import rapidocr_onnxruntime" 2>/dev/null && echo "rapidocr engine: present" \
	  || $(MAKE) --no-print-directory rapid-install

rapid-install:
	@if $(BIN)/python -m pip install -q -e '.[rapid]' && $(BIN)/python -m pip install -q --no-deps '$(RAPIDOCR)'; then \
	  echo "rapidocr engine: installed ($(RAPIDOCR))"; \
	else \
	  echo "note: could not install $(RAPIDOCR); --engine rapidocr is unavailable, the other engines work" >&2; \
	fi
	@if $(BIN)/python -m pip show -q opencv-python >/dev/null 2>&1; then \
	  echo "error: opencv-python (GUI) is installed beside opencv-python-headless; both provide cv2." >&2; \
	  echo "fix: $(BIN)/python -m pip uninstall -y opencv-python && $(BIN)/python -m pip install --force-reinstall --no-deps opencv-python-headless" >&2; \
	  exit 1; \
	fi

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
