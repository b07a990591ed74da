# conformance/build.mk - the conformance test programs (atf-c, against the bindings under test:
# kvm_abi.h, conformance/abi.mk): built
# natively next to this Kyuafile, and per guest arch (without sanitizers; arm64 cross-compiled)
# under $(B)/guest/<arch>/ for the vmimages/ guests. Included by the top-level Makefile.
# (lifetime.c: every program dies with its parent and within a wall-time bound, lifetime.h)
CONFORMANCE_LIB := kvm_util.c coverage.c abi_tables.c catalog.c ioctl_check.c ioctl_hooks.c \
	ioctl_hooks_x86_64.c ioctl_hooks_arm64.c guest_x86_64.c guest_arm64.c lifetime.c
CONFORMANCE_PROGS := kvm_basic_test coverage_test catalog_test ioctl_test
# VM-level state and exits (memory slots, dirty log, exits, eventfds, stats)
CONFORMANCE_LIB += vm_util.c guest_progs_vm_x86_64.c guest_progs_vm_arm64.c irqchip_x86_64.c \
	irqchip_arm64.c irqchip_its_arm64.c
CONFORMANCE_PROGS += vm_memslot_test vm_dirtylog_test vm_exit_test vm_eventfd_test vm_stats_test \
	vm_fd_test
# Per-arch additions: x86_64's guest library (guest/x86_64/build.mk) and the programs on it;
# arm64's host side of its guest library (guest/arm64/build.mk: the blobs) and its programs.
CONFORMANCE_LIB_x86_64 := x86_vm.c x86g_blob.c
CONFORMANCE_PROGS_x86_64 := x86_lib_test x86_regs_test x86_fpu_test x86_msr_test x86_cpuid_test \
	x86_debug_test x86_lapic_test x86_irqchip_test x86_clock_test x86_events_test \
	x86_nested_test
CONFORMANCE_LIB_arm64 := arm64_guest.c
CONFORMANCE_PROGS_arm64 := arm64_regs_test arm64_vcpu_test arm64_vgic_test arm64_debug_test
HOST_MACHINE := $(shell uname -m)
NATIVE_ARCH := $(if $(filter x86_64,$(HOST_MACHINE)),x86_64,$(if $(filter aarch64,$(HOST_MACHINE)),arm64))
CONFORMANCE_TESTS := $(addprefix conformance/,$(CONFORMANCE_PROGS) $(CONFORMANCE_PROGS_$(NATIVE_ARCH)))
CONFORMANCE_LIB_OBJS := $(addprefix $(B)/conformance/,$(patsubst %.c,%.o,$(CONFORMANCE_LIB) \
	$(CONFORMANCE_LIB_$(NATIVE_ARCH))))
CONFORMANCE_HDRS := $(wildcard conformance/*.h conformance/guest/*/abi.h conformance/guest/arm64/*.h)
TEST_PROGS += $(CONFORMANCE_TESTS)
# host-only C programs (not built for the guests): lifetime_test, and lifetime_spin, the
# conformance program that never ends which it runs (in no Kyuafile)
CONFORMANCE_HOST_PROGS := conformance/lifetime_test conformance/lifetime_spin
TEST_PROGS += $(CONFORMANCE_HOST_PROGS)
ALL_TARGETS += $(CONFORMANCE_HOST_PROGS)
$(CONFORMANCE_HOST_PROGS): conformance/%: $(B)/conformance/%.o $(CONFORMANCE_LIB_OBJS)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -latf-c
# host-only shell tests (not built for the guests; their Kyuafile lines say "host only")
CONFORMANCE_SH_TESTS := conformance/coverage_report_test
TEST_PROGS += $(CONFORMANCE_SH_TESTS)
ALL_TARGETS += $(CONFORMANCE_SH_TESTS)
conformance/%_test: conformance/%_test.sh
	$(Q)cp $< $@ && chmod +x $@
include conformance/abi.mk
include conformance/guest/x86_64/build.mk
# the host's place in the coverage reports (conformance/coverage-report.sh)
COVERAGE_HOST_ARCH := $(HOST_ABI_ARCH)
ALL_TARGETS += $(CONFORMANCE_TESTS)

$(CONFORMANCE_TESTS): conformance/%_test: $(B)/conformance/%_test.o $(CONFORMANCE_LIB_OBJS)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -latf-c

# Guest builds: the same sources with the project's warnings but no sanitizers, one tree per arch.
# GUEST_CC_<arch>, GUEST_CFLAGS_<arch>, GUEST_LDFLAGS_<arch> pick the compiler and atf-c of each
# arch (vmimages/build.mk points arm64 at a sysroot of Debian's arm64 atf packages and makes the
# objects depend on it).
GUEST_ARCHES := x86_64 arm64
GUEST_CC_x86_64 ?= $(if $(filter x86_64,$(HOST_MACHINE)),$(CC),x86_64-linux-gnu-gcc)
GUEST_CC_arm64 ?= $(if $(filter aarch64,$(HOST_MACHINE)),$(CC),aarch64-linux-gnu-gcc)
GUEST_CFLAGS = $(WARNFLAGS) -O2 -g

define conformance_guest_rules
$(B)/guest/$(1)/conformance/%.o: conformance/%.c $(CONFORMANCE_HDRS) $(B)/abi/$(1)/kvm_abi.h
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo '  CC      $$@')
	$$(Q)$$(GUEST_CC_$(1)) $$(GUEST_CFLAGS) $$(GUEST_CFLAGS_$(1)) -I$(B)/abi/$(1) -c -o $$@ $$<

$(addprefix $(B)/guest/$(1)/conformance/,$(CONFORMANCE_PROGS) $(CONFORMANCE_PROGS_$(1))): \
		$(B)/guest/$(1)/conformance/%_test: $(B)/guest/$(1)/conformance/%_test.o \
		$(addprefix $(B)/guest/$(1)/conformance/,$(patsubst %.c,%.o,$(CONFORMANCE_LIB) $(CONFORMANCE_LIB_$(1))))
	@$$(if $$(Q),echo '  LD      $$@')
	$$(Q)$$(GUEST_CC_$(1)) -o $$@ $$^ $$(GUEST_LDFLAGS_$(1)) -latf-c

# (without the programs marked "-- host only": they build and boot guests themselves)
$(B)/guest/$(1)/conformance/Kyuafile: conformance/Kyuafile
	@mkdir -p $$(dir $$@)
	$$(Q)grep -v -- '-- host only' $$< > $$@

# the arch's ioctl catalog, read at run time next to the programs (atf's srcdir)
$(B)/guest/$(1)/conformance/catalog/$(1).txt: conformance/catalog/$(1).txt
	@mkdir -p $$(dir $$@)
	$$(Q)cp $$< $$@

GUEST_OBJS_$(1) := $(addprefix $(B)/guest/$(1)/conformance/,$(patsubst %.c,%.o,$(CONFORMANCE_LIB) \
	$(CONFORMANCE_LIB_$(1))) $(addsuffix .o,$(CONFORMANCE_PROGS) $(CONFORMANCE_PROGS_$(1))))
GUEST_PROGS_$(1) := $(addprefix $(B)/guest/$(1)/conformance/,$(CONFORMANCE_PROGS) \
	$(CONFORMANCE_PROGS_$(1)) Kyuafile catalog/$(1).txt)
endef
$(foreach a,$(GUEST_ARCHES),$(eval $(call conformance_guest_rules,$(a))))

# Figures, not a test: how long the suite takes on the host and in each guest (conformance/bench.sh).
.PHONY: conformance-bench
CONFORMANCE_BENCH_RUNS ?= 3
conformance-bench: all
	$(Q)$(MAKE) --no-print-directory vmimages
	$(Q)bash conformance/bench.sh $(B) $(CONFORMANCE_BENCH_RUNS) $(GUEST_ARCHES)

# The arm64 guest library and its blobs, linked into the arm64 programs.
include conformance/guest/arm64/build.mk

# One arch's guest build of the programs alone (`kvmgate gate` makes it in a build dir of its own,
# B=..., against the bindings under test, and runs it on /dev/kvm or puts it in the guest image).
$(foreach a,$(GUEST_ARCHES),$(eval .PHONY: conformance-progs-$(a)))
$(foreach a,$(GUEST_ARCHES),$(eval conformance-progs-$(a): $(GUEST_PROGS_$(a))))
