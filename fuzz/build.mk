# fuzz/build.mk - libFuzzer harnesses of every reader of untrusted input (README.md), built with
# clang 19 (-fsanitize=fuzzer,address,undefined) from the same sources as the library, objects
# under $(B)/fuzz/. Included by the top-level Makefile.
#
#   make fuzz FUZZ_SECONDS=N   run each target N seconds (default 60) on a scratch copy of its
#                              seed corpus (fuzz/corpus/<target>/); new crashers land in
#                              $(B)/fuzz/<target>/ (crash-*), the log in $(B)/fuzz/<target>.log
#
# Without clang-19 or libclang-rt-19-dev the harnesses are not built and fuzz_test skips.
FUZZ_CC ?= clang-19
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := fuzz_manifest fuzz_rust fuzz_allow fuzz_pahole fuzz_elf fuzz_kfile fuzz_macro
FUZZ_PROGS := $(addprefix fuzz/,$(FUZZ_TARGETS))
FUZZ_SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-missing-field-initializers \
	-Wno-string-plus-int -Wno-unused-but-set-variable \
	-g -O1 $(FUZZ_SANFLAGS)
# the harnesses are above the library, like kvmgate.c; the library's files keep their own -I
EXTRA_CFLAGS_fuzz/ = $(BINDINGS_INCLUDES) -Idwarf $(CLANG_CFLAGS)
# the library as the readers need it (no libclang: cmodel.c is the C model alone; the text scan,
# the ioctl forms and literal.c call none of it)
FUZZ_LIB_SRCS := $(UTIL_SRCS) $(MODEL_SRCS) $(RUST_SRCS) bindings/clang/cmodel.c \
	bindings/clang/clang_prescan.c bindings/clang/clang_ioctl.c bindings/clang/literal.c \
	$(addprefix dwarf/,$(DWARF_SRCS)) fuzz/fuzz_input.c
FUZZ_LIB_OBJS := $(addprefix $(B)/fuzz/obj/,$(FUZZ_LIB_SRCS:.c=.o))

FUZZ_HAVE := $(shell command -v $(FUZZ_CC) >/dev/null 2>&1 && \
	test -n "$$($(FUZZ_CC) -print-file-name=libclang_rt.fuzzer-x86_64.a | grep /)" && \
	test -f "$$($(FUZZ_CC) -print-file-name=libclang_rt.fuzzer-x86_64.a)" && echo yes)
FUZZ_SH_TESTS := fuzz/fuzz_test
TEST_PROGS += $(FUZZ_SH_TESTS)
ALL_TARGETS += $(FUZZ_SH_TESTS)
ifeq ($(FUZZ_HAVE),yes)
TEST_PROGS += $(FUZZ_PROGS)
ALL_TARGETS += $(FUZZ_PROGS)
endif

fuzz/fuzz_test: fuzz/fuzz_test.sh
	$(Q)cp $< $@ && chmod +x $@

$(B)/fuzz/obj/%.o: %.c $(B)/.flags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  FUZZCC  $<')
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(EXTRA_CFLAGS_$(dir $<)) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

fuzz/fuzz_%: $(B)/fuzz/obj/fuzz/fuzz_%.o $(FUZZ_LIB_OBJS)
	@$(if $(Q),echo '  FUZZLD  $@')
	$(Q)$(FUZZ_CC) $(FUZZ_SANFLAGS) -fsanitize=fuzzer -o $@ $^

.PHONY: fuzz
fuzz: $(FUZZ_PROGS)
	$(Q)sh fuzz/run.sh $(B)/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# the harnesses' own objects are kept (make would delete them as intermediate)
.SECONDARY: $(addprefix $(B)/fuzz/obj/fuzz/,$(FUZZ_TARGETS:=.o)) $(FUZZ_LIB_OBJS)

# Source coverage of what the fuzzers reached: the harnesses rebuilt with clang's coverage
# mapping (no sanitizers), every input of each target's corpus run once, llvm-cov's report on the
# reader's own files (fuzz/coverage.sh).
#   make fuzz-coverage        after `make fuzz` (its corpora in $(B)/fuzz/<target>/corpus)
FUZZ_COV_FLAGS := -fprofile-instr-generate -fcoverage-mapping
FUZZ_COV_LIB_OBJS := $(addprefix $(B)/fuzz/cov/,$(FUZZ_LIB_SRCS:.c=.o))
FUZZ_COV_PROGS := $(addprefix $(B)/fuzz/cov/,$(FUZZ_TARGETS))

$(B)/fuzz/cov/%.o: %.c $(B)/.flags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  COVCC   $<')
	$(Q)$(FUZZ_CC) $(filter-out $(FUZZ_SANFLAGS),$(FUZZ_CFLAGS)) $(EXTRA_CFLAGS_$(dir $<)) \
		-fsanitize=fuzzer-no-link $(FUZZ_COV_FLAGS) -MMD -MP -c -o $@ $<

$(B)/fuzz/cov/fuzz_%: $(B)/fuzz/cov/fuzz/fuzz_%.o $(FUZZ_COV_LIB_OBJS)
	@$(if $(Q),echo '  COVLD   $@')
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_COV_FLAGS) -o $@ $^

.SECONDARY: $(addprefix $(B)/fuzz/cov/fuzz/,$(FUZZ_TARGETS:=.o)) $(FUZZ_COV_LIB_OBJS)
.PHONY: fuzz-coverage
fuzz-coverage: $(FUZZ_COV_PROGS)
	$(Q)sh fuzz/coverage.sh $(B)/fuzz $(FUZZ_TARGETS)
