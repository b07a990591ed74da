#! /usr/bin/env atf-sh
# diff_test.sh - `kvmgate diff` on real bindings updates: Debian's 6.1 and 6.12 headers as
# kvmgate and bindgen 0.60.1 render them, hand-edited copies in the forms bindgen 0.64 and 0.70
# write (testdata/update_bindgen0{64,70}.rs), and updates constructed from them. Each class
# (incompatible, api, added, sentinel, layout-neutral) is shown, each semver verdict (major,
# minor, patch), the --json document, and that two arches do not compare.

KVMGATE_TOP=$(cd "$(atf_get_srcdir)/../.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"

testdata() {
	echo "$(atf_get_srcdir)/testdata"
}

# gen_tree VERSION ARCH DIR: kvmgate's layout and bindings.rs of linux-source-VERSION's headers.
gen_tree() {
	headers_tree "$1" "$2"
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch "$2" --headers "$TREE" --no-dwarf -o "$3"
}

# bindgen_tree VERSION ARCH FILE: bindgen 0.60.1 with kvm-bindings' flags on those headers.
# Debian's bindgen needs LLVM 14's libclang.
bindgen_tree() {
	headers_tree "$1" "$2"
	# shellcheck disable=SC2046 # bindgen_args is a word list (paths without blanks)
	fmt=KVMGATE_NO_RUSTFMT=1
	[ -x /usr/bin/rustfmt ] && fmt=RUSTFMT=/usr/bin/rustfmt
	env "$fmt" LIBCLANG_PATH=/usr/lib/llvm-14/lib bindgen \
		$(bindgen_args "$2" "$TREE") > "$3" 2> bindgen.err ||
		atf_fail "bindgen on the $1 $2 headers failed: $(head -3 bindgen.err)"
}

# has CLASS TEXT [FILE]: FILE (default: report) has the line "CLASS<padding> TEXT..." (TEXT an
# extended regular expression).
has() {
	grep -Eq "^$1 +$2" "${3:-report}" ||
		atf_fail "no '$1' line '$2' in ${3:-report}: $(grep -E "^$1 " "${3:-report}" | head -3 | tr '\n' ' ')"
}

# The number of CLASS differences on the counts line of a report.
count() {
	sed -n -E "s/^kvmgate diff:.*[ ,]([0-9]+) $1(,.*)?\$/\\1/p" "${2:-report}"
}

# check_json REPORT.json TEXTREPORT: valid JSON whose counts and verdict are the text report's.
check_json() {
	atf_check -s exit:0 -o ignore python3 -m json.tool "$1"
	python3 - "$1" "$2" <<'PY' || atf_fail "the JSON document disagrees with the text report"
import json, re, sys
doc = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
counts = dict((m.group(2), int(m.group(1))) for m in
              re.finditer(r"(\d+) ([a-z -]+?)(?:,|\n)", text.split("kvmgate diff: ")[1]))
assert doc["counts"] == counts, (doc["counts"], counts)
level = re.search(r"kvmgate diff: verdict (\w+):", text).group(1)
assert doc["verdict"]["level"] == level, (doc["verdict"], level)
assert len(doc["differences"]) == sum(counts.values())
assert {d["class"] for d in doc["differences"]} <= set(counts)
for d in doc["verdict"]["decided_by"]:
    assert d in doc["differences"], d
PY
}

atf_test_case kernel_update_612
kernel_update_612_head() {
	atf_set descr "Debian's 6.1 -> 6.12 headers (kvmgate's layout and bindings.rs, x86_64 and arm64): x86_64 nothing incompatible, arm64 only the dirty ring's page offset; sentinels, layout-neutral flexible arrays and padding, api removals and Rust paths; a major verdict; the same from the bindings.rs; valid JSON"
	atf_set require.progs 'python3'
	atf_set timeout 300
}
kernel_update_612_body() {
	for arch in x86_64 arm64; do
		gen_tree 6.1 $arch g61_$arch
		gen_tree 6.12 $arch g612_$arch
	done
	atf_check -s exit:0 -o save:report "$(kg)" diff g61_x86_64/layout g612_x86_64/layout
	[ "$(count incompatible)" = 0 ] || atf_fail "incompatible lines: $(grep ^incompatible report | head -3)"
	has sentinel 'const KVM_DEV_TYPE_MAX: value 11 -> 12: the list it bounds grew by KVM_DEV_TYPE_RISCV_AIA$'
	has sentinel 'const KVM_SEV_NR_MAX: value 22 -> 103: the list it bounds grew by KVM_SEV_SNP_LAUNCH_FINISH, KVM_SEV_SNP_LAUNCH_UPDATE, KVM_SEV_SNP_LAUNCH_START, '
	has layout-neutral 'field struct kvm_nested_state.data.vmx: flexible array spelled struct kvm_vmx_nested_state_data\[0\] -> struct kvm_vmx_nested_state_data\[\]$'
	has layout-neutral 'field struct kvm_nested_state.data.__empty_vmx: zero-size member added'
	has layout-neutral "field struct kvm_run.hypercall.pad: padding \\(was offset=100 size=4 type=__u32\\) is now part of 'hypercall.flags'"
	has api 'field struct kvm_run.hypercall.longmode: Rust path changed: a direct member, now in an anonymous union'
	has api 'field struct kvm_nested_state.data.vmx: Rust path changed: a direct member, now in __DECLARE_FLEX_ARRAY'
	has api 'type struct kvm_assigned_pci_dev: removed$'
	has api 'ioctl KVM_ASSIGN_PCI_DEVICE: removed \(was 0x8040ae69 arg=struct kvm_assigned_pci_dev\)$'
	has added 'ioctl KVM_CREATE_GUEST_MEMFD: added'
	grep -q '^kvmgate diff: verdict major: an ABI incompatibility or an API removal, rename or retyping; decided by [0-9]* lines:$' report ||
		atf_fail "no major verdict: $(grep verdict report)"
	grep -A1 '^kvmgate diff: verdict' report | tail -1 | grep -Eq '^  api +' ||
		atf_fail "the verdict does not repeat a deciding api line"
	# kvmgate's bindings.rs of the same trees: the same report, but for the added constants
	# (a bindings.rs has the other headers' too, and spells u64 values unsigned)
	atf_check -s exit:0 -o save:report_rs "$(kg)" diff g61_x86_64/bindings.rs g612_x86_64/bindings.rs
	grep -v -e '^added *const ' -e '^kvmgate diff: [0-9]' -e '^  ' report > lines
	grep -v -e '^added *const ' -e '^kvmgate diff: [0-9]' -e '^  ' report_rs > lines_rs
	[ "$(wc -l < lines)" -gt 200 ] || atf_fail "only $(wc -l < lines) lines in the report"
	atf_check -s exit:0 diff lines lines_rs
	# and as JSON
	atf_check -s exit:0 -o save:report.json "$(kg)" diff --json g61_x86_64/layout g612_x86_64/layout
	check_json report.json report
	# arm64: one real incompatibility, the page offset of the dirty ring (6.1's generic 0,
	# asm/kvm.h's 64 since arm64 has dirty rings), and the sentinel
	atf_check -s exit:1 -o save:report_arm "$(kg)" diff g61_arm64/layout g612_arm64/layout
	[ "$(count incompatible report_arm)" = 1 ] || atf_fail "arm64: $(grep ^incompatible report_arm | head -3)"
	has incompatible 'const KVM_DIRTY_LOG_PAGE_OFFSET: value 0 -> 64$' report_arm
	has sentinel 'const KVM_DEV_TYPE_MAX: value 11 -> 12' report_arm
	grep -A1 '^kvmgate diff: verdict major' report_arm | grep -q '^  incompatible   const KVM_DIRTY_LOG_PAGE_OFFSET' ||
		atf_fail "the arm64 verdict does not start with its incompatible line"
}

atf_test_case bindgen_update_612
bindgen_update_612_head() {
	atf_set descr "bindgen 0.60.1's files of the 6.1 and 6.12 headers: [T; 0] -> __IncompleteArrayField is layout-neutral, KVM_DEV_TYPE_MAX a sentinel, nothing incompatible; against kvmgate's 6.12 manifest only api (the constants bindgen drops)"
	atf_set require.progs 'bindgen python3'
	atf_set require.files '/usr/lib/llvm-14/lib/libclang.so.1'
	atf_set timeout 300
}
bindgen_update_612_body() {
	bindgen_tree 6.1 x86_64 bg61.rs
	bindgen_tree 6.12 x86_64 bg612.rs
	grep -q 'pub vmx: *__BindgenUnionField *< *\[ *kvm_vmx_nested_state_data *; *0usize *\] *>' bg61.rs ||
		atf_fail "bindgen's 6.1 file has no [T; 0] data.vmx"
	grep -q 'pub vmx: *__IncompleteArrayField *< *kvm_vmx_nested_state_data *>' bg612.rs ||
		atf_fail "bindgen's 6.12 file has no __IncompleteArrayField data.vmx"
	atf_check -s exit:0 -o save:report "$(kg)" diff bg61.rs bg612.rs
	[ "$(count incompatible)" = 0 ] || atf_fail "incompatible lines: $(grep ^incompatible report | head -3)"
	has layout-neutral 'field struct kvm_nested_state.data.vmx: flexible array spelled struct kvm_vmx_nested_state_data\[0\] -> struct kvm_vmx_nested_state_data\[\]$'
	has layout-neutral "field struct kvm_run.hypercall.pad: padding .* is now part of 'hypercall.flags'"
	has sentinel 'const KVM_DEV_TYPE_MAX: value 11 -> 12'
	has api 'type struct kvm_assigned_pci_dev: removed$'
	# bindgen's file against kvmgate's manifest of the same headers
	gen_tree 6.12 x86_64 g612
	atf_check -s exit:0 -o save:report2 "$(kg)" diff g612/layout bg612.rs
	# what bindgen adds are the other headers' constants (_IOC_*, __BITS_PER_LONG), never KVM's
	grep -E '^(incompatible|sentinel|layout-neutral) ' report2 && atf_fail "more than api and added lines"
	grep -E '^added +const KVM_' report2 && atf_fail "bindgen has KVM constants kvmgate lacks"
	has api 'const KVM_DIRTY_GFN_F_DIRTY: not in B \(was 1\)$' report2
	atf_check -s exit:0 -o save:report2.json "$(kg)" diff --json g612/layout bg612.rs
	check_json report2.json report2
}

atf_test_case bindgen_forms_064_070
bindgen_forms_064_070_head() {
	atf_set descr "Hand-edited copies in bindgen 0.64's and 0.70's forms: __DECLARE_FLEX_ARRAY's __empty_ companions and [T; 0] -> __IncompleteArrayField layout-neutral, the members moved into __bindgen_anon_N api, the sentinel, the additions; and bindgen's 6.12 file edited back to a plain flexible array"
	atf_set require.progs 'bindgen python3'
	atf_set require.files '/usr/lib/llvm-14/lib/libclang.so.1'
	atf_set timeout 300
}
bindgen_forms_064_070_body() {
	atf_check -s exit:0 -o save:report "$(kg)" diff "$(testdata)/update_bindgen064.rs" \
		"$(testdata)/update_bindgen070.rs"
	has layout-neutral 'field struct kvm_msrs.__empty_entries: zero-size member added'
	has layout-neutral 'field struct kvm_nested_state.data.__empty_vmx: zero-size member added'
	has layout-neutral 'field struct kvm_nested_state.data.vmx: flexible array spelled struct kvm_vmx_nested_state_data\[0\] -> struct kvm_vmx_nested_state_data\[\]$'
	has layout-neutral "field struct kvm_run.hypercall.pad: padding \\(was offset=76 size=4 type=__u32\\) is now part of 'hypercall.flags'$"
	has api "field struct kvm_msrs.entries: Rust path changed: a direct member, now in __DECLARE_FLEX_ARRAY's anonymous struct"
	has api 'field struct kvm_run.hypercall.longmode: Rust path changed: a direct member, now in an anonymous union'
	has sentinel 'const KVM_DEV_TYPE_MAX: value 11 -> 12: the list it bounds grew by KVM_DEV_TYPE_RISCV_AIA$'
	has added 'const KVM_CAP_MEMORY_FAULT_INFO: added \(232\)$'
	got=""
	for c in incompatible api added sentinel layout-neutral; do
		got="$got $(count $c)"
	done
	[ "$got" = " 0 3 3 1 4" ] || atf_fail "counts (incompatible api added sentinel layout-neutral)$got, expected 0 3 3 1 4"
	grep -q '^kvmgate diff: verdict major: ' report || atf_fail "not a major verdict"
	# bindgen 0.60.1's file of the 6.12 headers, edited into the plain `entries` that
	# bindgen 0.64 writes for headers without __DECLARE_FLEX_ARRAY (kvm-bindings' older files)
	bindgen_tree 6.12 x86_64 bg612.rs
	python3 - bg612.rs plain.rs <<'PY' || atf_fail "the kvm_msrs edit did not apply"
import re, sys
s = open(sys.argv[1]).read()
new, n = re.subn(r"(pub struct kvm_msrs \{[^}]*?)pub __bindgen_anon_1: kvm_msrs__bindgen_ty_1,",
                 r"\1pub entries: __IncompleteArrayField<kvm_msr_entry>,", s, count=1)
assert n == 1
open(sys.argv[2], "w").write(new)
PY
	atf_check -s exit:0 -o save:report2 "$(kg)" diff bg612.rs plain.rs
	has layout-neutral 'field struct kvm_msrs.__empty_entries: zero-size member removed' report2
	has api "field struct kvm_msrs.entries: Rust path changed: in __DECLARE_FLEX_ARRAY's anonymous struct, now a direct member" report2
	[ "$(count incompatible report2)" = 0 ] || atf_fail "incompatible: $(grep ^incompatible report2)"
	[ "$(grep -c -E '^[a-z]' report2)" -eq 4 ] || atf_fail "more than the two lines: $(cat report2)"
}

atf_test_case verdicts
verdicts_head() {
	atf_set descr "Constructed updates of kvmgate's bindings.rs of the installed headers: a padding renamed is a patch, a constant and an ioctl added a minor, a constant removed a major (exit 0), a field widened a major (exit 1); each verdict names its deciding lines"
	atf_set require.progs 'python3'
}
verdicts_body() {
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --no-dwarf -o g
	rs=g/bindings.rs
	# patch: kvm_fpu's pad1 named reserved1 (rustc would place it where pad1 was)
	sed 's/^    pub pad1: __u8,$/    pub reserved1: __u8,/' $rs > patch.rs
	cmp -s $rs patch.rs && atf_fail "the patch edit did not apply"
	atf_check -s exit:0 -o save:report "$(kg)" diff $rs patch.rs
	has layout-neutral "field struct kvm_fpu.pad1: padding renamed to 'reserved1'"
	grep -q '^kvmgate diff: verdict patch: nothing a user of the bindings can see; decided by 1 line:$' report ||
		atf_fail "not a patch: $(grep verdict report)"
	grep -A1 'verdict patch' report | grep -q '^  layout-neutral field struct kvm_fpu.pad1' ||
		atf_fail "the verdict does not name its line"
	# minor: a constant and an ioctl added before kvmgate's end marker
	sed 's|^// kvmgate: end of bindings$|pub const KVM_CAP_KVMGATE_TEST: u32 = 9999;\npub const KVM_KVMGATE_TEST: u32 = 0xae99; // ioctl _IO(0xae, 0x99)\n&|' \
		$rs > minor.rs
	atf_check -s exit:0 -o save:report "$(kg)" diff $rs minor.rs
	has added 'const KVM_CAP_KVMGATE_TEST: added \(9999\)$'
	has added 'ioctl KVM_KVMGATE_TEST: added \(0x0000ae99 arg=-\)$'
	grep -q '^kvmgate diff: verdict minor: additions only; decided by 2 lines:$' report ||
		atf_fail "not a minor: $(grep verdict report)"
	# major through the API alone: a constant gone, nothing incompatible (exit 0)
	grep -v '^pub const KVM_API_VERSION: u32 = 12;$' $rs > major_api.rs
	atf_check -s exit:0 -o save:report "$(kg)" diff $rs major_api.rs
	has api 'const KVM_API_VERSION: not in B \(was 12\)$'
	grep -q '^kvmgate diff: verdict major: .*decided by 1 line:$' report || atf_fail "not a major: $(grep verdict report)"
	# major through the ABI: kvm_regs.rbx as __u32 (exit 1)
	sed 's/^    pub rbx: __u64,$/    pub rbx: __u32,/' $rs > major_abi.rs
	atf_check -s exit:1 -o save:report "$(kg)" diff $rs major_abi.rs
	has incompatible 'field struct kvm_regs.rbx: offset=8 size=8 type=__u64 -> offset=8 size=4 type=__u32'
	grep -q '^kvmgate diff: verdict major: ' report || atf_fail "not a major: $(grep verdict report)"
	atf_check -s exit:1 -o save:report.json "$(kg)" diff --json $rs major_abi.rs
	check_json report.json report
}

atf_test_case arch_mismatch
arch_mismatch_head() {
	atf_set descr "Sources of two arches are exit 2 with one line naming both, whether the arch comes from the manifest, from what a bindings.rs defines (user_pt_regs) or from an object's ELF machine; --any-arch compares them"
}
arch_mismatch_body() {
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch x86_64 --no-dwarf -o x
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch arm64 --no-dwarf -o a
	msg="kvmgate: diff: A is x86_64, B is arm64: the layouts of two arches do not compare (--any-arch compares them anyway)\n"
	atf_check -s exit:2 -o empty -e inline:"$msg" "$(kg)" diff x/layout a/layout
	# a bindings.rs without kvmgate's banner: what it defines says arm64
	sed 1d a/bindings.rs > nobanner.rs
	grep -q 'pub struct user_pt_regs' nobanner.rs || atf_fail "no user_pt_regs in arm64's bindings.rs"
	atf_check -s exit:2 -o empty -e inline:"$msg" "$(kg)" diff x/layout nobanner.rs
	atf_check -s exit:2 -o empty -e inline:"$msg" "$(kg)" diff --arch x86_64 x/layout nobanner.rs
	atf_check -s exit:1 -o match:'^warning: comparing arch x86_64 with arch arm64$' \
		-o match:'^incompatible +type struct kvm_regs: size' "$(kg)" diff --any-arch x/layout nobanner.rs
	# an object of the arm64 compiler: its ELF machine says arm64
	cc=$(arch_cc arm64)
	command -v "$cc" > /dev/null || atf_skip "$cc is not installed (the ELF machine case needs it)"
	printf '#include <linux/kvm.h>\nstruct kvm_regs r;\n' > o.c
	atf_check -s exit:0 "$cc" -g -c -o o.o o.c
	atf_check -s exit:2 -o empty -e inline:"$msg" "$(kg)" diff x/layout o.o
}

atf_init_test_cases() {
	atf_add_test_case kernel_update_612
	atf_add_test_case bindgen_update_612
	atf_add_test_case bindgen_forms_064_070
	atf_add_test_case verdicts
	atf_add_test_case arch_mismatch
}
