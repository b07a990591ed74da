#! /usr/bin/env atf-sh
# compiler_test.sh - the manifest of `kvmgate gen` against the target compiler: every size,
# alignment, field offset and size, constant and ioctl number becomes a static assertion
# (OUTDIR/layout.h), compiled by gcc for x86_64, aarch64-linux-gnu-gcc for arm64 and
# riscv64-linux-gnu-gcc for riscv64, on the installed headers and on the 6.1 and 6.12 trees of
# Debian's linux-source packages.

# kg (the command under test), arch_cc, manifest_isystem, headers_tree
KVMGATE_TOP=$(cd "$(atf_get_srcdir)/../.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"

# headers_of VERSION ARCH: "" for the installed default, else the headers_install tree
headers_of() {
	[ "$1" = default ] && return 0
	headers_tree "$1" "$2"
	echo "$TREE"
}

check_arch_version() {
	arch=$1 version=$2
	dir=$(headers_of "$version" "$arch")
	cc=$(arch_cc "$arch")
	atf_check -s exit:0 -o empty -e match:"kvmgate: $arch" \
		"$(kg)" gen --arch "$arch" ${dir:+--headers "$dir"} --no-dwarf -o out
	# a real header set, not a near-empty one
	ntypes=$(grep -c '^type' out/layout)
	nfields=$(grep -c '^field' out/layout)
	nioctls=$(grep -c '^ioctl' out/layout)
	nconsts=$(grep -c '^const' out/layout)
	echo "$arch $version: $ntypes types, $nfields fields, $nioctls ioctls, $nconsts constants"
	# (6.12 moved other arches' types out of linux/kvm.h: arm64 6.12 has about 70, riscv64 6.12
	# 74 types and 80 ioctls)
	[ "$ntypes" -ge 60 ] || atf_fail "only $ntypes types"
	[ "$nfields" -ge 300 ] || atf_fail "only $nfields fields"
	[ "$nioctls" -ge 80 ] || atf_fail "only $nioctls ioctls"
	[ "$nconsts" -ge 400 ] || atf_fail "only $nconsts constants"
	grep -q '^ioctl	KVM_RUN	number=0x0000ae80	dir=none' out/layout ||
		atf_fail "KVM_RUN is not _IO(KVMIO, 0x80)"
	grep -q '^ioctl	KVM_SET_ONE_REG	number=0x4010aeac	dir=W	type=0xae	nr=0xac	size=16	arg=struct kvm_one_reg$' \
		out/layout || atf_fail "KVM_SET_ONE_REG is not _IOW(KVMIO, 0xac, struct kvm_one_reg)"
	nchecks=$(grep -c '^KVMGATE_CHECK(' out/layout.h)
	[ "$nchecks" -ge $((ntypes * 2 + nfields)) ] ||
		atf_fail "only $nchecks assertions for $ntypes types and $nfields fields"
	flags="-nostdinc $(manifest_isystem out/layout) -DKVMGATE_LAYOUT_ASSERT -DKVMGATE_LAYOUT_BITFIELDS"
	printf '#include <linux/kvm.h>\n#include "out/layout.h"\nint main(void) { return 0; }\n' > probe.c
	atf_check -s exit:0 -o empty -e empty $cc -std=gnu11 -fsyntax-only $flags probe.c

	# the check is live: one wrong size must break the build, naming the type
	sed '0,/KVMGATE_CHECK(sizeof(struct kvm_regs) == \([0-9]*\)/s//KVMGATE_CHECK(sizeof(struct kvm_regs) == \1 + 8/' \
		out/layout.h > bad.h
	cmp -s out/layout.h bad.h && atf_fail "could not mutate layout.h"
	sed 's|out/layout.h|bad.h|' probe.c > badprobe.c
	atf_check -s not-exit:0 -o empty -e match:'size of struct kvm_regs' \
		$cc -std=gnu11 -fsyntax-only $flags badprobe.c
}

# Bitfields are checked at run time: only where the target runs (x86_64 here).
check_bitfields_native() {
	dir=$(headers_of "$1" x86_64)
	atf_check -s exit:0 -o empty -e ignore \
		"$(kg)" gen --arch x86_64 ${dir:+--headers "$dir"} --no-dwarf -o out
	nbits=$(grep -c 'bitoffset=' out/layout)
	[ "$nbits" -ge 1 ] || atf_fail "no bitfield in the x86_64 manifest"
	cat > bf.c <<EOT
#include <linux/kvm.h>
#define KVMGATE_LAYOUT_BITFIELDS
#include "out/layout.h"
int puts(const char *s);
static void report(const char *what) { puts(what); }
int main(void) { return kvmgate_check_bitfields(report) != 0; }
EOT
	atf_check -s exit:0 -o empty -e empty gcc -std=gnu11 -nostdinc $(manifest_isystem out/layout) -o bf bf.c
	atf_check -s exit:0 -o empty -e empty ./bf
	echo "$nbits bitfields at their manifest bits"
}

for v in default 6.1 6.12; do
	for a in x86_64 arm64 riscv64; do
		n=$(echo "${a}_$v" | tr . _)
		eval "
atf_test_case layout_$n
layout_${n}_head() {
	atf_set descr 'Every layout fact of the $a manifest ($v headers) holds for the $a compiler'
	atf_set require.progs '$(arch_cc $a)'
	atf_set timeout 900
}
layout_${n}_body() { check_arch_version $a $v; }"
	done
done

atf_test_case bitfields_default
bitfields_default_head() {
	atf_set descr 'Every x86_64 bitfield is at the bits the manifest says (installed headers)'
	atf_set require.progs gcc
}
bitfields_default_body() { check_bitfields_native default; }

atf_test_case bitfields_6_12
bitfields_6_12_head() {
	atf_set descr 'Every x86_64 bitfield is at the bits the manifest says (6.12 headers)'
	atf_set require.progs gcc
	atf_set timeout 900
}
bitfields_6_12_body() { check_bitfields_native 6.12; }

atf_init_test_cases() {
	for v in default 6_1 6_12; do
		for a in x86_64 arm64 riscv64; do
			atf_add_test_case layout_${a}_$v
		done
	done
	atf_add_test_case bitfields_default
	atf_add_test_case bitfields_6_12
}
