#! /usr/bin/env atf-sh
# abi_test.sh - kvm_abi.h, the bindings' C ABI header that conformance/ compiles against, agrees
# with the real <linux/kvm.h> in every layout fact and number: the static assertions of layout.h
# compiled against kvm_abi.h instead of <linux/kvm.h> (arch compiler), the rows of kvm_abi.h's
# own tables turned into static assertions against <linux/kvm.h> (abi_check.awk), the bitfields
# at run time (x86_64 natively); on the installed headers and the 6.1 and 6.12 trees. A header
# rendered from a manifest with one offset or one value edited fails both checks; `kvmgate abi`
# renders a bindings.rs with the candidate's sizes and the reference's ioctl numbers.

# kg (the command under test), arch_cc, and the header cache of the real home (KVMGATE_CACHE:
# kyua gives each test a HOME of its own, where kernel-headers.sh would unpack again each time)
KVMGATE_TOP=$(cd "$(atf_get_srcdir)/../.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"
cc_of() { arch_cc "$1"; }

headers_of() {
	[ "$1" = default ] && return 0
	"$(atf_get_srcdir)/../../dwarf/kernel-headers.sh" "$1" "$2" 2>kernel-headers.err ||
		atf_fail "kernel-headers.sh $1 $2: $(cat kernel-headers.err)"
}

# -isystem flags from the manifest's "meta source headers DIR:DIR" line
incflags() {
	sed -n 's/^meta\tsource\theaders //p' "$1" | tr ':' '\n' | sed 's/^/-isystem /' | tr '\n' ' '
}

# layout_vs_abi DIR HEADER CC: layout.h's assertions (of DIR/layout) hold for HEADER
layout_vs_abi() {
	printf '#include "%s"\n#include "%s/layout.h"\n#define KVMGATE_ABI_TABLES\n#include "%s"\n' \
		"$2" "$1" "$2" > lprobe.c
	$3 -std=gnu11 -Wall -Werror -fsyntax-only -nostdinc $(incflags "$1/layout") \
		-DKVMGATE_LAYOUT_ASSERT lprobe.c
}

# tables_vs_kvm_h DIR HEADER CC: HEADER's table rows as assertions against <linux/kvm.h>
tables_vs_kvm_h() {
	awk -f "$(atf_get_srcdir)/abi_check.awk" "$2" > checks.h
	printf '#include <linux/kvm.h>\n#include "checks.h"\n' > tprobe.c
	$3 -std=gnu11 -fsyntax-only -nostdinc $(incflags "$1/layout") tprobe.c
}

# ok CMD...: CMD passes with nothing on stderr
ok() {
	"$@" > cmd.out 2> cmd.err || atf_fail "$1 failed: $(grep -m3 error cmd.err)"
	[ -s cmd.err ] && atf_fail "$1: unexpected stderr: $(head -3 cmd.err)"
	return 0
}

# fails_with REGEX CMD...: CMD fails and its stderr matches REGEX
fails_with() {
	re=$1
	shift
	"$@" > cmd.out 2> cmd.err && atf_fail "$1 passed on a wrong header"
	grep -E "$re" cmd.err | head -1
	grep -qE "$re" cmd.err || atf_fail "$1 failed without naming '$re': $(grep -m3 error cmd.err)"
}

check_abi() {
	arch=$1 version=$2
	dir=$(headers_of "$version" "$arch")
	cc=$(cc_of "$arch")
	atf_check -s exit:0 -o empty -e match:"kvmgate: $arch" \
		"$(kg)" gen --arch "$arch" ${dir:+--headers "$dir"} --no-dwarf -o out
	ok layout_vs_abi out out/kvm_abi.h "$cc"
	ok tables_vs_kvm_h out out/kvm_abi.h "$cc"
	# every record of the manifest has its row, and each row its assertion
	rows=$(tail -1 checks.h | tr -d ";")
	echo "$arch $version: $rows"
	for k in ioctl type field const; do
		n=$(grep -c "^$k	" out/layout)
		case $rows in
		*" ${k}s $n "*) ;;
		*) atf_fail "$n ${k}s in the manifest, table rows: $rows" ;;
		esac
	done
	nassert=$(grep -c '^_Static_assert' checks.h)
	nrec=$(grep -c '^\(ioctl\|type\|field\|const\)	' out/layout)
	[ "$nassert" -ge "$nrec" ] || atf_fail "$nassert assertions for $nrec records"
	# no <linux/kvm.h> inside: linux/types.h is its only kernel header
	atf_check -s exit:0 -o inline:'#include <linux/types.h>\n' grep '^#include' out/kvm_abi.h
}

check_bitfields() {
	dir=$(headers_of "$1" x86_64)
	atf_check -s exit:0 -o empty -e ignore \
		"$(kg)" gen --arch x86_64 ${dir:+--headers "$dir"} --no-dwarf -o out
	grep -q 'bitoffset=' out/layout || atf_fail "no bitfield in the x86_64 manifest"
	cat > bf.c <<EOT
#include "out/kvm_abi.h"
#define KVMGATE_LAYOUT_BITFIELDS
#include "out/layout.h"
int puts(const char *s);
static void report(const char *what) { puts(what); }
int main(void) { return kvmgate_check_bitfields(report) != 0; }
EOT
	atf_check -s exit:0 -o empty -e empty gcc -std=gnu11 -Wall -Werror -nostdinc \
		$(incflags out/layout) -o bf bf.c
	atf_check -s exit:0 -o empty -e empty ./bf
}

for v in default 6.1 6.12; do
	for a in x86_64 arm64 riscv64; do
		n=$(echo "${a}_$v" | tr . _)
		eval "
atf_test_case abi_$n
abi_${n}_head() {
	atf_set descr 'kvm_abi.h of the $a manifest ($v headers) agrees with <linux/kvm.h> in every fact'
	atf_set require.progs '$(cc_of $a)'
	atf_set timeout 900
}
abi_${n}_body() { check_abi $a $v; }"
	done
done

atf_test_case bitfields_default
bitfields_default_head() {
	atf_set descr 'Every x86_64 bitfield of kvm_abi.h is at the manifest bits (installed headers)'
	atf_set require.progs gcc
}
bitfields_default_body() { check_bitfields default; }

atf_test_case bitfields_6_12
bitfields_6_12_head() {
	atf_set descr 'Every x86_64 bitfield of kvm_abi.h is at the manifest bits (6.12 headers)'
	atf_set require.progs gcc
	atf_set timeout 900
}
bitfields_6_12_body() { check_bitfields 6.12; }

atf_test_case wrong_header_fails
wrong_header_fails_head() {
	atf_set descr 'A kvm_abi.h rendered from a manifest with kvm_regs.rax/rbx offsets swapped, or KVM_EXIT_IO changed, fails both checks, naming the fact'
	atf_set require.progs gcc
}
wrong_header_fails_body() {
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --no-dwarf -o out
	sed -e 's/^\(field	struct kvm_regs	rax	offset=\)0	/\18	/' \
	    -e 's/^\(field	struct kvm_regs	rbx	offset=\)8	/\10	/' out/layout > swapped
	[ "$(diff out/layout swapped | grep -c '^>')" = 2 ] || atf_fail "swap did not apply"
	atf_check -s exit:0 "$(kg)" abi swapped -o swapped.h
	fails_with 'offset of struct kvm_regs.rax' layout_vs_abi out swapped.h gcc
	fails_with 'field struct kvm_regs.rax offset' tables_vs_kvm_h out swapped.h gcc
	sed 's/^\(const	KVM_EXIT_IO	value=\)2$/\15/' out/layout > exitio
	[ "$(diff out/layout exitio | grep -c '^>')" = 1 ] || atf_fail "value edit did not apply"
	atf_check -s exit:0 "$(kg)" abi exitio -o exitio.h
	fails_with 'value of KVM_EXIT_IO' layout_vs_abi out exitio.h gcc
	fails_with 'const KVM_EXIT_IO"' tables_vs_kvm_h out exitio.h gcc
	# and the unedited one passes the same checks
	atf_check -s exit:0 "$(kg)" abi out/layout -o good.h
	ok layout_vs_abi out good.h gcc
	ok tables_vs_kvm_h out good.h gcc
}

atf_test_case abi_command
abi_command_head() {
	atf_set descr 'kvmgate abi of the manifest equals gen kvm_abi.h; of a headers tree too; --help; bad input is one line, exit 2, nothing written'
}
abi_command_body() {
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch arm64 --no-dwarf -o out
	atf_check -s exit:0 -o empty -e empty "$(kg)" abi out/layout -o a.h
	atf_check -s exit:0 cmp out/kvm_abi.h a.h
	atf_check -s exit:0 -o save:b.h -e empty "$(kg)" abi out/layout
	atf_check -s exit:0 cmp a.h b.h
	atf_check -s exit:0 -o match:'^usage: kvmgate abi ' "$(kg)" abi --help
	echo 'not a manifest' > junk
	atf_check -s exit:2 -o empty -e save:err "$(kg)" abi junk -o c.h
	grep -q '^kvmgate: junk: not a manifest' err || atf_fail "unexpected message: $(cat err)"
	[ "$(wc -l < err)" = 1 ] || atf_fail "more than one line on stderr"
	atf_check -s exit:2 -o empty -e match:'^kvmgate: usage' "$(kg)" abi
	[ -z "$(ls -A | grep 'c\.h')" ] || atf_fail "c.h or a temporary file left on bad input"
}

atf_test_case bindings_rs_sizes
bindings_rs_sizes_head() {
	atf_set descr 'kvm_abi.h of a bindings.rs whose kvm_regs is 8 bytes larger than the reference keeps the candidate size; KVM_GET_REGS keeps the size the reference encodes'
	atf_set require.progs gcc
}
bindings_rs_sizes_body() {
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --no-dwarf -o out
	# the candidate: kvm_regs's layout assertion says 152 bytes; and without ioctls, as bindgen
	awk '/size_of::<kvm_regs>\(\)/ { grow = 1 } grow && /144usize/ { sub(/144usize/, "152usize"); grow = 0 }
	     /^pub const KVM_[A-Z0-9_]*: u32 = 0x[0-9a-f]*; \/\/ ioctl / { next } { print }' \
		out/bindings.rs > cand.rs
	grep -q 152usize cand.rs || atf_fail "the size edit did not apply"
	atf_check -s exit:0 -o empty -e empty "$(kg)" abi cand.rs -o noioctl.h
	grep -q '^#define KVM_GET_REGS ' noioctl.h && atf_fail "cand.rs still has ioctls"
	atf_check -s exit:0 -o empty -e match:'kvmgate: [0-9]+ ioctls from out/layout' \
		"$(kg)" abi --ioctls out/layout cand.rs -o cand.h
	printf '%s\n' '#include <sys/ioctl.h>' '#include "cand.h"' \
		'_Static_assert(sizeof(struct kvm_regs) == 152, "candidate size");' \
		'_Static_assert(_IOC_SIZE(KVM_GET_REGS) == 144, "reference size");' \
		'_Static_assert(KVM_GET_REGS == 0x8090ae81U, "reference number");' > sz.c
	atf_check -s exit:0 -o empty -e empty gcc -std=gnu11 -Wall -Werror -fsyntax-only sz.c
	# the same with bindgen's own output, when bindgen runs here
	if command -v bindgen > /dev/null && [ -d /usr/lib/llvm-14/lib ]; then
		LIBCLANG_PATH=/usr/lib/llvm-14/lib bindgen /usr/include/linux/kvm.h --with-derive-default \
			-- -I/usr/include -I/usr/include/x86_64-linux-gnu > bg.rs 2> bg.err ||
			atf_fail "bindgen: $(head -2 bg.err)"
		atf_check -s exit:0 -o empty -e match:'ioctls from' \
			"$(kg)" abi --arch x86_64 --ioctls out/layout bg.rs -o bg.h
		printf '#include <sys/ioctl.h>\n#include "bg.h"\n#define KVMGATE_ABI_TABLES\n#include "bg.h"\n' > bg.c
		atf_check -s exit:0 -o empty -e empty gcc -std=gnu11 -Wall -Wextra -Werror -c bg.c
	fi
}

atf_init_test_cases() {
	for v in default 6_1 6_12; do
		for a in x86_64 arm64 riscv64; do
			atf_add_test_case abi_${a}_$v
		done
	done
	atf_add_test_case bitfields_default
	atf_add_test_case bitfields_6_12
	atf_add_test_case wrong_header_fails
	atf_add_test_case abi_command
	atf_add_test_case bindings_rs_sizes
}
