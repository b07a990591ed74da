# bindings/build.mk - the library (the layout model, its loaders and writers: one folder each,
# with its own build.mk) and the command-line tests of bindings/. Included by the top-level
# Makefile. Each folder's EXTRA_CFLAGS name the folders it may include: dependencies run one way,
# util <- model <- {clang, c} <- rust (bindings/README.md).
include bindings/util/build.mk
include bindings/model/build.mk
include bindings/clang/build.mk
include bindings/rust/build.mk
include bindings/c/build.mk
include bindings/gate/build.mk
include bindings/update/build.mk
BINDINGS_OBJS := $(UTIL_OBJS) $(MODEL_OBJS) $(CLANG_OBJS) $(RUST_OBJS) $(C_OBJS) $(GATE_OBJS) $(UPDATE_OBJS)
# what the front end may include: every folder of the library
BINDINGS_INCLUDES := -Ibindings/util -Ibindings/model -Ibindings/clang -Ibindings/rust -Ibindings/c -Ibindings/gate -Ibindings/update

BINDINGS_SH_TESTS := bindings/cli_test bindings/outset_test bindings/hostile_test
TEST_PROGS += $(BINDINGS_SH_TESTS)
ALL_TARGETS += $(BINDINGS_SH_TESTS)

# an atf-sh test program is its script, made executable next to its Kyuafile
bindings/%_test: bindings/%_test.sh
	$(Q)cp $< $@ && chmod +x $@
