# bindings/rust/build.mk - the Rust writer (C model -> bindings.rs) and reader (bindings.rs ->
# manifest), and the differential test against bindgen. Uses util/, model/, clang/ (cmodel.h).
RUST_SRCS := $(filter-out %_test.c,$(wildcard bindings/rust/*.c))
RUST_OBJS := $(addprefix $(B)/,$(RUST_SRCS:.c=.o))
EXTRA_CFLAGS_bindings/rust/ := -Ibindings/util -Ibindings/model -Ibindings/clang

RUST_SH_TESTS := bindings/rust/rust_test
TEST_PROGS += $(RUST_SH_TESTS)
ALL_TARGETS += $(RUST_SH_TESTS)
