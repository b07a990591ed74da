# conformance/guest/x86_64/build.mk - the x86_64 guest library: freestanding C and assembly built
# by the x86_64 compiler into guest.elf (linked at X86G_BASE by guest.ld), made a flat image
# (objcopy -O binary) that conformance/x86g_blob.c links into the test programs as data, and
# x86g_syms.h (every global symbol's guest address, X86G_SYM_<name>) for the host code. One build
# serves the native programs and the x86_64 guest's. Included by conformance/build.mk.
X86G_SRCDIR := conformance/guest/x86_64
X86G_DIR := $(B)/conformance/x86g
X86G_SRCS := $(wildcard $(X86G_SRCDIR)/*.c $(X86G_SRCDIR)/*.S)
X86G_OBJS := $(patsubst $(X86G_SRCDIR)/%,$(X86G_DIR)/%.o,$(X86G_SRCS))
X86G_HDRS := $(wildcard $(X86G_SRCDIR)/*.h)
X86G_SYMS := $(X86G_DIR)/x86g_syms.h
X86G_BIN := $(X86G_DIR)/guest.bin
X86G_TOOLS = $(if $(filter x86_64,$(HOST_MACHINE)),,x86_64-linux-gnu-)
X86G_CC = $(GUEST_CC_x86_64)
X86G_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin -fno-pic \
	-fno-pie -mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fcf-protection=none -fno-tree-loop-distribute-patterns \
	-fno-jump-tables
X86G_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(X86G_SRCDIR)/guest.ld -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=4096

$(X86G_DIR)/%.o: $(X86G_SRCDIR)/% $(X86G_HDRS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $@')
	$(Q)$(X86G_CC) $(X86G_CFLAGS) -c -o $@ $<

$(X86G_DIR)/guest.elf: $(X86G_OBJS) $(X86G_SRCDIR)/guest.ld
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(X86G_CC) $(X86G_CFLAGS) $(X86G_LDFLAGS) -o $@ $(X86G_OBJS)

$(X86G_BIN): $(X86G_DIR)/guest.elf
	$(Q)$(X86G_TOOLS)objcopy -O binary $< $@

$(X86G_SYMS): $(X86G_DIR)/guest.elf $(X86G_BIN)
	$(Q){ echo '/* generated from $< by $(X86G_SRCDIR)/build.mk: guest addresses */'; \
	  echo '#define X86G_BIN_PATH "$(abspath $(X86G_BIN))"'; \
	  echo "#define X86G_BIN_SIZE $$(stat -c %s $(X86G_BIN))"; \
	  $(X86G_TOOLS)nm $< | awk '$$2 ~ /^[TDBR]$$/ { printf "#define X86G_SYM_%s 0x%sULL\n", $$3, $$1 }'; \
	} > $@.tmp && mv $@.tmp $@

# Host objects that use the guest library: the native ones and the x86_64 guest's.
X86G_USERS := guest_x86_64 x86g_blob x86_vm $(patsubst %.c,%,$(notdir $(wildcard conformance/x86_*.c)))
$(foreach u,$(X86G_USERS),$(B)/conformance/$(u).o $(B)/guest/x86_64/conformance/$(u).o): $(X86G_SYMS)
EXTRA_CFLAGS_conformance/ += -I$(X86G_DIR)
GUEST_CFLAGS_x86_64 += -I$(abspath $(X86G_DIR))
