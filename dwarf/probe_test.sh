#! /usr/bin/env atf-sh
# probe_test.sh - the DWARF view of the headers equals the libclang view, for every type: `kvmgate
# gen` compiles a probe of every type of the manifest with the arch's gcc -g, reads it back
# through pahole and writes OUTDIR/layout.dwarf next to OUTDIR/layout; both must hold the same
# type and field records, byte for byte. Per arch, for the installed headers and for the
# headers_install trees of linux-source-6.1 and 6.12.

. "$(atf_get_srcdir)/common.sh"

# same_views ARCH [TREE]
same_views() {
	if [ $# -gt 1 ]; then
		atf_check -s exit:0 -e ignore "$(kg)" gen --arch "$1" --headers "$2" -o out
	else
		atf_check -s exit:0 -e ignore "$(kg)" gen --arch "$1" -o out
	fi
	[ -s out/layout.dwarf ] || atf_fail "gen wrote no out/layout.dwarf"
	types_and_fields out/layout > clang.txt
	types_and_fields out/layout.dwarf > dwarf.txt
	n=$(grep -c '^type' clang.txt)
	[ "$n" -ge 50 ] || atf_fail "only $n types in the libclang view"
	grep -q '^type	struct kvm_run	' dwarf.txt || atf_fail "no struct kvm_run in the DWARF view"
	atf_check -s exit:0 -o empty diff -u clang.txt dwarf.txt
	# the probe is built in a temporary directory that is removed
	atf_check -s exit:0 -o inline:'bindings.rs\nkvm_abi.h\nlayout\nlayout.dwarf\nlayout.h\n' ls out
}

atf_test_case default_x86_64
default_x86_64_head() {
	atf_set descr 'x86_64, installed headers: DWARF view (gcc -g, pahole) == libclang view'
	atf_set require.progs 'gcc pahole'
}
default_x86_64_body() {
	same_views x86_64
}

atf_test_case default_arm64
default_arm64_head() {
	atf_set descr 'arm64, installed headers: DWARF view (aarch64-linux-gnu-gcc -g, pahole) == libclang view'
	atf_set require.progs 'aarch64-linux-gnu-gcc pahole'
}
default_arm64_body() {
	same_views arm64
}

atf_test_case v6_1_x86_64
v6_1_x86_64_head() {
	atf_set descr 'x86_64, linux-source-6.1 headers_install: DWARF view == libclang view'
	atf_set require.progs 'gcc pahole'
	atf_set timeout 300
}
v6_1_x86_64_body() {
	headers_tree 6.1 x86_64
	same_views x86_64 "$TREE"
}

atf_test_case v6_1_arm64
v6_1_arm64_head() {
	atf_set descr 'arm64, linux-source-6.1 headers_install: DWARF view == libclang view'
	atf_set require.progs 'aarch64-linux-gnu-gcc pahole'
	atf_set timeout 300
}
v6_1_arm64_body() {
	headers_tree 6.1 arm64
	same_views arm64 "$TREE"
}

atf_test_case v6_12_x86_64
v6_12_x86_64_head() {
	atf_set descr 'x86_64, linux-source-6.12 headers_install: DWARF view == libclang view'
	atf_set require.progs 'gcc pahole'
	atf_set timeout 300
}
v6_12_x86_64_body() {
	headers_tree 6.12 x86_64
	same_views x86_64 "$TREE"
}

atf_test_case v6_12_arm64
v6_12_arm64_head() {
	atf_set descr 'arm64, linux-source-6.12 headers_install: DWARF view == libclang view'
	atf_set require.progs 'aarch64-linux-gnu-gcc pahole'
	atf_set timeout 300
}
v6_12_arm64_body() {
	headers_tree 6.12 arm64
	same_views arm64 "$TREE"
}

atf_test_case default_riscv64
default_riscv64_head() {
	atf_set descr 'riscv64, installed headers: DWARF view (riscv64-linux-gnu-gcc -g, pahole) == libclang view'
	atf_set require.progs 'riscv64-linux-gnu-gcc pahole'
}
default_riscv64_body() {
	same_views riscv64
}

atf_test_case v6_1_riscv64
v6_1_riscv64_head() {
	atf_set descr 'riscv64, linux-source-6.1 headers_install: DWARF view == libclang view'
	atf_set require.progs 'riscv64-linux-gnu-gcc pahole'
	atf_set timeout 300
}
v6_1_riscv64_body() {
	headers_tree 6.1 riscv64
	same_views riscv64 "$TREE"
}

atf_test_case v6_12_riscv64
v6_12_riscv64_head() {
	atf_set descr 'riscv64, linux-source-6.12 headers_install: DWARF view == libclang view'
	atf_set require.progs 'riscv64-linux-gnu-gcc pahole'
	atf_set timeout 300
}
v6_12_riscv64_body() {
	headers_tree 6.12 riscv64
	same_views riscv64 "$TREE"
}

atf_init_test_cases() {
	atf_add_test_case default_x86_64
	atf_add_test_case default_arm64
	atf_add_test_case v6_1_x86_64
	atf_add_test_case v6_1_arm64
	atf_add_test_case v6_12_x86_64
	atf_add_test_case v6_12_arm64
	atf_add_test_case default_riscv64
	atf_add_test_case v6_1_riscv64
	atf_add_test_case v6_12_riscv64
}
