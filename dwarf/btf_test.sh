#! /usr/bin/env atf-sh
# btf_test.sh - the manifest against the kernel's own debug info, through pahole: the running
# host kernel's BTF, and the BTF of Debian's linux-image-6.1 packages (x86_64: vmlinuz and the kvm
# modules with their base; arm64: the Image). The differences that the kernel's internal view
# always has are in kernel.allow; a type the kernel lacks is "not in kernel", not a failure.

. "$(atf_get_srcdir)/common.sh"

# check_report FILE: the report compared real types (kvm_run is in every kernel with KVM).
check_report() {
	grep -q '^kvmgate diff: 0 incompatible,' "$1" ||
		atf_fail "incompatible differences: $(grep -m 3 '^incompatible' "$1" | tr '\n' ' ')"
	if grep -q 'type struct kvm_run: not in kernel' "$1"; then
		atf_fail "struct kvm_run not found in the kernel's debug info"
	fi
}

atf_test_case host_btf
host_btf_head() {
	atf_set descr 'The installed headers against the running kernel BTF (/sys/kernel/btf), allowed differences only'
	atf_set require.progs 'pahole'
}
host_btf_body() {
	[ -r /sys/kernel/btf/vmlinux ] ||
		atf_skip "/sys/kernel/btf/vmlinux absent: this kernel has no CONFIG_DEBUG_INFO_BTF"
	arch=$(host_arch)
	[ -n "$arch" ] || atf_skip "host arch $(uname -m) is neither x86_64 nor arm64"
	# KVM built as a module: its types are in the module's BTF, split on vmlinux
	btf=/sys/kernel/btf/vmlinux
	[ -r /sys/kernel/btf/kvm ] && btf=/sys/kernel/btf/kvm
	layout_of $arch > layout || atf_fail "dump of the installed headers failed"
	atf_check -s exit:0 -o save:report -e ignore "$(kg)" diff --allow "$(kernel_allow)" layout $btf
	if grep -q 'type struct kvm_run: not in kernel' report && [ $btf = /sys/kernel/btf/vmlinux ]; then
		atf_skip "KVM is a module that is not loaded: no /sys/kernel/btf/kvm"
	fi
	check_report report
}

atf_test_case debian61_x86_64
debian61_x86_64_head() {
	atf_set descr 'linux-source-6.1 x86_64 headers against the BTF of Debian 6.1 amd64: kvm.ko, kvm-amd.ko, kvm-intel.ko on the vmlinuz base'
	atf_set require.progs 'pahole xz'
	atf_set timeout 600
}
debian61_x86_64_body() {
	kernel_pkg x86_64
	root=$KROOT
	vmlinuz=$(ls "$root"/boot/vmlinuz-*)
	headers_tree 6.1 x86_64
	layout_of x86_64 "$TREE" > layout || atf_fail "dump of the 6.1 headers failed"
	for ko in kvm kvm-amd kvm-intel; do
		f=$(find "$root/lib/modules" -name "$ko.ko" | head -n 1)
		[ -n "$f" ] || atf_fail "$ko.ko not in $root"
		atf_check -s exit:0 -o save:report.$ko -e ignore "$(kg)" diff --allow "$(kernel_allow)" \
			--btf-base "$vmlinuz" layout "$f"
		grep -q '^kvmgate diff: 0 incompatible,' report.$ko ||
			atf_fail "$ko.ko: $(grep -m 3 '^incompatible' report.$ko | tr '\n' ' ')"
	done
	check_report report.kvm
}

atf_test_case debian61_arm64
debian61_arm64_head() {
	atf_set descr 'linux-source-6.1 arm64 headers against the BTF of the Debian 6.1 arm64 Image (KVM built in)'
	atf_set require.progs 'pahole'
	atf_set timeout 600
}
debian61_arm64_body() {
	kernel_pkg arm64
	image=$(ls "$KROOT"/boot/vmlinuz-*)
	headers_tree 6.1 arm64
	layout_of arm64 "$TREE" > layout || atf_fail "dump of the 6.1 arm64 headers failed"
	atf_check -s exit:0 -o save:report -e ignore "$(kg)" diff --allow "$(kernel_allow)" layout "$image"
	check_report report
	# the arm64 register structs are compared, not only the common ones
	if grep -q 'struct kvm_vcpu_init: not in kernel' report; then
		atf_fail "struct kvm_vcpu_init not found in the arm64 Image's BTF"
	fi
}

atf_test_case debian61_vmlinux_elf
debian61_vmlinux_elf_head() {
	atf_set descr 'The vmlinux ELF of the Debian 6.1 bzImage (its .BTF section) as the kernel, and as the base of kvm.ko'
	atf_set require.progs 'pahole xz'
	atf_set timeout 600
}
debian61_vmlinux_elf_body() {
	kernel_pkg x86_64
	atf_check -s exit:0 -o ignore -e ignore "$(atf_get_srcdir)/../vmimages/extract-vmlinux.sh" \
		"$(ls "$KROOT"/boot/vmlinuz-*)" vmlinux
	headers_tree 6.1 x86_64
	layout_of x86_64 "$TREE" > layout || atf_fail "dump of the 6.1 headers failed"
	atf_check -s exit:0 -o save:report -e ignore "$(kg)" diff --allow "$(kernel_allow)" layout vmlinux
	grep -q '^kvmgate diff: 0 incompatible,' report || atf_fail "vmlinux: incompatible differences"
	ko=$(find "$KROOT/lib/modules" -name kvm.ko | head -n 1)
	atf_check -s exit:0 -o save:report.kvm -e ignore "$(kg)" diff --allow "$(kernel_allow)" \
		--btf-base vmlinux layout "$ko"
	check_report report.kvm
}

atf_test_case dump_module_needs_base
dump_module_needs_base_head() {
	atf_set descr 'A module .ko holds split BTF: without --btf-base exit 2 naming the option; with it, its types'
	atf_set require.progs 'pahole xz'
	atf_set timeout 600
}
dump_module_needs_base_body() {
	kernel_pkg x86_64
	root=$KROOT
	ko=$(find "$root/lib/modules" -name kvm.ko | head -n 1)
	atf_check -s exit:2 -o empty -e match:'kvm.ko: module BTF .*--btf-base' "$(kg)" dump --from btf "$ko"
	atf_check -s exit:0 -o save:m -e ignore "$(kg)" dump --from btf --btf-base "$(ls "$root"/boot/vmlinuz-*)" "$ko"
	grep -q '^type	struct kvm_run	size=2352	align=8$' m || atf_fail "no struct kvm_run of 2352 bytes in kvm.ko"
	grep -q '^field	struct kvm_run	immediate_exit	offset=1	size=1	type=__u8$' m ||
		atf_fail "kvm_run.immediate_exit not read from kvm.ko"
}

atf_test_case dwarf_object
dwarf_object_head() {
	atf_set descr 'DWARF of an object built with debug info (as a -dbg vmlinux or module): its types compared, the rest not in kernel'
	atf_set require.progs 'gcc pahole'
}
dwarf_object_body() {
	printf '#include <linux/kvm.h>\nstruct kvm_run run;\nstruct kvm_regs regs;\n' > obj.c
	atf_check -s exit:0 gcc -g -c -o obj.o obj.c
	layout_of x86_64 > layout || atf_fail "dump of the installed headers failed"
	atf_check -s exit:0 -o save:report -e ignore "$(kg)" diff --allow "$(kernel_allow)" layout obj.o
	check_report report
	grep -q 'struct kvm_regs: not in kernel' report && atf_fail "struct kvm_regs not read from the DWARF"
	# the same object with the kernel's rename: allowed, with its reason
	atf_check -s exit:0 gcc -g -Dimmediate_exit=immediate_exit__unsafe -c -o obj2.o obj.c
	atf_check -s exit:0 -o save:report2 -e ignore "$(kg)" diff --allow "$(kernel_allow)" layout obj2.o
	atf_check -s exit:0 -o ignore grep "^allowed .*kvm_run.immediate_exit: member renamed to 'immediate_exit__unsafe'.*HINT_UNSAFE_IN_KVM" report2
	# and without the allow file the rename is incompatible
	atf_check -s exit:1 -o save:report3 -e ignore "$(kg)" diff layout obj2.o
	atf_check -s exit:0 -o ignore grep "^incompatible .*kvm_run.immediate_exit: member renamed to 'immediate_exit__unsafe'" report3
}

atf_test_case dump_kernel_internal_types
dump_kernel_internal_types_head() {
	atf_set descr 'Without a manifest every kvm* type of a kernel is dumped, internal ones too (pointers, anonymous enums, packed members)'
	atf_set require.progs 'pahole'
	atf_set timeout 600
}
dump_kernel_internal_types_body() {
	kernel_pkg arm64
	atf_check -s exit:0 -o save:arm64.m -e ignore "$(kg)" dump "$(ls "$KROOT"/boot/vmlinuz-*)"
	n=$(grep -c '^type' arm64.m)
	[ "$n" -ge 100 ] || atf_fail "only $n kvm* types in the arm64 Image"
	atf_check -s exit:0 -o ignore grep '^meta	arch	arm64$' arm64.m
	atf_check -s exit:0 -o ignore grep '^field	struct kvm	.*type=struct mm_struct \*$' arm64.m
	# the running kernel, when it has KVM (built in: vmlinux's BTF; a module: the module's,
	# split on vmlinux) and BTF: its kvm* types hold struct kvm_run
	if [ -r /sys/kernel/btf/vmlinux ] && [ -d /sys/module/kvm ]; then
		if [ -r /sys/kernel/btf/kvm ]; then
			atf_check -s exit:0 -o save:host.m -e ignore "$(kg)" dump \
				--btf-base /sys/kernel/btf/vmlinux /sys/kernel/btf/kvm
		else
			atf_check -s exit:0 -o save:host.m -e ignore "$(kg)" dump /sys/kernel/btf/vmlinux
		fi
		grep -q '^type	struct kvm_run	' host.m ||
			atf_fail "no struct kvm_run among the kvm* types of the running kernel's BTF"
	fi
}

atf_init_test_cases() {
	atf_add_test_case host_btf
	atf_add_test_case debian61_x86_64
	atf_add_test_case debian61_arm64
	atf_add_test_case debian61_vmlinux_elf
	atf_add_test_case dump_module_needs_base
	atf_add_test_case dwarf_object
	atf_add_test_case dump_kernel_internal_types
}
