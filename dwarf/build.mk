# dwarf/build.mk - layouts read back through pahole (DWARF of a probe, kernel BTF and DWARF),
# included by the top-level Makefile; the kernel header trees and the tests of dwarf/.
DWARF_SRCS := loaders.c probe.c pahole_types.c pahole_run.c pahole_parse.c elf.c kfile.c
DWARF_OBJS := $(addprefix $(B)/dwarf/,$(DWARF_SRCS:.c=.o))
EXTRA_CFLAGS_dwarf/ = -Ibindings
