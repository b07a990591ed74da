#! /usr/bin/env atf-sh
# conformance/coverage_report_test.sh - coverage-report.sh on made-up records against a made-up
# manifest: the status of each ioctl (exercised with the union of its checks, skipped, rejected,
# unrecorded; the number checks alone do not make an ioctl exercised; a checked rejection outweighs
# another program's skip), the structs round-tripped
# or not with their reason, and the totals line; and bad input.

script() { echo "$(atf_get_srcdir)/coverage-report.sh"; }

# fake_b: a build tree B with an x86_64 manifest of five ioctls and a guest's records.
fake_b() {
	mkdir -p B/abi/x86_64 B/vmimages/x86_64_6.1/results/coverage
	echo ARCH=x86_64 > B/vmimages/x86_64_6.1/image.env
	cat > B/abi/x86_64/kvm_abi.h <<'EOT'
const struct kvmgate_abi_ioctl kvmgate_abi_ioctls[] = {
	{ "KVM_GET_REGS", 0x8090ae81UL, 'R', 0xae, 0x81, 144, "struct kvm_regs" },
	{ "KVM_GET_XSAVE2", 0x9000aecfUL, 'R', 0xae, 0xcf, 4096, "struct kvm_xsave" },
	{ "KVM_NMI", 0x0000ae9aUL, 'N', 0xae, 0x9a, 0, "" },
	{ "KVM_S390_IRQ", 0x4048aeb4UL, 'W', 0xae, 0xb4, 72, "struct kvm_s390_irq" },
	{ "KVM_SMI", 0x0000aeb7UL, 'N', 0xae, 0xb7, 0, "" },
	{ "KVM_SET_REGS", 0x4090ae82UL, 'W', 0xae, 0x82, 144, "struct kvm_regs" },
};
EOT
	echo 6.1.0-test > B/vmimages/x86_64_6.1/results/kernel-release
	printf '%s\t%s\t%s\t%s\n' \
		ioctl KVM_GET_REGS exercised number,bounds \
		ioctl KVM_GET_REGS exercised size,wrongfd \
		ioctl KVM_GET_REGS exercised 'roundtrip,semantic: guest sees rip' \
		ioctl KVM_SET_REGS exercised number,roundtrip \
		ioctl KVM_GET_XSAVE2 skipped 'KVM_CAP_XSAVE2 absent' \
		ioctl KVM_S390_IRQ rejected 'EINVAL: s390s' \
		ioctl KVM_S390_IRQ skipped 'KVM_CAP_S390_IRQCHIP absent' \
		ioctl KVM_SMI exercised size,wrongfd \
		struct 'struct kvm_regs' roundtripped KVM_GET_REGS \
		struct 'struct kvm_xsave' not 'KVM_CAP_XSAVE2 absent' \
		> B/vmimages/x86_64_6.1/results/coverage/a.cov
	printf '%s\t%s\t%s\t%s\n' ioctl KVM_NMI exercised number,action \
		> B/vmimages/x86_64_6.1/results/coverage/b.cov
}

atf_test_case statuses_and_totals
statuses_and_totals_head() {
	atf_set descr 'each ioctl of the manifest gets its status, structs their reason, one totals line'
}
statuses_and_totals_body() {
	fake_b
	atf_check -o inline:"coverage guest-6.1 x86_64 6.1.0-test: 6 ioctls: 3 exercised, 1 skipped, 1 rejected as expected; 1 of 2 structs round-tripped\n" \
		sh "$(script)" B
	r=B/coverage/guest-6.1-x86_64.txt
	atf_check -o inline:"ioctl	KVM_GET_REGS	exercised	number,bounds,size,wrongfd,roundtrip,semantic: guest sees rip\n" grep '^ioctl.KVM_GET_REGS.' "$r"
	atf_check -o inline:"ioctl	KVM_GET_XSAVE2	skipped	KVM_CAP_XSAVE2 absent\n" grep '^ioctl.KVM_GET_XSAVE2.' "$r"
	atf_check -o inline:"ioctl	KVM_S390_IRQ	rejected	EINVAL: s390s\n" grep 'KVM_S390_IRQ' "$r"
	atf_check -o inline:"ioctl	KVM_SMI	unrecorded	no program recorded it\n" grep 'KVM_SMI' "$r"
	atf_check -o inline:"ioctl	KVM_NMI	exercised	number,action\n" grep 'KVM_NMI' "$r"
	# structs of this arch's ioctls only; the rejected s390 one is not counted
	atf_check -o inline:"struct	struct kvm_regs	roundtripped	by KVM_GET_REGS\nstruct	struct kvm_xsave	not	KVM_CAP_XSAVE2 absent\n" grep '^struct' "$r"
	atf_check -o match:'^coverage guest-6.1 ' tail -n 1 "$r"
}

atf_test_case no_records
no_records_head() {
	atf_set descr 'a place without records says so instead of a report'
}
no_records_body() {
	fake_b
	rm B/vmimages/x86_64_6.1/results/coverage/*.cov
	atf_check -o match:'^coverage guest-6.1 x86_64 6.1.0-test: no coverage records in ' \
		sh "$(script)" B
	atf_check test ! -e B/coverage/guest-6.1-x86_64.txt
}

atf_test_case bad_input
bad_input_head() {
	atf_set descr 'no argument, or no bindings header for a place: one line, exit 2'
}
bad_input_body() {
	atf_check -s exit:2 -e match:'^kvmgate: coverage-report.sh: usage' sh "$(script)"
	fake_b
	rm B/abi/x86_64/kvm_abi.h
	atf_check -s exit:2 -e match:'^kvmgate: coverage-report.sh: B/abi/x86_64/kvm_abi.h: no bindings header' \
		sh "$(script)" B
}

atf_init_test_cases() {
	atf_add_test_case statuses_and_totals
	atf_add_test_case no_records
	atf_add_test_case bad_input
}
