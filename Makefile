# tfmc: the two commands a fresh machine needs are `make demo` and
# `make check`; both install what is missing first.

BUILD_DIR ?= build
BUILD_TYPE ?= Release
CMAKE ?= cmake

.PHONY: all deps configure build demo check bench docs format clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  $(CMAKE) -G Ninja -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE); \
	fi

build: configure
	@$(CMAKE) --build $(BUILD_DIR)

# Main job on the bundled default model: compile the small GPT-2-style
# decoder in examples/models to an executable, run it, check it against
# ONNX Runtime.
demo: build
	@bash scripts/demo.sh $(BUILD_DIR)

# Every test suite (lit + unit); ends with "N passed, N failed".
check: build
	@bash scripts/run-tests.sh $(BUILD_DIR)

# tfmc against ONNX Runtime on BERT-base, MiniLM-L6 and GPT-2 small.
bench: build
	@bash bench/run.sh

# Regenerates the op and pass reference in docs/reference/ from ODS.
docs: build
	@$(CMAKE) --build $(BUILD_DIR) --target tfm-doc
	@cp $(BUILD_DIR)/docs/TfmDialect.md $(BUILD_DIR)/docs/TfmPasses.md \
	  $(BUILD_DIR)/docs/TfmConversionPasses.md \
	  $(BUILD_DIR)/docs/TfmCodegenPasses.md docs/reference/
	@echo "docs/reference/ updated"

format:
	@git ls-files '*.cpp' '*.h' '*.c' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
