#! /usr/bin/env atf-sh
# vmimages/failure_test.sh - template of vmimages/failure_test (build.mk fills in @TOP@, @B@ and @CACHE@):
# the failure paths of the guests. A guest whose init exits early, one that hangs (the timeout
# fires), one that loses /dev/kvm: each boot is reported as failed, and the per-arch test program
# then fails the guest's cases with the reason and the console excerpt. A missing kernel package
# is a clear error naming it. A signal to the process group of run-guest.sh ends its QEMU.
TOP=@TOP@
B=@B@
# kyua gives each test case its own HOME: the cache is the one the build used.
export KVMGATE_CACHE=${KVMGATE_CACHE:-@CACHE@}

# boot_faulty GUEST FAULT [TIMEOUT]: boot the image of GUEST (<arch>_<kernel>) with a fault
# injected into its init; results in ./res. The boot must be reported as failed (exit 1).
boot_faulty()
{
	[ -r "$B/vmimages/$1/image.env" ] || atf_skip "no $1 guest image in $B/vmimages/$1 (make vmimages)"
	KVMGATE_GUEST_FAULT=$2 KVMGATE_BOOT_TIMEOUT=${3:-120} \
		bash "$TOP/vmimages/run-guest.sh" "${1%_*}" "$B/vmimages/$1" "$PWD/res" 2> run.err
	rc=$?
	cat run.err
	[ "$rc" = 1 ] || atf_fail "run-guest.sh exited with $rc, expected 1"
}

# check_cases_fail GUEST PATTERN: every case of guest_GUEST_test fails with a reason matching
# PATTERN, and prints the console excerpt.
check_cases_fail()
{
	prog=$TOP/vmimages/guest_$1_test
	cases=$("$prog" -l | sed -n 's/^ident: //p')
	[ -n "$cases" ] || atf_fail "guest_$1_test lists no cases"
	for c in $cases; do
		KVMGATE_GUEST_RESULTS=$PWD/res "$prog" -r result "$c" > out 2> err
		grep -q "^failed: .*$2" result || atf_fail "$c: result '$(cat result)', expected a failure matching '$2'"
		grep -q 'console, last lines' err || atf_fail "$c: no console excerpt on stderr"
	done
}

atf_test_case init_exits_early
init_exits_early_head()
{
	atf_set descr "x86_64 guest whose init exits before the suite: reported as a kernel panic, every case fails"
	atf_set require.progs qemu-system-x86_64
	atf_set timeout 300
}
init_exits_early_body()
{
	boot_faulty x86_64_6.1 exit
	atf_check -o match:'fail: guest kernel: Kernel panic.*init' cat res/host-status
	atf_check -o match:'fault injected: init exits early' cat res/console.log
	check_cases_fail x86_64_6.1 'Kernel panic'
}

# boot_hanging GUEST: boot GUEST with its init hanging, under a boot timeout that outlasts the
# way to the hang, which is what the timeout must find: the first is twice the time this image
# took to the suite's start at its last boot here (results/timing of make vmimages-run: the hang
# comes before that point), else 20 s; a boot whose timeout fired before init got to the hang
# (the console lacks its line) proves nothing, and runs again with twice the timeout, up to
# HANG_BUDGET s of boots in all. Sets T to the timeout of the boot in ./res.
HANG_BUDGET=420
boot_hanging()
{
	first=$(sed -n 's/^first_test=\([0-9.]*\) .*/\1/p' "$B/vmimages/$1/results/timing" 2>/dev/null)
	T=$(awk -v f="${first:-0}" 'BEGIN { t = int(2 * f + 0.999); print t < 20 ? 20 : t }')
	spent=0
	while :; do
		boot_faulty "$1" hang "$T"
		grep -q 'fault injected: init hangs' res/console.log && return
		spent=$((spent + T))
		grep -q "^fail: timed out after $T s" res/host-status ||
			atf_fail "the boot ended before init hung: $(cat res/host-status)"
		T=$((T * 2))
		[ $((spent + T)) -le $HANG_BUDGET ] ||
			atf_fail "init did not get to its hang in $spent s of boots"
		echo "init not at its hang when the timeout fired: again with $T s"
	done
}

atf_test_case guest_hangs
guest_hangs_head()
{
	atf_set descr "arm64 guest that hangs: the boot timeout fires and is reported, every case fails"
	atf_set require.progs qemu-system-aarch64
	atf_set timeout 600
}
guest_hangs_body()
{
	boot_hanging arm64_6.1
	atf_check -o inline:"fail: timed out after $T s\n" cat res/host-status
	atf_check -o match:'fault injected: init hangs' cat res/console.log
	check_cases_fail arm64_6.1 "timed out after $T s"
}

# console_has TEXT: the console of the boot run-guest.sh is running into ./res (its RESULTDIR.tmp.*)
# holds TEXT
console_has()
{
	cat res.tmp.*/console.log 2>/dev/null | grep -q -- "$1"
}

# qemu_of_boot: the pids of the QEMU that boots into ./res (its command line names the disk)
qemu_of_boot()
{
	ps -eo pid=,args= | awk -v d="$PWD/res.tmp." '$2 ~ /qemu-system/ && index($0, d) { print $1 }'
}

atf_test_case runner_group_killed
runner_group_killed_head()
{
	atf_set descr "SIGTERM to the process group of run-guest.sh (as kvmgate gate stops its children) while its guest hangs: QEMU is gone within 5 s, not left to the boot timeout"
	atf_set require.progs "qemu-system-x86_64 setsid"
	atf_set timeout 300
}
runner_group_killed_body()
{
	[ -r "$B/vmimages/x86_64_6.1/image.env" ] || atf_skip "no x86_64_6.1 guest image in $B/vmimages (make vmimages)"
	KVMGATE_GUEST_FAULT=hang KVMGATE_BOOT_TIMEOUT=280 env --default-signal=TERM setsid \
		bash "$TOP/vmimages/run-guest.sh" x86_64 "$B/vmimages/x86_64_6.1" "$PWD/res" 2> run.err &
	group=$!
	n=0
	until console_has 'fault injected: init hangs'; do
		n=$((n + 1))
		[ $n -lt 2400 ] || { kill -KILL -- -$group; atf_fail "the guest never reached its hang"; }
		sleep 0.1
	done
	q=$(qemu_of_boot)
	[ -n "$q" ] || atf_fail "no QEMU of the boot found while it hangs: the case proves nothing"
	kill -TERM -- -$group
	n=0
	while [ -n "$(qemu_of_boot)" ]; do
		n=$((n + 1))
		if [ $n -ge 50 ]; then
			kill -KILL $(qemu_of_boot) 2>/dev/null
			atf_fail "QEMU ($q) still ran 5 s after SIGTERM to run-guest.sh's process group"
		fi
		sleep 0.1
	done
	wait $group || true	# it died of the signal
}

atf_test_case guest_loses_kvm
guest_loses_kvm_head()
{
	atf_set descr "arm64 guest without /dev/kvm: the guest's check fails, every case fails (not skipped)"
	atf_set require.progs qemu-system-aarch64
	atf_set timeout 300
}
guest_loses_kvm_body()
{
	boot_faulty arm64_6.1 nokvm
	atf_check -o match:'fail: guest: nokvm: kvmcheck: open /dev/kvm' cat res/host-status
	check_cases_fail arm64_6.1 'nokvm'
}

atf_test_case guest_case_results
guest_case_results_head()
{
	atf_set descr "each guest case reports its own guest result, labelled with arch, kernel and release: pass, fail with the guest's report, skip with its reason"
}
guest_case_results_body()
{
	# Results as a guest hands them back, one case failed and one skipped.
	mkdir res
	echo ok > res/host-status
	sed -n 's/^IMAGE_ID=//p' "$B/vmimages/arm64_6.12/image.env" > res/image-id 2>/dev/null
	[ -s res/image-id ] || atf_skip "no arm64 6.12 guest image in $B/vmimages/arm64_6.12 (make vmimages)"
	echo 6.12.0-test-arm64 > res/kernel-release
	cat > res/cases.txt <<EOT
===> Passed tests
conformance/kvm_basic_test:api_version  ->  passed  [0.049s]
conformance/kvm_basic_test:run_exit_decode  ->  passed  [0.050s]
===> Skipped tests
conformance/kvm_basic_test:create_vm_vcpu  ->  skipped: no such capability  [0.001s]
===> Failed tests
conformance/kvm_basic_test:regs_guest_add  ->  failed: 3 checks failed; see output for more details  [0.067s]
EOT
	cat > res/report.txt <<EOT
===> conformance/kvm_basic_test:regs_guest_add
Result:     failed: 3 checks failed; see output for more details
Standard error:
*** Check failed: register 0 is 0x0 after the guest's adds, expected 0x11112222
===> conformance/kvm_basic_test:run_exit_decode
Result:     passed
EOT
	prog=$TOP/vmimages/guest_arm64_6.12_test
	export KVMGATE_GUEST_RESULTS=$PWD/res
	atf_check -s exit:0 -o ignore -e ignore "$prog" -r r1 kvm_basic_test__api_version
	atf_check -o inline:'passed\n' cat r1
	atf_check -s exit:0 -o ignore -e ignore "$prog" -r r2 kvm_basic_test__create_vm_vcpu
	atf_check -o inline:'skipped: arm64 guest, Linux 6.12 (6.12.0-test-arm64): no such capability\n' cat r2
	atf_check -s exit:1 -o ignore -e match:"register 0 is 0x0 after the guest's adds" \
		"$prog" -r r3 kvm_basic_test__regs_guest_add
	atf_check -o match:'^failed: arm64 guest, Linux 6.12 \(6.12.0-test-arm64\): failed: 3 checks failed' cat r3
}

atf_test_case missing_kernel_package
missing_kernel_package_head()
{
	atf_set descr "fetch-kernel.sh with a kernel metapackage that does not exist: exit 2 naming it"
}
missing_kernel_package_body()
{
	KVMGATE_KERNEL_META=linux-image-kvmgate-missing atf_check -s exit:2 -o empty \
		-e match:'^fetch-kernel.sh: package linux-image-kvmgate-missing not found' \
		sh "$TOP/vmimages/fetch-kernel.sh" x86_64
}

atf_test_case bad_arch
bad_arch_head()
{
	atf_set descr "the vmimages scripts reject an unknown arch or kernel series with exit 2"
}
bad_arch_body()
{
	atf_check -s exit:2 -e match:"unknown arch 'riscv64'" sh "$TOP/vmimages/fetch-kernel.sh" riscv64
	atf_check -s exit:2 -e match:"no kernel series '5.10' in .*kernels.txt \(expected one of: 6.1 6.12\)" \
		sh "$TOP/vmimages/fetch-kernel.sh" x86_64 5.10
	atf_check -s exit:2 -e match:"no image in" bash "$TOP/vmimages/run-guest.sh" arm64 /nonexistent x
}

atf_init_test_cases()
{
	atf_add_test_case init_exits_early
	atf_add_test_case guest_hangs
	atf_add_test_case guest_loses_kvm
	atf_add_test_case runner_group_killed
	atf_add_test_case guest_case_results
	atf_add_test_case missing_kernel_package
	atf_add_test_case bad_arch
}
