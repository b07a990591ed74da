# conformance/guest/arm64/build.mk - the arm64 guest library and the guest blobs made with it
# (freestanding, linked at GA_CODE_GPA, objcopy'd flat), the header of each blob's symbols, and the
# blob as data of the programs that run it: kvm_basic_test's arm64 part (guest_arm64.c) and the
# arm64 programs (conformance/build.mk's CONFORMANCE_PROGS_arm64, ARM64_BLOBS_<prog> below), in
# the arm64 guest's build and, on an arm64 host, the native one. Included by conformance/build.mk.
GA_SRC := conformance/guest/arm64
GA_OUT := $(B)/guest/arm64/guestcode
GA_TOOL = $(patsubst %gcc,%,$(GUEST_CC_arm64))
GA_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -mgeneral-regs-only -mstrict-align \
	-mbranch-protection=none -I$(GA_SRC)
GA_LIB := start vectors lib
GA_LIB_OBJS := $(addprefix $(GA_OUT)/,$(addsuffix .o,$(GA_LIB)))
GA_HDRS := $(wildcard $(GA_SRC)/*.h)

# One blob per guest program: <name>.c or <name>.S linked with the library; the blobs each arm64
# program links.
GA_BLOBS := basic_exit basic_add core sysregs vcpu gic debug
ARM64_BLOBS_arm64_regs_test := core sysregs
ARM64_BLOBS_arm64_vcpu_test := vcpu
ARM64_BLOBS_arm64_vgic_test := gic
ARM64_BLOBS_arm64_debug_test := debug

$(GA_OUT)/%.o: $(GA_SRC)/%.c $(GA_HDRS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $@')
	$(Q)$(GUEST_CC_arm64) $(GA_CFLAGS) -c -o $@ $<

$(GA_OUT)/%.o: $(GA_SRC)/%.S $(GA_HDRS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  AS      $@')
	$(Q)$(GUEST_CC_arm64) $(GA_CFLAGS) -c -o $@ $<

$(GA_OUT)/guest.lds: $(GA_SRC)/guest.lds.S $(GA_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_CC_arm64) -E -P -x c -D__ASSEMBLER__ -I$(GA_SRC) -o $@ $<

$(GA_OUT)/%.elf: $(GA_OUT)/%.o $(GA_LIB_OBJS) $(GA_OUT)/guest.lds
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(GUEST_CC_arm64) -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments -Wl,-T,$(GA_OUT)/guest.lds -o $@ $(filter %.o,$^) -lgcc

$(GA_OUT)/%.bin: $(GA_OUT)/%.elf
	$(Q)$(GA_TOOL)objcopy -O binary $< $@

# <name>_syms.h: the blob's global symbols as <name>_SYM_<symbol> addresses, and the blob's bytes.
$(GA_OUT)/%_syms.h: $(GA_OUT)/%.elf
	$(Q){ echo '/* generated from $< by conformance/guest/arm64/build.mk */'; \
	  echo 'extern const unsigned char $*_blob[], $*_blob_end[];'; \
	  $(GA_TOOL)nm -g --defined-only $< | LC_ALL=C sort -k3 | \
	    awk '{ printf "#define $*_SYM_%s 0x%sULL\n", $$3, $$1 }'; } > $@.tmp && mv $@.tmp $@

$(GA_OUT)/%_blob.o: $(GA_OUT)/%.bin
	$(Q)printf '%s\n' '.section .rodata' '.balign 16' '.global $*_blob, $*_blob_end' '$*_blob:' \
	  '.incbin "$<"' '$*_blob_end:' '.section .note.GNU-stack, "", %progbits' | \
	  $(GUEST_CC_arm64) -c -x assembler -o $@ -

.PRECIOUS: $(GA_OUT)/%.o $(GA_OUT)/%.elf $(GA_OUT)/%.bin

# ga_users DIR PROGDIR: the objects and programs of one build (the arm64 guest's, or the native
# one on an arm64 host) get the blob headers and objects: every program links guest_arm64.o and so
# the basic blobs, an arm64 program its own too.
GA_BASIC := $(GA_OUT)/basic_exit_blob.o $(GA_OUT)/basic_add_blob.o
define ga_prog
$(1)/$(3).o: $(foreach b,$(ARM64_BLOBS_$(3)),$(GA_OUT)/$(b)_syms.h)
$(2)/$(3): $(foreach b,$(ARM64_BLOBS_$(3)),$(GA_OUT)/$(b)_blob.o)
endef
define ga_users
$(1)/guest_arm64.o: $(GA_OUT)/basic_exit_syms.h $(GA_OUT)/basic_add_syms.h
$(addprefix $(2)/,$(CONFORMANCE_PROGS) $(CONFORMANCE_PROGS_arm64)): $(GA_BASIC)
$(foreach p,$(CONFORMANCE_PROGS_arm64),$(eval $(call ga_prog,$(1),$(2),$(p))))
endef
$(eval $(call ga_users,$(B)/guest/arm64/conformance,$(B)/guest/arm64/conformance))
$(B)/guest/arm64/conformance/%.o: GUEST_CFLAGS_arm64 += -I$(GA_OUT) -I$(GA_SRC)
ifeq ($(NATIVE_ARCH),arm64)
$(eval $(call ga_users,$(B)/conformance,conformance))
EXTRA_CFLAGS_conformance/ += -I$(GA_OUT) -I$(GA_SRC)
endif

# KVM_GET_REG_LIST's rules (arm64_regs_test:reg_list), read next to the programs (atf's srcdir).
$(B)/guest/arm64/conformance/arm64_reg_list.txt: conformance/arm64_reg_list.txt
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
GUEST_PROGS_arm64 += $(B)/guest/arm64/conformance/arm64_reg_list.txt
