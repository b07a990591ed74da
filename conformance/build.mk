# conformance/build.mk - the conformance test programs (atf-c, against the bindings under test:
# kvm_abi.h, conformance/abi.mk): built
# natively next to this Kyuafile, and per guest arch (without sanitizers; arm64 cross-compiled)
# under $(B)/guest/<arch>/ for the vmimages/ guests. Included by the top-level Makefile.
CONFORMANCE_LIB := kvm_util.c guest_x86_64.c guest_arm64.c
CONFORMANCE_PROGS := kvm_basic_test
CONFORMANCE_TESTS := $(addprefix conformance/,$(CONFORMANCE_PROGS))
CONFORMANCE_LIB_OBJS := $(addprefix $(B)/conformance/,$(CONFORMANCE_LIB:.c=.o))
CONFORMANCE_HDRS := $(wildcard conformance/*.h)
TEST_PROGS += $(CONFORMANCE_TESTS)
include conformance/abi.mk
ALL_TARGETS += $(CONFORMANCE_TESTS)

$(CONFORMANCE_TESTS): conformance/%_test: $(B)/conformance/%_test.o $(CONFORMANCE_LIB_OBJS)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -latf-c

# Guest builds: the same sources with the project's warnings but no sanitizers, one tree per arch.
# GUEST_CC_<arch>, GUEST_CFLAGS_<arch>, GUEST_LDFLAGS_<arch> pick the compiler and atf-c of each
# arch (vmimages/build.mk points arm64 at a sysroot of Debian's arm64 atf packages and makes the
# objects depend on it).
GUEST_ARCHES := x86_64 arm64
HOST_MACHINE := $(shell uname -m)
GUEST_CC_x86_64 ?= $(if $(filter x86_64,$(HOST_MACHINE)),$(CC),x86_64-linux-gnu-gcc)
GUEST_CC_arm64 ?= $(if $(filter aarch64,$(HOST_MACHINE)),$(CC),aarch64-linux-gnu-gcc)
GUEST_CFLAGS = $(WARNFLAGS) -O2 -g

define conformance_guest_rules
$(B)/guest/$(1)/conformance/%.o: conformance/%.c $(CONFORMANCE_HDRS) $(B)/abi/$(1)/kvm_abi.h
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo '  CC      $$@')
	$$(Q)$$(GUEST_CC_$(1)) $$(GUEST_CFLAGS) $$(GUEST_CFLAGS_$(1)) -I$(B)/abi/$(1) -c -o $$@ $$<

$(addprefix $(B)/guest/$(1)/conformance/,$(CONFORMANCE_PROGS)): \
		$(B)/guest/$(1)/conformance/%_test: $(B)/guest/$(1)/conformance/%_test.o \
		$(addprefix $(B)/guest/$(1)/conformance/,$(CONFORMANCE_LIB:.c=.o))
	@$$(if $$(Q),echo '  LD      $$@')
	$$(Q)$$(GUEST_CC_$(1)) -o $$@ $$^ $$(GUEST_LDFLAGS_$(1)) -latf-c

# (without the programs marked "-- host only": they build and boot guests themselves)
$(B)/guest/$(1)/conformance/Kyuafile: conformance/Kyuafile
	@mkdir -p $$(dir $$@)
	$$(Q)grep -v -e '-- host only' $$< > $$@

GUEST_OBJS_$(1) := $(addprefix $(B)/guest/$(1)/conformance/,$(CONFORMANCE_LIB:.c=.o) \
	$(addsuffix .o,$(CONFORMANCE_PROGS)))
GUEST_PROGS_$(1) := $(addprefix $(B)/guest/$(1)/conformance/,$(CONFORMANCE_PROGS) Kyuafile)
endef
$(foreach a,$(GUEST_ARCHES),$(eval $(call conformance_guest_rules,$(a))))
