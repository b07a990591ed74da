# bindings/clang/build.mk - UAPI headers -> C model (libclang) -> manifest. Uses util/, model/.
CLANG_SRCS := $(filter-out %_test.c,$(wildcard bindings/clang/*.c))
CLANG_OBJS := $(addprefix $(B)/,$(CLANG_SRCS:.c=.o))
# libclang is dlopen'ed by clang_dl.c (see there), by its soname in llvm-config's libdir: not linked
EXTRA_CFLAGS_bindings/clang/ = $(CLANG_CFLAGS) -DKVMGATE_LIBCLANG='"$(CLANG_SONAME)"' \
	-pthread -Ibindings/util -Ibindings/model
KVMGATE_LIBS += -ldl -pthread

# The unit test of literal typing links literal.o alone (no libclang).
CLANG_C_TESTS := bindings/clang/literal_test
TEST_PROGS += $(CLANG_C_TESTS)
ALL_TARGETS += $(CLANG_C_TESTS)
bindings/clang/literal_test: $(B)/bindings/clang/literal_test.o $(B)/bindings/clang/literal.o
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -latf-c
