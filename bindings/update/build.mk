# bindings/update/build.mk - `kvmgate bindings`, kvm-bindings' update procedure as one command
# (README.md here): the front end's orchestration over the gate's stages (gate/), model/ and
# util/; `make bindings`; its tests.
UPDATE_SRCS := $(filter-out %_test.c,$(wildcard bindings/update/*.c))
UPDATE_OBJS := $(addprefix $(B)/,$(UPDATE_SRCS:.c=.o))
EXTRA_CFLAGS_bindings/update/ := -Ibindings/util -Ibindings/model -Ibindings/gate

UPDATE_SH_TESTS := bindings/update/bindings_test bindings/update/ci_test
TEST_PROGS += $(UPDATE_SH_TESTS)
ALL_TARGETS += $(UPDATE_SH_TESTS)

bindings/update/%_test: bindings/update/%_test.sh
	$(Q)cp $< $@ && chmod +x $@

# make bindings LINUX=SRC VERSIONS="v6.1 v6.12" ARCHES="x86_64 arm64" OUT=DIR [FORCE=1] [SINGLE=1]
LINUX ?= /usr/src
VERSIONS ?= v6.1 v6.12
ARCHES ?=
OUT ?= $(B)/kvm-bindings
.PHONY: bindings
bindings: kvmgate
	$(Q)./kvmgate bindings --linux "$(LINUX)" --versions "$(VERSIONS)" \
	  $(if $(strip $(ARCHES)),--arches "$(ARCHES)") $(if $(FORCE),--force) \
	  $(if $(SINGLE),--single) -o "$(OUT)"
