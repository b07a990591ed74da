# bindings/c/build.mk - the C header writers (manifest -> layout.h for the compiler check and
# conformance/), and the test of the layouts against the target compilers. Uses util/, model/.
C_SRCS := $(filter-out %_test.c,$(wildcard bindings/c/*.c))
C_OBJS := $(addprefix $(B)/,$(C_SRCS:.c=.o))
EXTRA_CFLAGS_bindings/c/ := -Ibindings/util -Ibindings/model

C_SH_TESTS := bindings/c/compiler_test bindings/c/abi_test
TEST_PROGS += $(C_SH_TESTS)
ALL_TARGETS += $(C_SH_TESTS)
