# bindings/build.mk - the layout model, its loaders and writers (libkvmgate), and their tests.
BINDINGS_SRCS := $(filter-out %_test.c,$(wildcard bindings/*.c))
BINDINGS_OBJS := $(addprefix $(B)/,$(BINDINGS_SRCS:.c=.o))
EXTRA_CFLAGS_bindings/ = $(CLANG_CFLAGS)
KVMGATE_LIBS += $(CLANG_LIBS)

BINDINGS_TESTS := bindings/manifest_test bindings/cli_test
TEST_PROGS += $(BINDINGS_TESTS)
ALL_TARGETS += $(BINDINGS_TESTS)

bindings/%_test: bindings/%_test.sh
	$(Q)cp $< $@ && chmod +x $@
