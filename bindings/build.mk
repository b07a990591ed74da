# bindings/build.mk - the layout model, its loaders and writers (libkvmgate), and their tests.
# Included by the top-level Makefile.
BINDINGS_SRCS := $(filter-out %_test.c,$(wildcard bindings/*.c))
# the C header writers (kvm_abi.h)
BINDINGS_SRCS += $(filter-out %_test.c,$(wildcard bindings/c/*.c))
EXTRA_CFLAGS_bindings/c/ = -Ibindings
BINDINGS_OBJS := $(addprefix $(B)/,$(BINDINGS_SRCS:.c=.o))
EXTRA_CFLAGS_bindings/ = $(CLANG_CFLAGS)
KVMGATE_LIBS += $(CLANG_LIBS)

BINDINGS_C_TESTS := bindings/manifest_test
BINDINGS_SH_TESTS := $(patsubst %.sh,%,$(wildcard bindings/*_test.sh))
TEST_PROGS += $(BINDINGS_C_TESTS) $(BINDINGS_SH_TESTS)
ALL_TARGETS += $(BINDINGS_C_TESTS) $(BINDINGS_SH_TESTS)

# The model's unit tests link the model alone (no libclang).
bindings/manifest_test: $(B)/bindings/manifest_test.o $(B)/bindings/manifest.o \
		$(B)/bindings/diff.o $(B)/bindings/allow.o $(B)/bindings/headers.o
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -latf-c

bindings/%_test: bindings/%_test.sh
	$(Q)cp $< $@ && chmod +x $@
