# bindings/clang/build.mk - UAPI headers -> C model (libclang) -> manifest. Uses util/, model/.
CLANG_SRCS := $(filter-out %_test.c,$(wildcard bindings/clang/*.c))
CLANG_OBJS := $(addprefix $(B)/,$(CLANG_SRCS:.c=.o))
EXTRA_CFLAGS_bindings/clang/ = $(CLANG_CFLAGS) -Ibindings/util -Ibindings/model
KVMGATE_LIBS += $(CLANG_LIBS)
