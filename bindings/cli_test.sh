#! /usr/bin/env atf-sh
# cli_test.sh - "$(kg)" gen/dump/diff as a user runs them: determinism, round trips, exit codes
# of diff, and every kind of bad input (one line naming the file, exit 2, no partial output).

# kg (the command under test) and the other shared helpers
KVMGATE_TOP=$(cd "$(atf_get_srcdir)/.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"

# The installed x86_64 headers copied into a headers_install-like tree we may break.
copy_headers() {
	mkdir -p hdr/include
	cp -r /usr/include/linux /usr/include/asm-generic hdr/include/
	cp -r /usr/include/x86_64-linux-gnu/asm hdr/include/
}

atf_test_case gen_deterministic
gen_deterministic_head() {
	atf_set descr 'Two runs of gen on the same input give byte-identical files'
}
gen_deterministic_body() {
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --no-dwarf -o a
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --no-dwarf -o b
	for f in layout bindings.rs layout.h kvm_abi.h; do
		[ -s a/$f ] || atf_fail "a/$f missing or empty"
		atf_check -s exit:0 cmp a/$f b/$f
	done
	# nothing but the outputs: no temporary files left behind
	atf_check -s exit:0 -o inline:'bindings.rs\nkvm_abi.h\nlayout\nlayout.h\n' ls a
}

atf_test_case prescan_equivalent
prescan_equivalent_head() {
	atf_set descr 'Macros evaluated in the one parse (after the text scan), and expressions of literals evaluated without the compiler, equal the compiler evaluating each in a second parse (KVMGATE_NO_PRESCAN=1 KVMGATE_NO_CEXPR=1)'
}
prescan_equivalent_body() {
	for a in x86_64 arm64 riscv64; do
		atf_check -s exit:0 -e ignore "$(kg)" gen --arch $a --no-dwarf -o one-$a
		atf_check -s exit:0 -e ignore env KVMGATE_NO_PRESCAN=1 KVMGATE_NO_CEXPR=1 "$(kg)" gen \
			--arch $a --no-dwarf -o two-$a
		for f in layout bindings.rs layout.h kvm_abi.h; do
			atf_check -s exit:0 cmp one-$a/$f two-$a/$f
		done
	done
}

# ioctl_headers DIR [IOCTL_H]: a headers tree whose kvm.h writes ioctls in every way the text scan
# predicts or does not (clang_ioctl.c), with Debian's asm-generic/ioctl.h or IOCTL_H instead.
ioctl_headers() {
	mkdir -p $1/include/linux $1/include/asm $1/include/asm-generic
	cp /usr/include/linux/ioctl.h $1/include/linux/
	echo '#include <asm-generic/ioctl.h>' > $1/include/asm/ioctl.h
	cp "${2:-/usr/include/asm-generic/ioctl.h}" $1/include/asm-generic/ioctl.h
	cat > $1/include/linux/kvm.h <<'EOF_KVM'
#ifndef _LINUX_KVM_H
#define _LINUX_KVM_H
#include <linux/ioctl.h>
#define KVMIO 0xAE
#define KVM_NR_H 0x08
struct kvm_a { int x; long y; };
struct kvm_inc;
#define KVM_A _IOW(KVMIO, 0x01, struct kvm_a)
#define KVM_B _IOR(KVMIO, 0x02, struct kvm_inc)
#define KVM_C _IO(KVMIO, 0x03)
#define KVM_D _IOW(KVM_UNDEF_IO, 0x04, struct kvm_a)
#ifdef __x86_64__
#define KVM_E _IOWR(KVMIO, 0x05, struct kvm_a)
#else
#define KVM_E _IOWR(KVMIO, 0x05, struct kvm_missing)
#endif
#define KVM_F _IOWR(KVMIO, 0x100, unsigned int)
#define KVM_G _IOW(KVMIO, 0x07, \
		   struct kvm_a)
#define KVM_H _IOW(KVMIO, KVM_NR_H, unsigned long) /* a comment */
#define KVM_I _IOR(KVMIO, 0x09, struct kvm_a[2])
#define KVM_J KVM_A
#define KVM_K _IOW(KVMIO, 0x0b, char *)
#endif
EOF_KVM
}

atf_test_case ioctl_parts_equivalent
ioctl_parts_equivalent_head() {
	atf_set descr 'ioctl numbers put together from _IOC parts equal the expansion by the compiler (KVMGATE_NO_PRESCAN=1), on the 6.12 headers and on a tree with every form, another _IOC layout and a non-generic _IOC'
}
ioctl_parts_equivalent_body() {
	for v in 6.12; do
		for a in x86_64 arm64 riscv64; do
			headers_tree $v $a
			atf_check -s exit:0 -e ignore "$(kg)" gen --arch $a --headers "$TREE" --no-dwarf \
				-o one-$v-$a
			atf_check -s exit:0 -e ignore env KVMGATE_NO_PRESCAN=1 KVMGATE_NO_CEXPR=1 \
				"$(kg)" gen --arch $a --headers "$TREE" --no-dwarf -o two-$v-$a
			for f in layout bindings.rs layout.h kvm_abi.h; do
				atf_check -s exit:0 cmp one-$v-$a/$f two-$v-$a/$f
			done
		done
	done
	# powerpc's layout of the bits (3 direction bits, 13 size bits), and an _IOC that is not
	# asm-generic's (its size masked): numbers from the parts, and the compiler's, agree
	sed -e 's/_IOC_SIZEBITS\t14/_IOC_SIZEBITS\t13/; s/_IOC_DIRBITS\t2/_IOC_DIRBITS\t3/' \
		-e 's/_IOC_NONE\t0U/_IOC_NONE\t1U/; s/_IOC_READ\t2U/_IOC_READ\t4U/' \
		/usr/include/asm-generic/ioctl.h > ppc.h
	sed 's/((size) << _IOC_SIZESHIFT))/(((size) \& _IOC_SIZEMASK) << _IOC_SIZESHIFT))/' \
		/usr/include/asm-generic/ioctl.h > masked.h
	atf_check -s exit:1 cmp -s ppc.h /usr/include/asm-generic/ioctl.h
	atf_check -s exit:1 cmp -s masked.h /usr/include/asm-generic/ioctl.h
	for t in generic ppc masked; do
		case $t in generic) ioctl_headers $t ;; *) ioctl_headers $t $t.h ;; esac
		for a in x86_64 arm64; do
			atf_check -s exit:0 -e ignore "$(kg)" gen --arch $a --headers $t --no-dwarf -o $t-$a
			atf_check -s exit:0 -e ignore env KVMGATE_NO_PRESCAN=1 KVMGATE_NO_CEXPR=1 \
				"$(kg)" gen --arch $a --headers $t --no-dwarf -o $t-$a-cc
			for f in layout bindings.rs; do
				atf_check -s exit:0 cmp $t-$a/$f $t-$a-cc/$f
			done
		done
	done
	# the values themselves: struct kvm_a is 16 bytes; _IOC_WRITE (1U) is shifted by 30 here,
	# by 29 in the ppc layout, where _IOC_NONE is 1U
	atf_check -s exit:0 -o match:'number=0x4010ae01' grep '^ioctl	KVM_A	' generic-x86_64/layout
	atf_check -s exit:0 -o match:'number=0x2010ae01' grep '^ioctl	KVM_A	' ppc-x86_64/layout
	atf_check -s exit:0 -o match:'number=0x2000ae03' grep '^ioctl	KVM_C	' ppc-x86_64/layout
	atf_check -s exit:0 -o match:'number=0x4008ae08' grep '^ioctl	KVM_H	' generic-x86_64/layout
	atf_check -s exit:0 -o match:'number=0x8020ae09' grep '^ioctl	KVM_I	' generic-x86_64/layout
	atf_check -s exit:0 -o match:"incomplete type 'struct kvm_inc'" \
		grep '^uneval	KVM_B	' generic-x86_64/layout
	atf_check -s exit:0 -o match:"undeclared identifier 'KVM_UNDEF_IO'" \
		grep '^uneval	KVM_D	' generic-x86_64/layout
	atf_check -s exit:0 -o match:'number=0xc010ae05' grep '^ioctl	KVM_E	' generic-x86_64/layout
	atf_check -s exit:0 -o match:"incomplete type 'struct kvm_missing'" \
		grep '^uneval	KVM_E	' generic-arm64/layout
}

# A headers tree of one struct, two macros that call an undeclared function (one first, one
# last) and enough evaluated macros between them that gen splits its parse in two.
implicit_headers() {
	mkdir -p imp/include/linux
	{
		echo '#ifndef _LINUX_KVM_H'
		echo '#define _LINUX_KVM_H'
		echo 'struct kvm_x { int a; };'
		echo '#define KVM_EARLY kvm_undeclared(1)'
		i=0
		while [ $i -lt 120 ]; do
			echo "#define KVM_C$i ((${i}UL) << 2)"
			i=$((i + 1))
		done
		echo '#define KVM_LATE kvm_undeclared(2)'
		echo '#endif'
	} > imp/include/linux/kvm.h
}

atf_test_case split_parse_equivalent
split_parse_equivalent_head() {
	atf_set descr 'The parse split over two threads (KVMGATE_SPLIT=1) gives the outputs of one parse, also where an earlier macro declares a function implicitly for a later one'
}
split_parse_equivalent_body() {
	for a in x86_64 arm64 riscv64; do
		atf_check -s exit:0 -e ignore env KVMGATE_SPLIT=1 "$(kg)" gen --arch $a --no-dwarf \
			-o split-$a
		atf_check -s exit:0 -e ignore env KVMGATE_NO_SPLIT=1 "$(kg)" gen --arch $a --no-dwarf -o one-$a
		for f in layout bindings.rs layout.h kvm_abi.h; do
			atf_check -s exit:0 cmp split-$a/$f one-$a/$f
		done
	done
	implicit_headers
	atf_check -s exit:0 -e ignore env KVMGATE_SPLIT=1 "$(kg)" gen --arch x86_64 --headers imp \
		--no-dwarf -o split
	atf_check -s exit:0 -e ignore env KVMGATE_NO_SPLIT=1 "$(kg)" gen --arch x86_64 --headers imp \
		--no-dwarf -o one
	for f in layout bindings.rs; do
		atf_check -s exit:0 cmp split/$f one/$f
	done
	# C's order: the first call declares kvm_undeclared, the last one is no constant then
	atf_check -s exit:0 -o match:"call to undeclared function 'kvm_undeclared'" \
		grep '^uneval	KVM_EARLY	' split/layout
	atf_check -s exit:0 -o match:'initializer element is not a compile-time constant' \
		grep '^uneval	KVM_LATE	' split/layout
}

atf_test_case probe_cancelled
probe_cancelled_head() {
	atf_set descr 'A parse error stops gen after its DWARF probe started: exit 2, no outputs, the probe directory removed'
}
probe_cancelled_body() {
	copy_headers
	awk '/^struct kvm_pit_config/ { print; print "\t__u32 flags oops;"; next } { print }' \
		/usr/include/linux/kvm.h > hdr/include/linux/kvm.h
	mkdir tmp
	atf_check -s exit:2 -e match:'^kvmgate: .*kvm.h:[0-9]+:[0-9]+: error: ' \
		env TMPDIR="$PWD/tmp" "$(kg)" gen --arch x86_64 --headers hdr -o out
	[ ! -e out ] || atf_fail "gen wrote out/ on a parse error"
	atf_check -s exit:0 -o empty ls -A tmp
}

atf_test_case libclang_missing
libclang_missing_head() {
	atf_set descr 'gen without a usable libclang (KVMGATE_LIBCLANG): exit 2 with one line naming it, its DWARF probe stopped, no outputs'
}
libclang_missing_body() {
	mkdir tmp
	for opt in "" --no-dwarf; do
		atf_check -s exit:2 -o empty \
			-e match:'^kvmgate: cannot load libclang: /nonexistent/libclang.so: ' \
			env TMPDIR="$PWD/tmp" KVMGATE_LIBCLANG=/nonexistent/libclang.so \
			"$(kg)" gen --arch x86_64 $opt -o out
		# a library that is not libclang: the first function it lacks is named
		atf_check -s exit:2 -o empty \
			-e match:'^kvmgate: libz.so.1: no clang_[A-Za-z_]+ \(libclang 19 or later is needed\)$' \
			env TMPDIR="$PWD/tmp" KVMGATE_LIBCLANG=libz.so.1 "$(kg)" gen --arch x86_64 $opt -o out
		[ ! -e out ] || atf_fail "gen wrote out/ without libclang"
		atf_check -s exit:0 -o empty ls -A tmp
	done
}

atf_test_case keep_probe
keep_probe_head() {
	atf_set descr 'gen --keep-probe leaves the probe object; dump of it (pahole on its DWARF) equals layout.dwarf'
	atf_set require.progs pahole
}
keep_probe_body() {
	for a in arm64 riscv64; do
		atf_check -s exit:0 -e ignore "$(kg)" gen --arch $a --keep-probe -o $a
		atf_check -s exit:0 -o inline:'bindings.rs\nkvm_abi.h\nlayout\nlayout.dwarf\nlayout.h\nprobe.o\n' ls -A $a
		# the object's ELF machine names its arch
		atf_check -s exit:0 -o save:d "$(kg)" dump $a/probe.o
		atf_check -s exit:0 -o ignore grep "^meta	arch	$a\$" d
		atf_check -s exit:0 cmp d $a/layout.dwarf
	done
}

atf_test_case dump_roundtrip
dump_roundtrip_head() {
	atf_set descr 'dump of headers equals gen layout; dump of a manifest reproduces it'
}
dump_roundtrip_body() {
	for a in arm64 riscv64; do
		atf_check -s exit:0 -e ignore "$(kg)" gen --arch $a --no-dwarf -o g
		atf_check -s exit:0 -o save:d1 "$(kg)" dump --arch $a
		atf_check -s exit:0 cmp g/layout d1
		atf_check -s exit:0 -o save:d2 "$(kg)" dump g/layout
		atf_check -s exit:0 cmp g/layout d2
	done
}

atf_test_case diff_exit_status
diff_exit_status_head() {
	atf_set descr 'diff exits 0 on equal manifests, 1 on a moved field (naming it), 0 with an allow entry'
}
diff_exit_status_body() {
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --no-dwarf -o g
	atf_check -s exit:0 -o match:'^kvmgate diff: 0 incompatible, 0 api, 0 added' \
		-o match:'^kvmgate diff: verdict patch: ' "$(kg)" diff g/layout g/layout
	sed 's/^\(field	struct kvm_regs	rbx	offset=\)8/\116/' g/layout > moved
	cmp -s g/layout moved && atf_fail "mutation did not apply"
	atf_check -s exit:1 -o match:'incompatible +field struct kvm_regs.rbx: offset=8 size=8 type=__u64 -> offset=16' \
		-o match:'^kvmgate diff: 1 incompatible, 0 api, ' "$(kg)" diff g/layout moved
	printf 'field\tstruct kvm_regs\trbx\treason=test: moved on purpose\n' > allow
	atf_check -s exit:0 -o match:'allowed +field struct kvm_regs.rbx.*test: moved on purpose' \
		"$(kg)" diff --allow allow g/layout moved
	# the x86_64 manifest against arm64's: an error, one line, unless --any-arch
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch arm64 --no-dwarf -o a
	atf_check -s exit:2 -o empty \
		-e inline:"kvmgate: diff: A is x86_64, B is arm64: the layouts of two arches do not compare (--any-arch compares them anyway)\n" \
		"$(kg)" diff g/layout a/layout
	atf_check -s exit:1 -o match:'warning: comparing arch x86_64 with arch arm64' \
		-o match:'incompatible +type struct kvm_regs: size' "$(kg)" diff --any-arch g/layout a/layout
}

atf_test_case bad_arch
bad_arch_head() {
	atf_set descr 'An unknown arch is exit 2 with one line and no output directory'
}
bad_arch_body() {
	atf_check -s exit:2 -e inline:"kvmgate: gen: unknown arch 'riscv' (expected x86_64, arm64 or riscv64)\n" \
		"$(kg)" gen --arch riscv -o out
	[ ! -e out ] || atf_fail "out was created"
}

atf_test_case bad_headers_dir
bad_headers_dir_head() {
	atf_set descr 'A missing headers directory names the kvm.h it looked for, exit 2'
}
bad_headers_dir_body() {
	atf_check -s exit:2 -e match:'^kvmgate: /nonexistent/include/linux/kvm.h: not found' \
		"$(kg)" gen --arch x86_64 --headers /nonexistent -o out
	[ ! -e out ] || atf_fail "out was created"
	atf_check -s exit:2 -e match:'^kvmgate: /nonexistent: No such file' "$(kg)" dump /nonexistent
	# a headers tree without --arch: refused, not guessed
	copy_headers
	atf_check -s exit:2 -o empty -e match:'hdr: a headers tree needs --arch' "$(kg)" dump hdr
	atf_check -s exit:0 -o match:'^meta	arch	x86_64$' "$(kg)" dump --arch x86_64 hdr
}

atf_test_case bad_header_syntax
bad_header_syntax_head() {
	atf_set descr 'A header with a syntax error gives FILE:LINE:COL and exit 2; an existing output dir keeps its files'
}
bad_header_syntax_body() {
	copy_headers
	awk '/^struct kvm_pit_config/ { print; print "\t__u32 flags oops;"; next } { print }' \
		/usr/include/linux/kvm.h > hdr/include/linux/kvm.h
	mkdir out
	echo precious > out/layout
	atf_check -s exit:2 -e match:"^kvmgate: .*hdr/include/linux/kvm.h:[0-9]+:[0-9]+: error: " \
		"$(kg)" gen --arch x86_64 --headers hdr -o out
	[ "$(cat out/layout)" = precious ] || atf_fail "out/layout was overwritten on failure"
	atf_check -s exit:0 -o inline:'layout\n' ls -A out
}

atf_test_case bad_manifest
bad_manifest_head() {
	atf_set descr 'Truncated and corrupted manifests: FILE:LINE, exit 2, nothing on stdout'
}
bad_manifest_body() {
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --no-dwarf -o g
	head -c 20000 g/layout > trunc
	atf_check -s exit:2 -o empty -e match:'^kvmgate: trunc:[0-9]+: truncated' "$(kg)" dump trunc
	head -n 300 g/layout > trunc2
	atf_check -s exit:2 -o empty -e match:'^kvmgate: trunc2:[0-9]+: truncated: expected the end line' \
		"$(kg)" dump trunc2
	sed '12s/size=[0-9]*/size=twelve/' g/layout > corrupt
	atf_check -s exit:2 -o empty -e match:"^kvmgate: corrupt:12: expected a number after 'size='" \
		"$(kg)" dump corrupt
	atf_check -s exit:2 -o empty -e match:'^kvmgate: corrupt:12:' "$(kg)" diff g/layout corrupt
	printf 'hello\n' > junk
	atf_check -s exit:2 -o empty -e match:'^kvmgate: junk: not a manifest' "$(kg)" dump junk
}

atf_test_case usage_errors
usage_errors_head() {
	atf_set descr 'Unknown commands and missing operands are exit 2 with a usage line'
}
usage_errors_body() {
	atf_check -s exit:2 -e match:"unknown command 'frobnicate'" "$(kg)" frobnicate
	atf_check -s exit:2 -e match:'--arch and -o OUTDIR are required' "$(kg)" gen --arch x86_64
	atf_check -s exit:2 -e match:'usage: kvmgate diff' "$(kg)" diff onlyone
	atf_check -s exit:0 -o match:'^kvmgate [0-9]' "$(kg)" --version
	atf_check -s exit:0 -o match:'gen' -o match:'dump' -o match:'diff' "$(kg)" --help
	for c in gen dump diff; do
		atf_check -s exit:0 -o match:"^usage: kvmgate $c" "$(kg)" $c --help
	done
}

atf_test_case valgrind_clean
valgrind_clean_head() {
	atf_set descr 'gen (both arches, with the DWARF view), dump and diff run valgrind-clean: no error, no leak'
	atf_set require.progs valgrind
	atf_set timeout 600
}
valgrind_clean_body() {
	if ldd "$(kg)" | grep -q 'libasan'; then
		atf_skip "kvmgate is built with sanitizers (make SANITIZE=1): valgrind cannot run it"
	fi
	vg=$VALGRIND
	for a in x86_64 arm64; do
		atf_check -s exit:0 -o empty -e match:"^kvmgate: $a" $vg "$(kg)" gen --arch $a -o $a
	done
	atf_check -s exit:0 -o save:d $vg "$(kg)" dump x86_64/layout
	atf_check -s exit:1 -o match:'incompatible' $vg "$(kg)" diff --any-arch x86_64/layout arm64/layout
	atf_check -s exit:1 -o match:'"verdict"' $vg "$(kg)" diff --json --any-arch x86_64/layout \
		arm64/layout
	atf_check -s exit:2 -e match:'A is x86_64, B is arm64' $vg "$(kg)" diff x86_64/layout arm64/layout
	atf_check -s exit:2 -e match:'not found' $vg "$(kg)" gen --arch x86_64 --headers /nonexistent -o x
}

atf_init_test_cases() {
	atf_add_test_case valgrind_clean
	atf_add_test_case gen_deterministic
	atf_add_test_case prescan_equivalent
	atf_add_test_case split_parse_equivalent
	atf_add_test_case ioctl_parts_equivalent
	atf_add_test_case probe_cancelled
	atf_add_test_case libclang_missing
	atf_add_test_case keep_probe
	atf_add_test_case dump_roundtrip
	atf_add_test_case diff_exit_status
	atf_add_test_case bad_arch
	atf_add_test_case bad_headers_dir
	atf_add_test_case bad_header_syntax
	atf_add_test_case bad_manifest
	atf_add_test_case usage_errors
}
