# bindings/util/build.mk - the utility layer (README.md): processes, temporary directories, hash
# set, growable arrays and strings, files, error lines, timings. Uses nothing of the project.
UTIL_SRCS := $(filter-out %_test.c,$(wildcard bindings/util/*.c))
UTIL_OBJS := $(addprefix $(B)/,$(UTIL_SRCS:.c=.o))
EXTRA_CFLAGS_bindings/util/ :=

UTIL_C_TESTS := bindings/util/util_test
TEST_PROGS += $(UTIL_C_TESTS)
ALL_TARGETS += $(UTIL_C_TESTS)
bindings/util/util_test: $(B)/bindings/util/util_test.o $(UTIL_OBJS)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -latf-c
