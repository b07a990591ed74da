# bindings/rust/build.mk - the Rust writer (C model -> bindings.rs) and reader (bindings.rs ->
# manifest), and the differential test against bindgen. Uses util/, model/, clang/ (cmodel.h).
RUST_SRCS := $(filter-out %_test.c,$(wildcard bindings/rust/*.c))
RUST_OBJS := $(addprefix $(B)/,$(RUST_SRCS:.c=.o))
EXTRA_CFLAGS_bindings/rust/ := -Ibindings/util -Ibindings/model -Ibindings/clang

RUST_SH_TESTS := bindings/rust/rust_test
TEST_PROGS += $(RUST_SH_TESTS)
ALL_TARGETS += $(RUST_SH_TESTS)

# Unit tests on canned inputs: the bitfield units (rust_bitfield.o and the C model), and the lexer and
# parser of bindings.rs (with util/'s error buffers).
RUST_C_TESTS := bindings/rust/bitfield_test bindings/rust/rust_parse_test
TEST_PROGS += $(RUST_C_TESTS)
ALL_TARGETS += $(RUST_C_TESTS)
bindings/rust/bitfield_test: $(B)/bindings/rust/bitfield_test.o $(B)/bindings/rust/rust_bitfield.o \
		$(B)/bindings/clang/cmodel.o
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -latf-c
bindings/rust/rust_parse_test: $(B)/bindings/rust/rust_parse_test.o \
		$(B)/bindings/rust/rust_lex.o $(B)/bindings/rust/rust_parse.o $(UTIL_OBJS)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -latf-c
