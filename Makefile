# Makefile - top level of kvmgate: builds the kvmgate command and every test program, runs the
# suite through kyua, installs, and installs the Debian packages the project needs.
#
#   make                 build ./kvmgate and the test programs (objects under $(B)/)
#   make check           kyua test on the top-level Kyuafile (JUnit XML in $(B)/junit.xml), then
#                        the coverage totals of each place (reports in $(B)/coverage/)
#   make SANITIZE=1 check   the same under ASan+UBSan
#   make check BINDINGS_x86_64=FILE BINDINGS_arm64=FILE   conformance on given bindings (a manifest,
#                        a headers tree or a bindings.rs; conformance/abi.mk)
#   make fuzz FUZZ_SECONDS=N   each libFuzzer harness of fuzz/ for N seconds (fuzz/README.md)
#   make gate            the main job: kvmgate gate on the default inputs (report in $(B)/gate/)
#   make gate-bench      the gate's wall time and each stage's share, both guests (figures)
#   make bindings LINUX=SRC VERSIONS="v6.1 v6.12" ARCHES="x86_64 arm64" OUT=DIR   kvm-bindings'
#                        update: every version x arch proved, laid out as the crate (bindings/update/)
#   make deps            apt-get install every package listed in */deps.txt (idempotent, root)
#   make vmimages        the guest images; vmimages-run boots them; vmimages-bench times them
#   make kernel-headers  headers_install trees of linux-source 6.1 and 6.12; dwarf-bench
#   make install         PREFIX=/usr/local, DESTDIR honoured
#   V=1                  show the commands

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
B ?= build
CC ?= cc
CFLAGS ?= -O2 -g
LDFLAGS ?=
LLVM_CONFIG ?= llvm-config-19
KYUA ?= kyua
# Downloads and generated trees, outside the source tree; kyua gives each test its own HOME,
# so the suite gets the cache through the environment.
KVMGATE_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/kvmgate
export KVMGATE_CACHE

ifeq ($(V),1)
Q :=
else
Q := @
endif

WARNFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-missing-field-initializers
ifeq ($(SANITIZE),1)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
export LSAN_OPTIONS := suppressions=$(CURDIR)/bindings/lsan.supp:print_suppressions=0
export KVMGATE_SANITIZED := 1
endif
ALL_CFLAGS = $(WARNFLAGS) $(CFLAGS) $(SANFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

# libclang, through llvm-config (only when a target needs it, so `make deps` works without it)
LLVM_INCDIR = $(shell $(LLVM_CONFIG) --includedir 2>/dev/null)
LLVM_LIBDIR = $(shell $(LLVM_CONFIG) --libdir 2>/dev/null)
CLANG_CFLAGS = -I$(LLVM_INCDIR)
# the file the dynamic loader would load for -lclang (libclang1-19's, not the -dev symlink)
CLANG_SONAME = $(LLVM_LIBDIR)/$(shell objdump -p $(LLVM_LIBDIR)/libclang.so 2>/dev/null | \
	sed -n 's/^ *SONAME *//p')

.PHONY: all check gate clean install deps FORCE
all:

# Rebuild everything when the flags change (e.g. SANITIZE=1).
$(B)/.flags: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@

$(B)/%.o: %.c $(B)/.flags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $<')
	$(Q)$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS_$(dir $<)) -c -o $@ $<

include bindings/build.mk
include dwarf/build.mk
include fuzz/build.mk
include conformance/build.mk
include vmimages/build.mk

check: all
	$(Q)mkdir -p $(B)
	$(Q)rm -f $(B)/results.db
	$(Q)rm -rf $(B)/coverage && mkdir -p $(B)/coverage/host-$(COVERAGE_HOST_ARCH)
	$(Q)KVMGATE_COVERAGE_DIR=$(CURDIR)/$(B)/coverage/host-$(COVERAGE_HOST_ARCH) \
	  $(KYUA) test --kyuafile=Kyuafile --results-file=$(B)/results.db; rc=$$?; \
	  $(KYUA) report --results-file=$(B)/results.db --verbose --results-filter=skipped,xfail,broken,failed \
	    > $(B)/report.txt 2>&1; \
	  $(KYUA) report-junit --results-file=$(B)/results.db --output=$(B)/junit.xml; \
	  $(KYUA) report --results-file=$(B)/results.db --results-filter=skipped,broken,failed | \
	    sed -n '/^===> \(Skipped\|Broken\|Failed\)/,/^===> Summary/p' | sed '$$d'; \
	  $(KYUA) report --results-file=$(B)/results.db | awk '/^Test cases:/ { \
	    gsub(",", ""); total=$$3; skip=$$5; xfail=$$7; broken=$$10; failed=$$12; \
	    printf "kvmgate check: %d passed, %d failed, %d skipped\n", total-skip-xfail-broken-failed, broken+failed, skip }'; \
	  echo "kvmgate check: details in $(B)/report.txt, JUnit XML in $(B)/junit.xml"; \
	  sh conformance/coverage-report.sh $(B) || rc=1; \
	  echo "kvmgate check: coverage reports in $(B)/coverage/"; \
	  exit $$rc

# The main job: `kvmgate gate` on the default inputs (bindings/gate/README.md says what it checks).
gate: all
	$(Q)./kvmgate gate -o $(CURDIR)/$(B)/gate

# Figures, not a test: the gate's wall time and each stage's share (bindings/gate/bench.sh).
.PHONY: gate-bench
gate-bench: all
	$(Q)sh bindings/gate/bench.sh $(CURDIR)/$(B)/gate-bench 2

install: all
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 kvmgate $(DESTDIR)$(BINDIR)/kvmgate

deps:
	$(Q)./deps.sh $(wildcard */deps.txt)

clean: $(CLEAN_TARGETS)
	rm -rf $(B) kvmgate $(TEST_PROGS)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# The command: a thin front end over bindings/ and dwarf/.
EXTRA_CFLAGS_./ = $(BINDINGS_INCLUDES) -Idwarf
ALL_TARGETS += kvmgate
kvmgate: $(B)/kvmgate.o $(BINDINGS_OBJS) $(DWARF_OBJS)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(KVMGATE_LIBS)

all: $(ALL_TARGETS)
