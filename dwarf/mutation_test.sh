#! /usr/bin/env atf-sh
# mutation_test.sh - a binding that disagrees with the kernel is caught: a copy of the
# linux-source-6.1 x86_64 headers with one change (a field's type, a field moved, a struct
# padded, an ioctl's argument type) is compared with the BTF of Debian's 6.1 kvm.ko; `kvmgate
# diff` must exit 1 and name the struct and the field. The unchanged copy passes (exit 0), so
# the failure is the mutation's.

. "$(atf_get_srcdir)/common.sh"

# mutate 'SED-SCRIPT': copy the 6.1 tree to ./hdr and apply the script to linux/kvm.h; the copy
# must differ from the original.
mutate() {
	headers_tree 6.1 x86_64
	tree=$TREE
	cp -R "$tree" hdr
	sed -i "$1" hdr/include/linux/kvm.h
	if [ -n "$1" ] && cmp -s "$tree/include/linux/kvm.h" hdr/include/linux/kvm.h; then
		atf_fail "the mutation '$1' changed nothing"
	fi
}

# diff_kernel EXIT: the copy's manifest against kvm.ko (on its vmlinuz base) exits EXIT.
diff_kernel() {
	kernel_pkg x86_64
	root=$KROOT
	ko=$(find "$root/lib/modules" -name kvm.ko | head -n 1)
	atf_check -s exit:0 -o save:layout -e ignore "$(kg)" dump --from headers --arch x86_64 hdr
	atf_check -s exit:$1 -o save:report -e ignore "$(kg)" diff --allow "$(kernel_allow)" \
		--btf-base "$(ls "$root"/boot/vmlinuz-*)" layout "$ko"
}

# names PATTERN...: the report's incompatible lines match each pattern.
names() {
	for p in "$@"; do
		grep '^incompatible' report | grep -q -- "$p" ||
			atf_fail "no incompatible line names '$p': $(grep -m 5 '^incompatible' report | tr '\n' ' ')"
	done
}

atf_test_case unchanged
unchanged_head() {
	atf_set descr 'The unchanged 6.1 headers agree with Debian 6.1 kvm.ko (exit 0)'
	atf_set require.progs 'pahole xz'
	atf_set timeout 600
}
unchanged_body() {
	mutate ''
	diff_kernel 0
}

atf_test_case field_type_changed
field_type_changed_head() {
	atf_set descr 'kvm_userspace_memory_region.flags __u32 -> __s32: exit 1 naming struct and field'
	atf_set require.progs 'pahole xz'
	atf_set timeout 600
}
field_type_changed_body() {
	mutate '/^struct kvm_userspace_memory_region {/,/^};/ s/__u32 flags;/__s32 flags;/'
	diff_kernel 1
	names 'struct kvm_userspace_memory_region.flags' '__s32'
}

atf_test_case field_moved
field_moved_head() {
	atf_set descr 'kvm_userspace_memory_region.guest_phys_addr and memory_size swapped: exit 1 naming both'
	atf_set require.progs 'pahole xz'
	atf_set timeout 600
}
field_moved_body() {
	mutate '/^struct kvm_userspace_memory_region {/,/^};/ { /__u64 guest_phys_addr;/ { h; d }; /__u64 memory_size;/ G }'
	diff_kernel 1
	names 'struct kvm_userspace_memory_region.guest_phys_addr' \
		'struct kvm_userspace_memory_region.memory_size'
}

atf_test_case struct_padded
struct_padded_head() {
	atf_set descr 'kvm_userspace_memory_region padded after flags: exit 1 naming the struct size and the moved fields'
	atf_set require.progs 'pahole xz'
	atf_set timeout 600
}
struct_padded_body() {
	mutate '/^struct kvm_userspace_memory_region {/,/^};/ s/__u32 flags;/__u32 flags;\n\t__u8 kvmgate_pad[8];/'
	diff_kernel 1
	names 'type struct kvm_userspace_memory_region: size 40 -> 32' \
		'struct kvm_userspace_memory_region.guest_phys_addr' \
		'struct kvm_userspace_memory_region.kvmgate_pad'
}

atf_test_case ioctl_arg_changed
ioctl_arg_changed_head() {
	atf_set descr 'KVM_IRQ_LINE argument struct kvm_irq_level with level widened to __u64: exit 1 naming ioctl, struct and field'
	atf_set require.progs 'pahole xz'
	atf_set timeout 600
}
ioctl_arg_changed_body() {
	mutate '/^struct kvm_irq_level {/,/^};/ s/__u32 level;/__u64 level;/'
	diff_kernel 1
	names 'ioctl KVM_IRQ_LINE: encodes size 16 but the kernel.s struct kvm_irq_level is 8 bytes' \
		'struct kvm_irq_level.level'
}

atf_init_test_cases() {
	atf_add_test_case unchanged
	atf_add_test_case field_type_changed
	atf_add_test_case field_moved
	atf_add_test_case struct_padded
	atf_add_test_case ioctl_arg_changed
}
