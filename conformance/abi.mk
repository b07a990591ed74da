# conformance/abi.mk - the bindings under test, as the C header the conformance programs compile
# against instead of <linux/kvm.h>: $(B)/abi/<arch>/kvm_abi.h (`kvmgate abi`), one per arch; the
# host's programs use the host arch's, each guest build ($(B)/guest/<arch>/) its arch's.
#   make check BINDINGS_x86_64=FILE BINDINGS_arm64=FILE
# FILE is a layout manifest, a headers_install tree, or a bindings.rs (bindgen emits no ioctls:
# those of a .rs file's that it lacks come from the reference). The reference and the default are
# what `kvmgate gen` makes from the installed headers, in $(B)/abi/<arch>/ref/. Included by
# conformance/build.mk; everything that includes the header rebuilds when the bindings change.
ABI_ARCHES := x86_64 arm64
# the generator (a scratch build, B=..., names the tree's: KVMGATE_BIN=$(CURDIR)/kvmgate)
KVMGATE_BIN ?= ./kvmgate
HOST_ABI_ARCH := $(if $(filter aarch64,$(shell uname -m)),arm64,x86_64)
ABI_INSTALLED_x86_64 := /usr/include/linux/kvm.h
ABI_INSTALLED_arm64 := /usr/aarch64-linux-gnu/include/linux/kvm.h
# the files a BINDINGS value is read from (a tree: its kvm.h headers)
abi_inputs = $(if $(1),$(if $(wildcard $(1)/include/linux/kvm.h),$(wildcard $(1)/include/linux/kvm.h $(1)/include/asm/kvm.h),$(1)))

define abi_rules
BINDINGS_$(1) ?=
$(B)/abi/$(1)/ref/layout: $(KVMGATE_BIN) $(ABI_INSTALLED_$(1))
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo '  GEN     $$(dir $$@)')
	$$(Q)$(KVMGATE_BIN) gen --arch $(1) --no-dwarf -o $$(dir $$@) 2> $$(dir $$@)gen.log || \
		{ cat $$(dir $$@)gen.log >&2; exit 1; }

# which bindings: rewritten only when BINDINGS_$(1) changes
$(B)/abi/$(1)/bindings: FORCE
	@mkdir -p $$(dir $$@)
	@echo '$$(BINDINGS_$(1))' | cmp -s - $$@ || echo '$$(BINDINGS_$(1))' > $$@

# rewritten only when its text changes, so that a new kvmgate alone rebuilds nothing
$(B)/abi/$(1)/kvm_abi.h: $(B)/abi/$(1)/bindings $(B)/abi/$(1)/ref/layout \
		$$(call abi_inputs,$$(BINDINGS_$(1))) $(KVMGATE_BIN)
	@$$(if $$(Q),echo '  ABI     $$@ $$(if $$(BINDINGS_$(1)),from $$(BINDINGS_$(1)))')
	$$(Q)if [ -z '$$(BINDINGS_$(1))' ]; then cp $(B)/abi/$(1)/ref/kvm_abi.h $$@.tmp; else \
	  $(KVMGATE_BIN) abi --arch $(1) $$(if $$(filter %.rs,$$(BINDINGS_$(1))),--ioctls $(B)/abi/$(1)/ref/layout) \
	    '$$(BINDINGS_$(1))' -o $$@.tmp; fi
	$$(Q)if cmp -s $$@.tmp $$@; then rm $$@.tmp; else mv $$@.tmp $$@; fi
endef
$(foreach a,$(ABI_ARCHES),$(eval $(call abi_rules,$(a))))

ABI_HEADERS := $(foreach a,$(ABI_ARCHES),$(B)/abi/$(a)/kvm_abi.h)
.PHONY: abi
abi: $(ABI_HEADERS)

# the host's conformance objects
EXTRA_CFLAGS_conformance/ = -I$(B)/abi/$(HOST_ABI_ARCH)
$(patsubst %.c,$(B)/%.o,$(wildcard conformance/*.c)): $(B)/abi/$(HOST_ABI_ARCH)/kvm_abi.h

# the mutation test: wrong bindings fail named live cases (it builds and boots them itself)
conformance/mutation_test: conformance/mutation_test.sh
	$(Q)cp $< $@ && chmod +x $@
TEST_PROGS += conformance/mutation_test
ALL_TARGETS += conformance/mutation_test
