# bindings/gate/build.mk - `kvmgate gate`, the front end's orchestration of every proof (README.md
# here). Uses the library only through model/ (arch table, loader registry, diff) and util/.
GATE_SRCS := $(filter-out %_test.c,$(wildcard bindings/gate/*.c))
GATE_OBJS := $(addprefix $(B)/,$(GATE_SRCS:.c=.o))
EXTRA_CFLAGS_bindings/gate/ := -Ibindings/util -Ibindings/model

GATE_SH_TESTS := bindings/gate/gate_test
TEST_PROGS += $(GATE_SH_TESTS)
ALL_TARGETS += $(GATE_SH_TESTS)

bindings/gate/%_test: bindings/gate/%_test.sh
	$(Q)cp $< $@ && chmod +x $@
