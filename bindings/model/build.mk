# bindings/model/build.mk - the layout manifest, its text form, diff and allow files, the arch
# table; its unit tests link the model alone (no libclang). Uses util/.
MODEL_SRCS := $(filter-out %_test.c,$(wildcard bindings/model/*.c))
MODEL_OBJS := $(addprefix $(B)/,$(MODEL_SRCS:.c=.o))
EXTRA_CFLAGS_bindings/model/ := -Ibindings/util

MODEL_SH_TESTS := bindings/model/diff_test
TEST_PROGS += $(MODEL_SH_TESTS)
ALL_TARGETS += $(MODEL_SH_TESTS)

MODEL_C_TESTS := bindings/model/manifest_test
TEST_PROGS += $(MODEL_C_TESTS)
ALL_TARGETS += $(MODEL_C_TESTS)

bindings/model/manifest_test: $(B)/bindings/model/manifest_test.o $(MODEL_OBJS) $(UTIL_OBJS)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -latf-c
