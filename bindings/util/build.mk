# bindings/util/build.mk - the utility layer: growable strings, phase timings. Uses nothing of
# the project.
UTIL_SRCS := $(filter-out %_test.c,$(wildcard bindings/util/*.c))
UTIL_OBJS := $(addprefix $(B)/,$(UTIL_SRCS:.c=.o))
EXTRA_CFLAGS_bindings/util/ :=
