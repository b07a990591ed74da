# conformance/guest/arm64/build.mk - the arm64 guest library and the guest blobs made with it
# (freestanding, linked at GA_CODE_GPA, objcopy'd flat), the header of each blob's symbols, the
# blob as data of the arm64 test programs, and those programs (arm64 only: built under
# $(B)/guest/arm64/, listed in the arm64 guest's Kyuafile only). Included by conformance/build.mk.
GA_SRC := conformance/guest/arm64
GA_OUT := $(B)/guest/arm64/guestcode
GA_TOOL = $(patsubst %gcc,%,$(GUEST_CC_arm64))
GA_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -ffreestanding -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -mgeneral-regs-only -mstrict-align \
	-mbranch-protection=none -I$(GA_SRC)
GA_LIB := start vectors lib
GA_LIB_OBJS := $(addprefix $(GA_OUT)/,$(addsuffix .o,$(GA_LIB)))
GA_HDRS := $(wildcard $(GA_SRC)/*.h)

# One blob per guest program: <name>.c or <name>.S linked with the library.
GA_BLOBS := basic_exit basic_add core sysregs vcpu gic debug

# The arm64-only conformance programs: conformance/<prog>.c with arm64_guest.c and the blobs
# ARM64_BLOBS_<prog>. They are listed in Kyuafile.progs (the arm64 guest's conformance/
# Kyuafile.arm64), and the host's vmimages/guest_arm64_test takes their cases from their sources.
ARM64_PROGS := arm64_regs_test arm64_vcpu_test arm64_vgic_test arm64_debug_test
ARM64_BLOBS_arm64_regs_test := core sysregs
ARM64_BLOBS_arm64_vcpu_test := vcpu
ARM64_BLOBS_arm64_vgic_test := gic
ARM64_BLOBS_arm64_debug_test := debug
GUEST_ONLY_PROGS_arm64 := $(ARM64_PROGS)

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
	$(Q)$(GUEST_CC_arm64) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-T,$(GA_OUT)/guest.lds \
		-o $@ $(filter %.o,$^) -lgcc

$(GA_OUT)/%.bin: $(GA_OUT)/%.elf
	$(Q)$(GA_TOOL)objcopy -O binary $< $@

# <name>_syms.h: the blob's global symbols as <name>_SYM_<symbol> addresses, and the blob's bytes.
$(GA_OUT)/%_syms.h: $(GA_OUT)/%.elf
	$(Q){ echo '/* generated from $< by conformance/guest/arm64/build.mk */'; \
	  echo 'extern const unsigned char $*_blob[], $*_blob_end[];'; \
	  $(GA_TOOL)nm -g --defined-only $< | LC_ALL=C sort -k3 | \
	    awk '{ printf "#define $*_SYM_%s 0x%sULL\n", $$3, $$1 }'; } > $@.tmp && mv $@.tmp $@

$(GA_OUT)/%_blob.o: $(GA_OUT)/%.bin
	$(Q)printf '\t.section .rodata\n\t.balign 16\n\t.global %s_blob, %s_blob_end\n%s_blob:\n\t.incbin "%s"\n%s_blob_end:\n\t.section .note.GNU-stack, "", %%progbits\n' \
	  $* $* $* $< $* | $(GUEST_CC_arm64) -c -x assembler -o $@ -

.PRECIOUS: $(GA_OUT)/%.o $(GA_OUT)/%.elf $(GA_OUT)/%.bin

# guest_arm64.c (kvm_basic_test's arm64 part) runs the basic blobs: every arm64 program links them.
GA_BASIC := $(GA_OUT)/basic_exit_blob.o $(GA_OUT)/basic_add_blob.o
$(B)/guest/arm64/conformance/guest_arm64.o: $(GA_OUT)/basic_exit_syms.h $(GA_OUT)/basic_add_syms.h
$(B)/guest/arm64/conformance/%.o: GUEST_CFLAGS_arm64 += -I$(GA_OUT) -I$(GA_SRC)
$(addprefix $(B)/guest/arm64/conformance/,$(CONFORMANCE_PROGS)): $(GA_BASIC)

GA_CONF := $(B)/guest/arm64/conformance
GA_HOST_OBJS := $(GA_CONF)/arm64_guest.o $(addprefix $(GA_CONF)/,$(CONFORMANCE_LIB:.c=.o)) $(GA_BASIC)
define ga_prog_rules
$(GA_CONF)/$(1).o: $(foreach b,$(ARM64_BLOBS_$(1)),$(GA_OUT)/$(b)_syms.h)
$(GA_CONF)/$(1): $(GA_CONF)/$(1).o $(GA_HOST_OBJS) $(foreach b,$(ARM64_BLOBS_$(1)),$(GA_OUT)/$(b)_blob.o)
	@$$(if $$(Q),echo '  LD      $$@')
	$$(Q)$$(GUEST_CC_arm64) -o $$@ $$^ $$(GUEST_LDFLAGS_arm64) -latf-c
endef
$(foreach p,$(ARM64_PROGS),$(eval $(call ga_prog_rules,$(p))))
GUEST_OBJS_arm64 += $(GA_CONF)/arm64_guest.o $(addprefix $(GA_CONF)/,$(ARM64_PROGS:=.o))

$(GA_CONF)/Kyuafile.arm64: $(GA_SRC)/Kyuafile.progs
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
$(GA_CONF)/arm64_reg_list.txt: conformance/arm64_reg_list.txt
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
GUEST_PROGS_arm64 += $(addprefix $(GA_CONF)/,$(ARM64_PROGS) Kyuafile.arm64 arm64_reg_list.txt)
