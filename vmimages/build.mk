# vmimages/build.mk - the x86_64 and arm64 guests that run the conformance suite under QEMU (nested
# KVM), each with each Debian kernel series of kernels.txt (6.1, 6.12): a guest is <arch>_<series>.
# Included by the top-level Makefile. Plain `make` only builds the host test programs (shell
# scripts); the downloads, image builds and boots happen in `make check` and these targets:
#   make vmimages        build the guest images (kernel packages and arm64 libraries into the
#                        cache ${KVMGATE_CACHE:-~/.cache/kvmgate}; incremental)
#   make vmimages-run    boot the guests in parallel, results in $(B)/vmimages/<guest>/results
#   make vmimages-bench  boot-to-first-test and total per guest over VM_BENCH_RUNS runs
# KVMGATE_GUEST_KERNELS="6.1 6.12" (the default: every series of kernels.txt) picks the kernels
# booted; the test programs of the others report their cases skipped, naming the variable.
VM_CACHE := $(or $(KVMGATE_CACHE),$(HOME)/.cache/kvmgate)
VM_ARCHES := x86_64 arm64
VM_KERNELS_ALL := $(shell sed -n 's/^\([0-9][^	]*\)	.*/\1/p' vmimages/kernels.txt)
KVMGATE_GUEST_KERNELS ?= $(VM_KERNELS_ALL)
VM_GUESTS_ALL := $(foreach a,$(VM_ARCHES),$(foreach k,$(VM_KERNELS_ALL),$(a)_$(k)))
VM_GUESTS := $(foreach a,$(VM_ARCHES),$(foreach k,$(filter $(VM_KERNELS_ALL),$(KVMGATE_GUEST_KERNELS)),$(a)_$(k)))
VM_BENCH_RUNS ?= 5
VM_SCRIPTS := $(addprefix vmimages/,apt-arch.sh fetch-kernel.sh fetch-debs.sh extract-vmlinux.sh \
	build-image.sh init.sh kernels.txt)

# The arm64 cross build links against Debian's arm64 atf-c, unpacked into a sysroot in the cache
# (shared by every clone: sysroot.sh switches it in whole, under a lock).
VM_SYSROOT_arm64 := $(VM_CACHE)/sysroot/arm64
GUEST_CFLAGS_arm64 = -I$(VM_SYSROOT_arm64)/usr/include
GUEST_LDFLAGS_arm64 = -L$(VM_SYSROOT_arm64)/usr/lib/aarch64-linux-gnu
$(GUEST_OBJS_arm64) $(B)/guest/arm64/kvmcheck: $(VM_SYSROOT_arm64)/.unpacked
$(VM_SYSROOT_arm64)/.unpacked: vmimages/sysroot.sh vmimages/apt-arch.sh
	$(Q)sh vmimages/sysroot.sh arm64 $(VM_SYSROOT_arm64) libatf-dev libatf-c-1

# Per arch: the guest's KVM check.
define vmimages_rules
$(B)/guest/$(1)/kvmcheck: vmimages/kvmcheck.c
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo '  CC      $$@')
	$$(Q)$$(GUEST_CC_$(1)) $$(GUEST_CFLAGS) $$(GUEST_CFLAGS_$(1)) -o $$@ $$<
endef
$(foreach a,$(VM_ARCHES),$(eval $(call vmimages_rules,$(a))))

# Per guest (arch $(1), kernel series $(2)): its image, and the host test program that reports its
# cases. The test programs are shell scripts with this build's paths filled in, rewritten only when
# those change (so B=..., KVMGATE_CACHE=... and KVMGATE_GUEST_KERNELS=... take effect).
define vmimages_guest_rules
$(B)/vmimages/$(1)_$(2)/image.env: $(GUEST_PROGS_$(1)) $(B)/guest/$(1)/kvmcheck $(VM_SCRIPTS)
	$$(Q)sh vmimages/build-image.sh $(1) $(B)/vmimages/$(1)_$(2) $(B)/guest/$(1) $(2)

vmimages/guest_$(1)_$(2)_test: vmimages/guest_test.sh FORCE
	$$(Q)sed -e 's|@ARCH@|$(1)|g' -e 's|@KERNEL@|$(2)|g' -e 's|@TOP@|$(CURDIR)|g' \
		-e 's|@B@|$(abspath $(B))|g' -e 's|@CACHE@|$(VM_CACHE)|g' \
		-e 's|@PROGS@|$(CONFORMANCE_PROGS) $(CONFORMANCE_PROGS_$(1))|g' \
		-e 's|@KERNELS@|$(KVMGATE_GUEST_KERNELS)|g' \
		$$< > $$@.tmp
	$$(Q)chmod +x $$@.tmp && if cmp -s $$@.tmp $$@; then rm $$@.tmp; else mv $$@.tmp $$@; fi
endef
$(foreach a,$(VM_ARCHES),$(foreach k,$(VM_KERNELS_ALL),$(eval $(call vmimages_guest_rules,$(a),$(k)))))

VM_IMAGES := $(foreach g,$(VM_GUESTS),$(B)/vmimages/$(g)/image.env)
VM_TESTS := $(foreach g,$(VM_GUESTS_ALL),vmimages/guest_$(g)_test) vmimages/failure_test \
	vmimages/sysroot_test
TEST_PROGS += $(VM_TESTS)
ALL_TARGETS += $(VM_TESTS)

vmimages/failure_test: vmimages/failure_test.sh FORCE
	$(Q)sed -e 's|@TOP@|$(CURDIR)|g' -e 's|@B@|$(abspath $(B))|g' -e 's|@CACHE@|$(VM_CACHE)|g' \
		$< > $@.tmp
	$(Q)chmod +x $@.tmp && if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

vmimages/sysroot_test: vmimages/sysroot_test.sh FORCE
	$(Q)sed -e 's|@TOP@|$(CURDIR)|g' -e 's|@CACHE@|$(VM_CACHE)|g' $< > $@.tmp
	$(Q)chmod +x $@.tmp && if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

.PHONY: vmimages vmimages-run vmimages-bench
vmimages: $(VM_IMAGES)

# `make check`'s guests: each image is built (a failure is recorded in build-status, for the
# guest's test cases to report, and does not stop the check), then the guests boot in parallel
# (one vCPU each), each once; a guest that fails is reported by its test cases.
vmimages-run:
	$(Q)for g in $(VM_GUESTS); do \
	  d=$(B)/vmimages/$$g; mkdir -p $$d; rm -rf $$d/results; \
	  { $(MAKE) $(if $(Q),-s) --no-print-directory $$d/image.env; echo $$? > $$d/build.rc; } 2>&1 | tee $$d/build.log; \
	  if [ "$$(cat $$d/build.rc)" = 0 ]; then echo ok > $$d/build-status; else \
	    echo "fail: the $$g image could not be built: $$(grep -v '^make' $$d/build.log | tail -n 1)" \
	      > $$d/build-status; cat $$d/build-status >&2; fi; \
	done
	$(Q)t0=$$(date +%s.%N); for g in $(VM_GUESTS); do \
	  d=$(B)/vmimages/$$g; [ "$$(cat $$d/build-status)" = ok ] || continue; \
	  bash vmimages/run-guest.sh $${g%_*} $$d $$d/results & \
	done; wait; \
	echo "vmimages: $(words $(VM_GUESTS)) guests ($(VM_GUESTS)) in $$(echo "$$(date +%s.%N) $$t0" | awk '{ printf "%.1f", $$1 - $$2 }') s wall"; true

vmimages-bench: $(VM_IMAGES)
	$(Q)bash vmimages/bench.sh $(B) $(VM_BENCH_RUNS) $(VM_GUESTS)

# `make check` boots the guests once, before kyua reads their results.
check: vmimages-run
