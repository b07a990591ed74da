#! /usr/bin/env atf-sh
# gate_test.sh - the main job (bindings/gate.sh): passes on the default inputs, writes JUnit XML
# and drift reports, and fails (exit 1, naming the field) on a candidate bindings.rs with one
# field's type changed. riscv64's conformance stage is a skip that says why; the kernel stage
# reads the guests' BTF of the arch.

gate() {
	KVMGATE="$(kg)" \
		"$(atf_get_srcdir)/gate.sh" "$@"
}

atf_test_case default_inputs
default_inputs_head() {
	atf_set descr 'The gate passes on the installed headers, with our own bindings.rs as candidate'
	atf_set require.progs 'gcc aarch64-linux-gnu-gcc riscv64-linux-gnu-gcc pahole'
	atf_set timeout 300
}
default_inputs_body() {
	gate first > /dev/null 2>&1 || atf_fail "first gate run failed"
	CANDIDATE_x86_64=first/x86_64/bindings.rs CANDIDATE_arm64=first/arm64/bindings.rs \
		CANDIDATE_riscv64=first/riscv64/bindings.rs \
		atf_check -s exit:0 -o match:'^x86_64 +compiler +pass' -o match:'^arm64 +dwarf +pass' \
		-o match:'^arm64 +candidate +pass' -o match:'^riscv64 +gen +pass: [0-9]+ types' \
		-o match:'^riscv64 +compiler +pass: [0-9]+ assertions hold for riscv64-linux-gnu-gcc' \
		-o match:'^riscv64 +dwarf +pass' -o match:'^riscv64 +candidate +pass' \
		-o match:'^riscv64 +conformance +skip: no riscv64 guest: Debian 12 ships no riscv64 kernel' \
		-e ignore "$(atf_get_srcdir)/gate.sh" out
	for f in junit.xml x86_64/layout arm64/bindings.rs arm64/layout.dwarf riscv64/layout.h \
		riscv64/layout.dwarf; do
		[ -s out/$f ] || atf_fail "out/$f missing"
	done
	atf_check -s exit:0 -o match:'failures="0"' cat out/junit.xml
	atf_check -s exit:0 -o match:'<testcase classname="gate.riscv64" name="conformance">' \
		-o match:'<skipped message="no riscv64 guest: ' cat out/junit.xml
	# only the arches asked for
	GATE_ARCHES=riscv64 atf_check -s exit:0 -o not-match:'^x86_64' -o match:'^riscv64 +dwarf +pass' \
		-e ignore "$(atf_get_srcdir)/gate.sh" only
}

atf_test_case bad_candidate
bad_candidate_head() {
	atf_set descr 'A candidate bindings.rs with kvm_regs.rbx as __u32 fails the gate, naming the field'
	atf_set require.progs 'gcc aarch64-linux-gnu-gcc riscv64-linux-gnu-gcc pahole'
	atf_set timeout 300
}
bad_candidate_body() {
	gate first > /dev/null 2>&1 || atf_fail "first gate run failed"
	sed 's/pub rbx: __u64,/pub rbx: __u32,/' first/x86_64/bindings.rs > bad.rs
	cmp -s first/x86_64/bindings.rs bad.rs && atf_fail "mutation did not apply"
	CANDIDATE_x86_64=bad.rs atf_check -s exit:1 -o match:'^x86_64 +candidate +fail' -e ignore \
		"$(atf_get_srcdir)/gate.sh" out
	atf_check -s exit:0 -o match:'incompatible +field struct kvm_regs.rbx' \
		cat out/x86_64/candidate-drift.txt
	atf_check -s exit:0 -o match:'failures="1"' -o match:'kvm_regs.rbx' cat out/junit.xml
}

atf_test_case guest_btf
guest_btf_head() {
	atf_set descr 'The kernel stage compares with the BTF of each guest kernel of the arch (vmimages hands it back by release), not with another arch'"'"'s'
	atf_set require.progs 'gcc pahole'
	atf_set require.files '/sys/kernel/btf/vmlinux'
	atf_set timeout 300
}
guest_btf_body() {
	[ "$(uname -m)" = x86_64 ] || atf_skip "the host BTF stands in for an x86_64 guest's: host is $(uname -m)"
	mkdir -p btf/9.9.0-test-amd64 btf/9.9.0-test-arm64
	cp /sys/kernel/btf/vmlinux btf/9.9.0-test-amd64/vmlinux
	cp /sys/kernel/btf/vmlinux btf/9.9.0-test-arm64/vmlinux
	echo x86_64 > btf/9.9.0-test-amd64/arch
	echo arm64 > btf/9.9.0-test-arm64/arch
	GATE_GUEST_BTF=$PWD/btf GATE_ARCHES=x86_64 atf_check -s exit:0 \
		-o match:'^x86_64 +kernel +\(informational\) guest 9\.9\.0-test-amd64: kvmgate diff: 0 incompatible' \
		-o not-match:'test-arm64' -e ignore "$(atf_get_srcdir)/gate.sh" out
	atf_check -s exit:0 -o match:'^kvmgate diff: 0 incompatible' cat out/x86_64/kernel-9.9.0-test-amd64-drift.txt
}

atf_init_test_cases() {
	atf_add_test_case default_inputs
	atf_add_test_case bad_candidate
	atf_add_test_case guest_btf
}
