# The two set-up commands of the README:
#   make demo   installs the Debian packages, builds, runs the main job on the built-in default
#   make test   installs, builds, runs the whole test suite (plain and ASan+UBSan builds)
# Everything real happens in CMake; this file only chains the steps.
JOBS ?= $(shell nproc)

.PHONY: deps build demo test test-plain test-sanitize bench clean

deps:
	@scripts/install-deps

build: deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGAPKIT_WERROR=ON >/dev/null
	cmake --build build -j $(JOBS)

demo: build
	./build/gapkit demo

test-plain: build
	ctest --test-dir build --output-on-failure -j $(JOBS)

test-sanitize: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGAPKIT_SANITIZE=ON -DGAPKIT_WERROR=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build-asan --output-on-failure -j $(JOBS)

test: test-plain test-sanitize

bench: build
	GAPKIT_BENCH_DEPS=1 scripts/install-deps
	/usr/bin/python3 bench/comet_fit.py --gapkit build/gapkit

clean:
	rm -rf build build-asan
