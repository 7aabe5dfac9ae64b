# Zizhu - student financial aid system.  Plain make; read top to bottom.
#
#   make            build build/zizhu
#   make run        install what is missing, build, demo database, daemon + nginx on 127.0.0.1:$(PORT)
#   make check      install what is missing, build with -Werror, run every test
#   make asan       the same tests under AddressSanitizer + UBSan (build-asan/)
#   make bench      a city-sized database and the performance figures (README)
#   make soak       mixed load for SOAK_SECONDS (default 600): no 5xx, flat memory
#   make clean

PORT    ?= 8080
BUILD   ?= build
CC      ?= cc
PKGS    := sqlite3 jansson libsodium libcmark libzip expat xlsxwriter
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla -Wno-unused-parameter
ZCFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  := -lfcgi $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(EXTRA_LDFLAGS)

# Every .c under src/ except main.c goes into one archive that the daemon
# and the unit tests link against.
LIB_SRC   := $(sort $(filter-out src/main.c,$(wildcard src/*/*.c)))
LIB_OBJ   := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/migrations.o
SQL       := $(sort $(wildcard sql/[0-9][0-9][0-9]_*.sql))
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps run check unit e2e soak asan fuzz fuzz-short bench clean

all: $(BUILD)/zizhu

deps:
	@deploy/install-deps.sh

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ZCFLAGS) -MMD -MP -c -o $@ $<

# The schema files are compiled into the binary: it knows the version it expects.
$(BUILD)/gen/migrations.c: $(SQL) src/db/gen-migrations.sh
	@mkdir -p $(dir $@)
	src/db/gen-migrations.sh $(SQL) > $@

$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(ZCFLAGS) -c -o $@ $<

$(BUILD)/libzizhu.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/zizhu: src/main.c $(BUILD)/libzizhu.a
	$(CC) $(ZCFLAGS) -o $@ $< $(BUILD)/libzizhu.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/test.h $(BUILD)/libzizhu.a
	@mkdir -p $(dir $@)
	$(CC) $(ZCFLAGS) -Itests/unit -o $@ $< $(BUILD)/libzizhu.a $(LDLIBS)

run: deps all
	@PORT=$(PORT) BUILD=$(BUILD) deploy/run.sh

unit: $(TEST_BIN)
	@tests/run-unit.sh $(TEST_BIN)

e2e: all
	@BUILD=$(BUILD) tests/run-e2e.sh

# The soak test alone, longer than the two minutes it runs in `make check`.
SOAK_SECONDS ?= 600
soak: all
	@SOAK_SECONDS=$(SOAK_SECONDS) E2E_ONLY=240-soak BUILD=$(BUILD) tests/run-e2e.sh

check: deps
	@$(MAKE) --no-print-directory all $(TEST_BIN) $(FUZZERS:%=$(FUZZ_BUILD)/fuzz_%)
	@BUILD=$(BUILD) FUZZ_BUILD=$(FUZZ_BUILD) FUZZERS="$(FUZZERS)" tests/run-all.sh $(TEST_BIN)

asan:
	@ZIZHU_DEPS_EXTRA="clang libclang-rt-14-dev valgrind" deploy/install-deps.sh
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" check

# The benchmarks: BENCH_SCALE students (default 1000000), wrk against the
# real stack; the table goes to build/bench/results.md (tests/bench/run.sh).
bench:
	@ZIZHU_DEPS_EXTRA="wrk" deploy/install-deps.sh
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) tests/bench/run.sh

# libFuzzer harnesses (clang): every parser of outside input. `make fuzz`
# runs each for FUZZ_SECONDS; `make check` runs each briefly from the corpus
# kept in tests/fuzz/corpus/ (new inputs go to a scratch folder).
FUZZERS      := parse sheet misc tmpl
FUZZ_SECONDS ?= 600
FUZZ_BUILD   := build-fuzz
FUZZ_FLAGS   := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c FORCE
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang CFLAGS="$(FUZZ_FLAGS)" $(FUZZ_BUILD)/libzizhu.a
	@echo "  FUZZ    $@"
	@clang -std=c11 -D_GNU_SOURCE -Isrc $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libzizhu.a $(LDLIBS)

fuzz: $(FUZZERS:%=$(FUZZ_BUILD)/fuzz_%)
	@for f in $(FUZZERS); do mkdir -p $(FUZZ_BUILD)/new-$$f; \
		$(FUZZ_BUILD)/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 $(FUZZ_BUILD)/new-$$f tests/fuzz/corpus/$$f \
			$$([ $$f = tmpl ] && echo templates) || exit 1; done

fuzz-short: $(FUZZERS:%=$(FUZZ_BUILD)/fuzz_%)
	@tests/run-fuzz.sh $(FUZZ_BUILD) $(FUZZERS)

FORCE:

clean:
	rm -rf build build-asan build-fuzz

-include $(LIB_OBJ:.o=.d)
