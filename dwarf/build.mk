# dwarf/build.mk - layouts read back through pahole (DWARF of a probe, kernel BTF and DWARF),
# included by the top-level Makefile; the kernel header trees and the tests of dwarf/.
#
#   make kernel-headers   headers_install trees of linux-source-6.1 and 6.12, both arches, in
#                         ${KVMGATE_CACHE:-~/.cache/kvmgate}/headers (the tests build them too)
#   make dwarf-bench      the time of each dump (pahole on BTF, vmlinuz, modules, the probe)
DWARF_SRCS := loaders.c probe.c pahole_types.c pahole_run.c pahole_parse.c elf.c kfile.c
DWARF_OBJS := $(addprefix $(B)/dwarf/,$(DWARF_SRCS:.c=.o))
EXTRA_CFLAGS_dwarf/ = -Ibindings/util -Ibindings/model

DWARF_TESTS := $(patsubst %.sh,%,$(filter-out dwarf/common.sh dwarf/kernel-headers.sh \
	dwarf/bench.sh,$(wildcard dwarf/*_test.sh)))
TEST_PROGS += $(DWARF_TESTS)
ALL_TARGETS += $(DWARF_TESTS)

dwarf/%_test: dwarf/%_test.sh
	$(Q)cp $< $@ && chmod +x $@

KERNEL_HEADER_VERSIONS ?= 6.1 6.12
.PHONY: kernel-headers dwarf-bench
kernel-headers:
	$(Q)for v in $(KERNEL_HEADER_VERSIONS); do for a in x86_64 arm64 riscv64; do \
	  dwarf/kernel-headers.sh $$v $$a || exit 2; done; done

dwarf-bench: kvmgate
	$(Q)dwarf/bench.sh ./kvmgate

# The unit test of the pahole output parser links the parser and the model alone.
DWARF_C_TESTS := dwarf/pahole_parse_test
TEST_PROGS += $(DWARF_C_TESTS)
ALL_TARGETS += $(DWARF_C_TESTS)
dwarf/pahole_parse_test: $(B)/dwarf/pahole_parse_test.o $(B)/dwarf/pahole_parse.o $(MODEL_OBJS) \
		$(UTIL_OBJS)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -latf-c
