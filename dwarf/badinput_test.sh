#! /usr/bin/env atf-sh
# badinput_test.sh - what pahole or kvmgate cannot read is an error (exit 2, one line naming the
# file), never an empty result: not an ELF, a truncated BTF blob, a truncated ELF, an ELF without
# BTF or DWARF, a module (.ko or split BTF) without its base, pahole missing, gen whose DWARF check
# cannot run. And the references they are set against: small BTF and DWARF inputs made here
# that are read.

. "$(atf_get_srcdir)/common.sh"

# A small object with DWARF and its BTF (pahole -J), made here: no download needed.
make_btf() {
	printf 'struct kvm_regs { unsigned long long rax, rbx; };\nstruct kvm_regs r;\n' > t.c
	atf_check -s exit:0 gcc -g -c -o t.o t.c
	atf_check -s exit:0 -o ignore -e ignore pahole -J --btf_encode_detached=t.btf t.o
	[ -s t.btf ] || atf_fail "pahole -J wrote no BTF"
}

atf_test_case good_small_btf
good_small_btf_head() {
	atf_set descr 'The reference: the small BTF blob and the ELF with DWARF are read (exit 0)'
	atf_set require.progs 'gcc pahole'
}
good_small_btf_body() {
	make_btf
	atf_check -s exit:0 -o save:m -e ignore "$(kg)" dump --from btf --arch x86_64 t.btf
	atf_check -s exit:0 -o ignore grep '^type	struct kvm_regs	size=16	align=8$' m
	atf_check -s exit:0 -o save:d -e ignore "$(kg)" dump --from dwarf t.o
	atf_check -s exit:0 -o ignore grep '^field	struct kvm_regs	rbx	offset=8	size=8	type=unsigned long long$' d
}

atf_test_case image_header_arch
image_header_arch_head() {
	atf_set descr 'A kernel Image header (arm64 "ARM\x64", riscv "RSC\x05" at 0x38) names the arch of the manifest of its BTF; other bytes there are no Image'
	atf_set require.progs 'gcc pahole'
}
image_header_arch_body() {
	# a BTF blob of more than 1 KiB (smaller ones are not taken for a kernel's)
	{
		printf 'struct kvm_regs { unsigned long long rax, rbx; };\nstruct kvm_regs r;\n'
		for i in $(seq 1 60); do printf 'struct f%d { int a; long b; };\nstruct f%d f%d;\n' $i $i $i; done
	} > t.c
	atf_check -s exit:0 gcc -g -c -o t.o t.c
	atf_check -s exit:0 -o ignore -e ignore pahole -J --btf_encode_detached=t.btf t.o
	[ "$(stat -c %s t.btf)" -gt 1024 ] || atf_fail "the BTF blob is too small"
	for m in 'arm64 ARM\144' 'riscv64 RSC\005' 'none XYZ\005'; do
		{ head -c 56 /dev/zero; printf "${m#* }"; head -c 4 /dev/zero; cat t.btf; head -c 2048 /dev/zero; } > Image
		if [ "${m%% *}" = none ]; then
			atf_check -s exit:2 -o empty -e match:'Image: not a manifest' "$(kg)" dump Image
			continue
		fi
		atf_check -s exit:0 -o save:m -e ignore "$(kg)" dump Image
		atf_check -s exit:0 -o ignore grep "^meta	arch	${m%% *}\$" m
		atf_check -s exit:0 -o ignore grep '^type	struct kvm_regs	size=16	align=8$' m
	done
}

atf_test_case not_elf
not_elf_head() {
	atf_set descr 'A text file given as BTF or DWARF: exit 2 naming it'
}
not_elf_body() {
	echo 'hello' > notelf
	atf_check -s exit:2 -o empty -e match:'notelf: not an ELF' "$(kg)" dump --from btf notelf
	atf_check -s exit:2 -o empty -e match:'notelf: not an ELF object' "$(kg)" dump --from dwarf notelf
	: > empty
	atf_check -s exit:2 -o empty -e match:'empty: empty file' "$(kg)" dump --from btf empty
}

atf_test_case truncated_btf
truncated_btf_head() {
	atf_set descr 'A BTF blob cut short: exit 2 with the sizes'
	atf_set require.progs 'gcc pahole'
}
truncated_btf_body() {
	make_btf
	head -c $(( $(stat -c %s t.btf) - 20 )) t.btf > short.btf
	atf_check -s exit:2 -o empty -e match:'short.btf: truncated BTF: its header claims [0-9]+ bytes, the file has [0-9]+' \
		"$(kg)" dump --from btf short.btf
}

atf_test_case truncated_elf
truncated_elf_head() {
	atf_set descr 'An ELF cut short (its section table gone): exit 2'
	atf_set require.progs 'gcc pahole'
}
truncated_elf_body() {
	make_btf
	head -c 200 t.o > short.o
	atf_check -s exit:2 -o empty -e match:'short.o: truncated or malformed ELF' "$(kg)" dump --from dwarf short.o
	atf_check -s exit:2 -o empty -e match:'short.o: truncated or malformed ELF' "$(kg)" dump --from btf short.o
}

atf_test_case elf_without_debug_info
elf_without_debug_info_head() {
	atf_set descr 'An ELF without .BTF or without DWARF for the format asked: exit 2 saying which'
	atf_set require.progs 'gcc'
}
elf_without_debug_info_body() {
	printf 'int x;\n' > n.c
	atf_check -s exit:0 gcc -c -o n.o n.c
	atf_check -s exit:2 -o empty -e match:'n.o: no .BTF section' "$(kg)" dump --from btf n.o
	atf_check -s exit:2 -o empty -e match:'n.o: no DWARF' "$(kg)" dump --from dwarf n.o
}

atf_test_case ko_without_base
ko_without_base_head() {
	atf_set descr 'A module .ko without --btf-base, and with a base that is a module: exit 2'
	atf_set require.progs 'pahole xz'
	atf_set timeout 600
}
ko_without_base_body() {
	kernel_pkg x86_64
	root=$KROOT
	ko=$(find "$root/lib/modules" -name kvm.ko | head -n 1)
	amd=$(find "$root/lib/modules" -name kvm-amd.ko | head -n 1)
	atf_check -s exit:2 -o empty -e match:'kvm.ko: module BTF is split BTF and needs the BTF of its kernel: give --btf-base' \
		"$(kg)" dump --from btf "$ko"
	atf_check -s exit:2 -o empty -e match:'a module cannot be the BTF base' \
		"$(kg)" dump --from btf --btf-base "$ko" "$amd"
}

atf_test_case split_btf_without_base
split_btf_without_base_head() {
	atf_set descr 'Split BTF in a file (a module BTF copied out of /sys/kernel/btf, as the guests hand back) without --btf-base: exit 2 asking for it; with its base it is read'
	atf_set require.progs 'gcc pahole'
}
split_btf_without_base_body() {
	make_btf
	printf 'struct kvm_regs { unsigned long long rax, rbx; };\nstruct kvm_sregs { struct kvm_regs r; int x; };\nstruct kvm_sregs s;\n' > m.c
	atf_check -s exit:0 gcc -g -c -o m.o m.c
	atf_check -s exit:0 -o ignore -e ignore pahole -J --btf_base=t.btf --btf_encode_detached=m.btf m.o
	atf_check -s exit:2 -o empty -e match:'m.btf: module BTF is split BTF and needs the BTF of its kernel: give --btf-base' \
		"$(kg)" dump --from btf --arch x86_64 m.btf
	atf_check -s exit:0 -o save:m -e ignore "$(kg)" dump --from btf --arch x86_64 --btf-base t.btf m.btf
	atf_check -s exit:0 -o ignore grep '^field	struct kvm_sregs	x	offset=16	size=4	type=int$' m
}

atf_test_case pahole_missing
pahole_missing_head() {
	atf_set descr 'pahole not installed (KVMGATE_PAHOLE naming nothing, or not on PATH): exit 2 saying so'
	atf_set require.progs 'gcc pahole'
}
pahole_missing_body() {
	make_btf
	atf_check -s exit:2 -o empty -e match:'/nonexistent/pahole: cannot run: No such file or directory \(install dwarves\)' \
		env KVMGATE_PAHOLE=/nonexistent/pahole "$(kg)" dump --from btf t.btf
	kg=$(kg)
	case $kg in /*) ;; *) kg=$PWD/$kg ;; esac
	atf_check -s exit:2 -o empty -e match:'pahole: cannot run' env PATH=/nonexistent "$kg" dump --from btf t.btf
}

atf_test_case pahole_fails
pahole_fails_head() {
	atf_set descr 'pahole that fails or dies: exit 2 with its message'
	atf_set require.progs 'gcc pahole'
}
pahole_fails_body() {
	make_btf
	printf '#!/bin/sh\necho "libbpf: something is wrong" >&2\nexit 1\n' > fake-pahole
	chmod +x fake-pahole
	atf_check -s exit:2 -o empty -e match:'t.btf: .*fake-pahole failed \(exit 1\): libbpf: something is wrong' \
		env KVMGATE_PAHOLE=$PWD/fake-pahole "$(kg)" dump --from btf t.btf
	printf '#!/bin/sh\nkill -SEGV $$\n' > fake-pahole
	atf_check -s exit:2 -o empty -e match:'killed by signal 11' \
		env KVMGATE_PAHOLE=$PWD/fake-pahole "$(kg)" dump --from btf t.btf
	# output pahole never writes is not taken for a layout
	printf '#!/bin/sh\necho "struct kvm_regs {"\necho "garbage here"\n' > fake-pahole
	atf_check -s exit:2 -o empty -e match:'pahole output:2: expected a member' \
		env KVMGATE_PAHOLE=$PWD/fake-pahole "$(kg)" dump --from btf t.btf
}

atf_test_case gen_dwarf_check_fails
gen_dwarf_check_fails_head() {
	atf_set descr 'gen whose DWARF check cannot run (the probe compiler fails, pahole missing): exit 2 naming it, no OUTDIR'
}
gen_dwarf_check_fails_body() {
	atf_check -s exit:2 -e match:'^kvmgate: false failed on the probe: .*--no-dwarf skips it' \
		env KVMGATE_CC_x86_64=false "$(kg)" gen --arch x86_64 -o out
	[ ! -e out ] || atf_fail "gen made out/ although its DWARF check failed"
	atf_check -s exit:2 -e match:'^kvmgate: .*/nonexistent/pahole: cannot run: .*install dwarves' \
		env KVMGATE_PAHOLE=/nonexistent/pahole "$(kg)" gen --arch x86_64 -o out
	[ ! -e out ] || atf_fail "gen made out/ although pahole is missing"
	# the same, when OUTDIR exists: it keeps what it holds, and nothing else
	mkdir out
	echo precious > out/layout
	atf_check -s exit:2 -e match:'install dwarves' \
		env KVMGATE_PAHOLE=/nonexistent/pahole "$(kg)" gen --arch x86_64 -o out
	atf_check -s exit:0 -o inline:'layout\n' ls -A out
	atf_check -s exit:0 -o inline:'precious\n' cat out/layout
}

atf_init_test_cases() {
	atf_add_test_case good_small_btf
	atf_add_test_case image_header_arch
	atf_add_test_case not_elf
	atf_add_test_case truncated_btf
	atf_add_test_case truncated_elf
	atf_add_test_case elf_without_debug_info
	atf_add_test_case ko_without_base
	atf_add_test_case split_btf_without_base
	atf_add_test_case pahole_missing
	atf_add_test_case pahole_fails
	atf_add_test_case gen_dwarf_check_fails
}
