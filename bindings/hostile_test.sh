#! /usr/bin/env atf-sh
# hostile_test.sh - the inputs of a hostile user (issue 14), each through the command as a user
# runs it: exit 2 and one line naming the file (and the line where there is one), never a crash,
# a silent pass, or a file gen could not read back. Signals and children: outset_test and
# dwarf/child_test; the readers under libFuzzer: fuzz/.

KVMGATE_TOP=$(cd "$(atf_get_srcdir)/.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"

# bad_input PATTERN CMD...: exit 2, nothing on stdout, one line on stderr matching PATTERN
bad_input() {
	pat=$1
	shift
	cmd=$(printf '%s' "$*" | tr '\n' ' ')
	"$@" >out 2>err
	st=$?
	[ $st -eq 2 ] || atf_fail "$cmd exited $st (expected 2): $(head -c 300 err | tr '\n' '|')"
	[ ! -s out ] || atf_fail "$cmd wrote to stdout"
	[ "$(wc -l < err)" -eq 1 ] || atf_fail "$cmd wrote $(wc -l < err) lines: $(head -c 300 err | tr '\n' '|')"
	grep -q -e "$pat" err || atf_fail "$cmd: '$(cat err)' does not match '$pat'"
}

# deep OPEN CLOSE N > FILE: a bindings.rs whose one field's type is nested N deep
deep() {
	python3 -c 'import sys
o, c, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.stdout.write("pub struct a {\n    pub x: " + o * n + "u8" + c * n + ",\n}\n")' "$@"
}

atf_test_case deep_nesting
deep_nesting_head() {
	atf_set descr 'bindings.rs with types nested 100k deep ([[[…u8; 1]…]) or a million &, *mut, A<…>: dump and diff exit 2 naming the line (they died of SIGSEGV)'
	atf_set require.progs python3
}
deep_nesting_body() {
	kg=$(kg)
	deep '[' '; 1]' 100000 > arr.rs
	deep '&' '' 1000000 > ref.rs
	deep '*mut ' '' 1000000 > ptr.rs
	deep 'A<' '>' 1000000 > gen.rs
	for f in arr ref ptr gen; do
		bad_input "^kvmgate: $f.rs:2: a type nested more than 64 levels deep$" "$kg" dump $f.rs
		bad_input "^kvmgate: $f.rs:2: a type nested more than 64 levels deep$" "$kg" diff $f.rs $f.rs
	done
}

atf_test_case not_files
not_files_head() {
	atf_set descr 'A directory or a device where a file is read (--allow DIR, --allow /dev/zero, --from rust /dev/zero, a manifest on /dev/zero): exit 2 naming it (they were an empty allow file, ENOMEM without a name, "empty file")'
}
not_files_body() {
	kg=$(kg)
	atf_check -s exit:0 -e ignore "$kg" gen --arch x86_64 --no-dwarf -o g
	mkdir d
	bad_input '^kvmgate: d: Is a directory$' "$kg" diff --allow d g/layout g/layout
	bad_input '^kvmgate: /dev/zero: a device, not a file$' "$kg" diff --allow /dev/zero g/layout g/layout
	bad_input '^kvmgate: /dev/zero: a device, not a file$' "$kg" dump --from rust /dev/zero
	bad_input '^kvmgate: /dev/zero: a device, not a file$' "$kg" dump --from manifest /dev/zero
	bad_input '^kvmgate: d: Is a directory$' "$kg" dump --from manifest d
	head -c 100000 /dev/zero > zeros
	bad_input '^kvmgate: zeros:1: a NUL byte: not a text file$' "$kg" dump --from manifest zeros
	bad_input '^kvmgate: zeros:1: a NUL byte: not a text file$' "$kg" diff --allow zeros g/layout g/layout
	{ printf 'type\tstruct kvm_regs\treason=x'; head -c 2000000 /dev/zero | tr '\0' x; echo; } > long.allow
	bad_input '^kvmgate: long.allow:1: a line longer than 1024 KiB' "$kg" diff --allow long.allow g/layout g/layout
}

atf_test_case silent_passes
silent_passes_head() {
	atf_set descr 'What passed without proving anything: a pahole that prints nothing and exits 0, an empty kvm.h (gen exit 0 with 0 types) — now exit 2 saying so'
	atf_set require.progs 'gcc pahole'
}
silent_passes_body() {
	kg=$(kg)
	printf '#!/bin/sh\nexit 0\n' > mute-pahole
	chmod +x mute-pahole
	atf_check -s exit:0 -e ignore "$kg" gen --arch x86_64 --no-dwarf -o g
	printf 'struct kvm_regs { unsigned long long rax, rbx; };\nstruct kvm_regs r;\n' > t.c
	atf_check gcc -g -c -o t.o t.c
	atf_check -o ignore -e ignore pahole -J --btf_encode_detached=t.btf t.o
	bad_input 'mute-pahole printed no type and no "not found"' env KVMGATE_PAHOLE=$PWD/mute-pahole \
		"$kg" dump --from btf t.btf
	KVMGATE_PAHOLE=$PWD/mute-pahole "$kg" diff g/layout t.btf >out 2>err
	[ $? -eq 2 ] || atf_fail "diff against a mute pahole did not exit 2: $(tail -n 1 out)"
	grep -q 'printed no type' err || atf_fail "$(cat err)"
	bad_input 'printed no type' env KVMGATE_PAHOLE=$PWD/mute-pahole "$kg" gen --arch x86_64 -o g2
	[ ! -e g2 ] || atf_fail "gen left g2"
	mkdir -p h/include/linux
	: > h/include/linux/kvm.h
	bad_input '^kvmgate: h/include/linux/kvm.h: no struct, union, constant or ioctl: not the KVM API header$' \
		"$kg" gen --arch x86_64 --headers h --no-dwarf -o g3
	[ ! -e g3 ] || atf_fail "gen left g3"
}

atf_test_case labels
labels_head() {
	atf_set descr 'gen --kernel with an empty label, a TAB, a newline, or what would end a C comment: refused (gen wrote what dump then rejected)'
}
labels_body() {
	kg=$(kg)
	for l in '' "$(printf 'a\tb')" "$(printf 'a\nb')" 'x*/y' 'q"q'; do
		bad_input '^kvmgate: gen: --kernel takes a label' "$kg" gen --arch x86_64 --no-dwarf --kernel "$l" -o g
		[ ! -e g ] || atf_fail "gen wrote g for label '$l'"
	done
	# a label it takes, it reads back
	atf_check -s exit:0 -e ignore "$kg" gen --arch x86_64 --no-dwarf --kernel '6.1-rc1 (test)' -o g
	atf_check -s exit:0 -o ignore -e ignore "$kg" dump g/bindings.rs
	atf_check -s exit:0 -o match:'^meta	kernel	6.1-rc1 \(test\)$' -e ignore "$kg" dump g/layout
}

atf_test_case messages
messages_head() {
	atf_set descr 'Messages: one line whatever the file name holds, an unwritable OUTDIR in one line, an ELF without BTF/DWARF and a corrupt compressed image said as such, pahole failing with warnings still one line'
	atf_set require.progs 'gcc pahole python3'
}
messages_body() {
	kg=$(kg)
	bad_input '^kvmgate: no\\nsuch: No such file or directory$' "$kg" dump "$(printf 'no\nsuch')"
	atf_check -s exit:0 -e ignore "$kg" gen --arch x86_64 --no-dwarf -o g
	"$kg" dump g/layout >/dev/full 2>err && atf_fail "dump to a full disk exited 0"
	atf_check -o ignore grep '^kvmgate: stdout: cannot write: No space left on device$' err
	: > file
	bad_input '^kvmgate: file: Not a directory$' "$kg" gen --arch x86_64 --no-dwarf -o file
	bad_input '^kvmgate: file/out: Not a directory$' "$kg" gen --arch x86_64 --no-dwarf -o file/out
	printf 'struct kvm_regs { unsigned long long rax; };\nstruct kvm_regs r;\n' > t.c
	atf_check gcc -c -o plain.o t.c
	bad_input '^kvmgate: plain.o: an ELF file with neither BTF (.BTF) nor DWARF' "$kg" dump plain.o
	python3 -c 'import sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(1400, 1600):
    d[i] ^= 0x55
open("broken", "wb").write(d)' "$KVMGATE_TOP/fuzz/corpus/fuzz_kfile/bzImage-gzip"
	bad_input '^kvmgate: broken: gzip -dc failed: corrupt or truncated compressed kernel$' \
		"$kg" dump --from btf broken
	atf_check gcc -g -c -o t.o t.c
	atf_check -o ignore -e ignore pahole -J --btf_encode_detached=t.btf t.o
	printf '#!/bin/sh\necho "BTF: idx: 5, Unknown kind 19" >&2\necho "libbpf: bad thing" >&2\nexit 1\n' > warn-pahole
	chmod +x warn-pahole
	bad_input '^kvmgate: t.btf: .*warn-pahole failed (exit 1): libbpf: bad thing$' \
		env KVMGATE_PAHOLE=$PWD/warn-pahole "$kg" dump --from btf t.btf
}

atf_test_case btf_base_mismatch
btf_base_mismatch_head() {
	atf_set descr "A Debian 6.1 kvm.ko read on another kernel's BTF base (this machine's): exit 2 naming both kernels (it was read with wrong content)"
	atf_set require.files /sys/kernel/btf/vmlinux
	atf_set require.progs pahole
	atf_set timeout 600
}
btf_base_mismatch_body() {
	root=$("$KVMGATE_TOP/vmimages/fetch-kernel.sh" x86_64 2>fetch.err) ||
		atf_skip "the Debian amd64 kernel package cannot be fetched: $(tail -n 1 fetch.err)"
	ko=$(find "$root/lib/modules" -name kvm.ko | head -n 1)
	vmlinuz=$(ls "$root"/boot/vmlinuz-* | head -n 1)
	[ -n "$ko" ] || atf_skip "no uncompressed kvm.ko in $root"
	rel=$(basename "$(dirname "$(dirname "$(dirname "$(dirname "$(dirname "$ko")")")")")")
	[ "$rel" != "$(uname -r)" ] || atf_skip "this machine runs $rel itself: no other kernel's base"
	bad_input "kvm.ko: a module of kernel $rel, but --btf-base /sys/kernel/btf/vmlinux is of kernel $(uname -r)" \
		"$(kg)" dump --from btf --btf-base /sys/kernel/btf/vmlinux "$ko"
	# its own kernel's base is taken
	atf_check -s exit:0 -o match:'^type	struct kvm_regs	' -e ignore "$(kg)" dump --from btf --btf-base "$vmlinuz" "$ko"
}

atf_init_test_cases() {
	atf_add_test_case deep_nesting
	atf_add_test_case not_files
	atf_add_test_case silent_passes
	atf_add_test_case labels
	atf_add_test_case messages
	atf_add_test_case btf_base_mismatch
}
