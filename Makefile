# The two set-up commands of the README:
#   make demo   installs the Debian packages, builds, runs the main job on the built-in default
#               (gapkit demo, then gapkit analyze writing build/report/report.html)
#   make test   installs, builds, runs the whole test suite: plain build, ASan+UBSan build,
#               and every libFuzzer target for FUZZ_SECONDS
# Everything real happens in CMake; this file only chains the steps.
JOBS ?= $(shell nproc)

.PHONY: deps build demo test test-plain test-sanitize fuzz-smoke bench clean

deps:
	@scripts/install-deps

build: deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGAPKIT_WERROR=ON >/dev/null
	cmake --build build -j $(JOBS)

demo: build
	./build/gapkit demo
	./build/gapkit analyze --out build/report

test-plain: build
	ctest --test-dir build --output-on-failure -j $(JOBS)

test-sanitize: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGAPKIT_SANITIZE=ON -DGAPKIT_WERROR=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build-asan --output-on-failure -j $(JOBS)

test: test-plain test-sanitize fuzz-smoke

# Every libFuzzer target of tests/fuzz for FUZZ_SECONDS each (clang, ASan+UBSan,
# in build-fuzz); any crash, leak, hang or failed invariant fails.
FUZZ_SECONDS ?= 20
fuzz-smoke: deps
	tests/fuzz/run $(FUZZ_SECONDS)

bench: build
	GAPKIT_BENCH_DEPS=1 scripts/install-deps
	/usr/bin/python3 bench/comet_fit.py --gapkit build/gapkit
	/usr/bin/python3 bench/knn.py --gapkit build/gapkit
	/usr/bin/python3 bench/kmeans.py --gapkit build/gapkit
	/usr/bin/python3 bench/retrieval.py --gapkit build/gapkit
	/usr/bin/python3 bench/python_overhead.py --gapkit build/gapkit

clean:
	rm -rf build build-asan build-fuzz
