/* conformance/vm_exit_test.c - KVM_RUN exits decoded through the binding's kvm_run: port I/O
 * (direction, size, port, count, data_offset, data both ways), HLT and a triple fault's SHUTDOWN
 * on x86; MMIO reads and writes; PSCI's SYSTEM_EVENT (reset, shutdown; ndata and data[0]) on
 * arm64; exits a VM capability asks for (x86 user-space MSRs and hypercalls, arm64 stores
 * without syndrome);
 * immediate_exit and a signal's KVM_EXIT_INTR; the coalesced MMIO ring in the kvm_run mapping
 * (KVM_REGISTER/UNREGISTER_COALESCED_MMIO). */
#include <atf-c.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "vm_util.h"

static void setup(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	vmprog_vm_create(vm);
	vm_vcpu_add(vm, vcpu, 0);
}

static void teardown(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	vcpu_free(vcpu);
	vm_free(vm);
}

/* expect_io: the exit is port I/O of count units of size bytes; returns its data in kvm_run. */
static uint8_t *expect_io(struct kvm_vcpu *vcpu, uint8_t dir, uint16_t port, uint8_t size,
			  uint32_t count, const char *what)
{
	struct kvm_run *run = vcpu->run;

	run_exit(vcpu, KVM_EXIT_IO, what);
	ATF_CHECK_EQ_MSG(run->io.direction, dir, "%s: io.direction %u, expected %u", what,
			 run->io.direction, dir);
	ATF_CHECK_EQ_MSG(run->io.port, port, "%s: io.port 0x%x, expected 0x%x", what, run->io.port,
			 port);
	ATF_CHECK_EQ_MSG(run->io.size, size, "%s: io.size %u, expected %u", what, run->io.size, size);
	ATF_CHECK_EQ_MSG(run->io.count, count, "%s: io.count %u, expected %u", what, run->io.count,
			 count);
	ATF_REQUIRE_MSG(run->io.data_offset >= sizeof(*run) &&
			run->io.data_offset + (uint64_t)size * count <= (uint64_t)vcpu->vm->run_size,
			"%s: io.data_offset 0x%llx outside the kvm_run mapping", what,
			(unsigned long long)run->io.data_offset);
	return (uint8_t *)run + run->io.data_offset;
}

ATF_TC(x86_io_hlt_shutdown);
ATF_TC_HEAD(x86_io_hlt_shutdown, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_EXIT_IO of out (1 and 2 bytes), in (4 bytes, the host's "
			  "data reaches the guest's eax) and rep insw (count 3, into guest memory), then "
			  "KVM_EXIT_HLT; "
			  "a triple fault exits KVM_EXIT_SHUTDOWN");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "require.machine", "x86_64");
}
ATF_TC_BODY(x86_io_hlt_shutdown, tc)
{
	static const uint8_t words[6] = { 0x10, 0x32, 0x54, 0x76, 0x98, 0xba };
	const uint16_t port = 0x510;
	const uint32_t in = 0xdeadbeef;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	uint8_t *d;

	setup(&vm, &vcpu);
	vmprog_start(&vcpu, &vmprog_x86_io, &(struct vmprog_args){ .gpa = port, .value = 0xa1b2c3d4 });
	d = expect_io(&vcpu, KVM_EXIT_IO_OUT, port, 1, 1, "out %al");
	ATF_CHECK_EQ_MSG(d[0], 0xd4, "out %%al data 0x%x", d[0]);
	d = expect_io(&vcpu, KVM_EXIT_IO_OUT, port, 2, 1, "out %ax");
	ATF_CHECK_MSG(d[0] == 0xd4 && d[1] == 0xc3, "out %%ax data %02x %02x", d[0], d[1]);
	d = expect_io(&vcpu, KVM_EXIT_IO_IN, port, 4, 1, "in %eax");
	memcpy(d, &in, sizeof(in));
	/* String input is read ahead: one exit for the three words. */
	d = expect_io(&vcpu, KVM_EXIT_IO_IN, port, 2, 3, "rep insw");
	memcpy(d, words, sizeof(words));
	run_exit(&vcpu, KVM_EXIT_HLT, "hlt");
	d = (uint8_t *)vm.mem + (vmprog_layout.data_gpa - vm.mem_gpa);
	ATF_CHECK_MSG(memcmp(d, words, sizeof(words)) == 0, "rep insw stored %02x %02x %02x %02x %02x "
		      "%02x", d[0], d[1], d[2], d[3], d[4], d[5]);
	ATF_CHECK_EQ_MSG(vmprog_result(&vcpu, &vmprog_x86_io) & 0xffffffff, in,
			 "the guest's eax is 0x%llx after in, the host gave 0x%x",
			 (unsigned long long)vmprog_result(&vcpu, &vmprog_x86_io), in);

	vmprog_start(&vcpu, &vmprog_x86_triple_fault, &(struct vmprog_args){ 0 });
	run_exit(&vcpu, KVM_EXIT_SHUTDOWN, "ud2 without an IDT");
	/* (Not run again after it: nested under QEMU's SVM, the 6.1 guest's KVM then hangs.) */
	cov_ioctl("KVM_RUN", COV_EXERCISED, "semantic: exits IO (in/out/rep ins), HLT, SHUTDOWN decoded");
	teardown(&vm, &vcpu);
}

ATF_TC(arm64_psci_system_event);
ATF_TC_HEAD(arm64_psci_system_event, tc)
{
	atf_tc_set_md_var(tc, "descr", "PSCI_VERSION answered in the kernel (the guest sees "
			  "KVM_REG_ARM_PSCI_VERSION), then SYSTEM_RESET and SYSTEM_OFF exit "
			  "KVM_EXIT_SYSTEM_EVENT with type RESET / SHUTDOWN, ndata 1, data[0] 0; "
			  "SYSTEM_RESET2 (PSCI 1.1) with data[0] KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2; "
			  "SYSTEM_SUSPEND with type SUSPEND once KVM_CAP_ARM_SYSTEM_SUSPEND is enabled");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "require.machine", "aarch64");
}
ATF_TC_BODY(arm64_psci_system_event, tc)
{
#if defined(__aarch64__)
	static const struct {
		uint32_t fn, type;
		bool has_data;
		uint64_t data0;
		const char *name;
	} ev[] = {
		{ PSCI_FN_SYSTEM_RESET, KVM_SYSTEM_EVENT_RESET, true, 0, "SYSTEM_RESET" },
		{ PSCI_FN_SYSTEM_OFF, KVM_SYSTEM_EVENT_SHUTDOWN, true, 0, "SYSTEM_OFF" },
		{ PSCI_FN64_SYSTEM_RESET2, KVM_SYSTEM_EVENT_RESET, true,
		  KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2, "SYSTEM_RESET2" },
		{ PSCI_FN64_SYSTEM_SUSPEND, KVM_SYSTEM_EVENT_SUSPEND, false, 0, "SYSTEM_SUSPEND" },
	};
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	uint64_t version = 0;
	struct kvm_one_reg reg = { .id = KVM_REG_ARM_PSCI_VERSION, .addr = (uintptr_t)&version };
	bool suspend = false;

	setup(&vm, &vcpu);
	if (vm_check_cap(&vm, KVM_CAP_ARM_SYSTEM_SUSPEND) > 0) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_SYSTEM_SUSPEND };

		kvm_ioctl(vm.fd, KVM_ENABLE_CAP, &cap);
		suspend = true;
	}
	for (unsigned int i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
		struct kvm_run *run = vcpu.run;

		if ((ev[i].fn == PSCI_FN64_SYSTEM_RESET2 && version < 0x10001) ||
		    (ev[i].fn == PSCI_FN64_SYSTEM_SUSPEND && !suspend))
			continue;	/* PSCI below 1.1; KVM_CAP_ARM_SYSTEM_SUSPEND absent */
		vmprog_start(&vcpu, &vmprog_arm64_psci, &(struct vmprog_args){ .gpa = PSCI_FN_VERSION,
			     .value = ev[i].fn });
		run_exit(&vcpu, KVM_EXIT_SYSTEM_EVENT, ev[i].name);
		ATF_CHECK_EQ_MSG(run->system_event.type, ev[i].type, "%s: system_event.type %u, "
				 "expected %u", ev[i].name, run->system_event.type, ev[i].type);
		if (ev[i].has_data) {
			ATF_CHECK_EQ_MSG(run->system_event.ndata, 1, "%s: system_event.ndata %u",
					 ev[i].name, run->system_event.ndata);
			ATF_CHECK_EQ_MSG(run->system_event.data[0], ev[i].data0, "%s: "
					 "system_event.data[0] 0x%llx, expected 0x%llx", ev[i].name,
					 (unsigned long long)run->system_event.data[0],
					 (unsigned long long)ev[i].data0);
		}
		printf("%s: exit type %u\n", ev[i].name, run->system_event.type);
		kvm_ioctl(vcpu.fd, KVM_GET_ONE_REG, &reg);
		ATF_CHECK_EQ_MSG(vmprog_result(&vcpu, &vmprog_arm64_psci), version,
				 "PSCI_VERSION gave the guest 0x%llx, KVM_REG_ARM_PSCI_VERSION is 0x%llx",
				 (unsigned long long)vmprog_result(&vcpu, &vmprog_arm64_psci),
				 (unsigned long long)version);
	}
	cov_ioctl("KVM_RUN", COV_EXERCISED, "semantic: SYSTEM_EVENT reset/shutdown/reset2/suspend "
		  "decoded");
	if (suspend)
		cov_ioctl("KVM_ENABLE_CAP", COV_EXERCISED, "semantic: KVM_CAP_ARM_SYSTEM_SUSPEND gives "
			  "the SUSPEND event");
	teardown(&vm, &vcpu);
#else
	(void)setup, (void)teardown;
	atf_tc_skip("an aarch64 case in a build for another arch");
#endif
}

ATF_TC(x86_msr_exits);
ATF_TC_HEAD(x86_msr_exits, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_ENABLE_CAP KVM_CAP_X86_USER_SPACE_MSR "
			  "(KVM_MSR_EXIT_REASON_UNKNOWN): rdmsr of an unknown MSR exits "
			  "KVM_EXIT_X86_RDMSR (index, reason), the host's data reaches the guest, whose "
			  "wrmsr of it exits KVM_EXIT_X86_WRMSR with that data");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "require.machine", "x86_64");
}
ATF_TC_BODY(x86_msr_exits, tc)
{
	const uint32_t index = 0x0badc0de;	/* no MSR of any x86 CPU */
	const uint64_t data = 0x1122334455667788ull;
	struct kvm_enable_cap cap;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_run *run;

	vmprog_vm_create(&vm);
	vm_require_cap(&vm, KVM_CAP_X86_USER_SPACE_MSR, NULL);
	memset(&cap, 0, sizeof(cap));
	cap.cap = KVM_CAP_X86_USER_SPACE_MSR;
	cap.args[0] = KVM_MSR_EXIT_REASON_UNKNOWN;
	kvm_ioctl(vm.fd, KVM_ENABLE_CAP, &cap);
	vm_vcpu_add(&vm, &vcpu, 0);
	run = vcpu.run;
	vmprog_start(&vcpu, &vmprog_x86_msr, &(struct vmprog_args){ .count = index });
	run_exit(&vcpu, KVM_EXIT_X86_RDMSR, "rdmsr of an unknown MSR");
	ATF_CHECK_MSG(run->msr.index == index && run->msr.reason == KVM_MSR_EXIT_REASON_UNKNOWN,
		      "rdmsr exit: msr.index 0x%x reason %u", run->msr.index, run->msr.reason);
	run->msr.data = data;
	run->msr.error = 0;
	run_exit(&vcpu, KVM_EXIT_X86_WRMSR, "wrmsr of what rdmsr gave");
	ATF_CHECK_MSG(run->msr.index == index && run->msr.reason == KVM_MSR_EXIT_REASON_UNKNOWN &&
		      run->msr.data == data, "wrmsr exit: msr.index 0x%x reason %u data 0x%llx, "
		      "expected 0x%llx", run->msr.index, run->msr.reason,
		      (unsigned long long)run->msr.data, (unsigned long long)data);
	run->msr.error = 0;
	run_exit(&vcpu, KVM_EXIT_HLT, "hlt");
	cov_ioctl("KVM_ENABLE_CAP", COV_EXERCISED, "semantic: KVM_CAP_X86_USER_SPACE_MSR gives MSR "
		  "exits");
	cov_ioctl("KVM_RUN", COV_EXERCISED, "semantic: X86_RDMSR/X86_WRMSR exits, data both ways");
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TC(x86_hypercall_exit);
ATF_TC_HEAD(x86_hypercall_exit, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_HC_MAP_GPA_RANGE from the guest returns -KVM_ENOSYS "
			  "until KVM_ENABLE_CAP KVM_CAP_EXIT_HYPERCALL (unknown bits refused) enables it; "
			  "then it exits KVM_EXIT_HYPERCALL with nr and args, and hypercall.ret is the "
			  "guest's rax after it");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "require.machine", "x86_64");
}
ATF_TC_BODY(x86_hypercall_exit, tc)
{
	const struct vmprog_args a = { .value = KVM_HC_MAP_GPA_RANGE_NR,
				       .gpa = vmprog_layout.free_gpa, .count = 3, .stride = 0x10 };
	struct kvm_enable_cap cap;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_run *run;
	int mask;

	vmprog_vm_create(&vm);
	mask = vm_require_cap(&vm, KVM_CAP_EXIT_HYPERCALL, NULL);
	if (!(mask & 1 << KVM_HC_MAP_GPA_RANGE_NR))
		atf_tc_skip("KVM_CAP_EXIT_HYPERCALL 0x%x: no KVM_HC_MAP_GPA_RANGE", mask);
	vm_vcpu_add(&vm, &vcpu, 0);
	run = vcpu.run;
	vmprog_start(&vcpu, &vmprog_x86_hypercall, &a);
	run_exit(&vcpu, KVM_EXIT_HLT, "KVM_HC_MAP_GPA_RANGE before the capability");
	if ((vmprog_result(&vcpu, &vmprog_x86_hypercall) & 0xffffffff) != (uint32_t)-KVM_ENOSYS_NR &&
	    kvm_is_pvm())
		atf_tc_skip("kvm-pvm does not take the guest's vmmcall as a KVM hypercall (rax 0x%llx "
			    "after it)", (unsigned long long)vmprog_result(&vcpu, &vmprog_x86_hypercall));
	ATF_CHECK_EQ_MSG(vmprog_result(&vcpu, &vmprog_x86_hypercall) & 0xffffffff,
			 (uint32_t)-KVM_ENOSYS_NR, "the hypercall returned 0x%llx, not -KVM_ENOSYS",
			 (unsigned long long)vmprog_result(&vcpu, &vmprog_x86_hypercall));

	memset(&cap, 0, sizeof(cap));
	cap.cap = KVM_CAP_EXIT_HYPERCALL;
	cap.args[0] = (uint64_t)mask << 1 | 1ull << 63;
	ATF_CHECK_MSG(__kvm_ioctl(vm.fd, KVM_ENABLE_CAP, &cap) < 0 && errno == EINVAL,
		      "KVM_ENABLE_CAP KVM_CAP_EXIT_HYPERCALL with unknown bits not refused EINVAL");
	cap.args[0] = 1u << KVM_HC_MAP_GPA_RANGE_NR;
	kvm_ioctl(vm.fd, KVM_ENABLE_CAP, &cap);
	vmprog_start(&vcpu, &vmprog_x86_hypercall, &a);
	run_exit(&vcpu, KVM_EXIT_HYPERCALL, "KVM_HC_MAP_GPA_RANGE");
	ATF_CHECK_MSG(run->hypercall.nr == KVM_HC_MAP_GPA_RANGE_NR && run->hypercall.args[0] == a.gpa &&
		      run->hypercall.args[1] == a.count && run->hypercall.args[2] == a.stride,
		      "hypercall nr %llu args 0x%llx %llu 0x%llx, expected %d 0x%llx %llu 0x%llx",
		      (unsigned long long)run->hypercall.nr, (unsigned long long)run->hypercall.args[0],
		      (unsigned long long)run->hypercall.args[1],
		      (unsigned long long)run->hypercall.args[2], KVM_HC_MAP_GPA_RANGE_NR,
		      (unsigned long long)a.gpa, (unsigned long long)a.count,
		      (unsigned long long)a.stride);
	run->hypercall.ret = 0x2468;
	run_exit(&vcpu, KVM_EXIT_HLT, "hlt after the hypercall");
	ATF_CHECK_EQ_MSG(vmprog_result(&vcpu, &vmprog_x86_hypercall) & 0xffffffff, 0x2468,
			 "the guest's rax is 0x%llx after the hypercall, hypercall.ret was 0x2468",
			 (unsigned long long)vmprog_result(&vcpu, &vmprog_x86_hypercall));
	cov_ioctl("KVM_ENABLE_CAP", COV_EXERCISED, "semantic: KVM_CAP_EXIT_HYPERCALL turns ENOSYS into "
		  "KVM_EXIT_HYPERCALL; unknown bits EINVAL");
	cov_ioctl("KVM_RUN", COV_EXERCISED, "semantic: HYPERCALL exit decoded, ret to the guest");
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TC(arm64_nisv);
ATF_TC_HEAD(arm64_nisv, tc)
{
	atf_tc_set_md_var(tc, "descr", "An MMIO store without a valid syndrome fails KVM_RUN with "
			  "ENOSYS; after KVM_ENABLE_CAP KVM_CAP_ARM_NISV_TO_USER it exits "
			  "KVM_EXIT_ARM_NISV with the faulting address and a write syndrome");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
	atf_tc_set_md_var(tc, "require.machine", "aarch64");
}
ATF_TC_BODY(arm64_nisv, tc)
{
	const uint64_t gpa = vmprog_layout.mmio_gpa + 0x234;
	struct kvm_enable_cap cap;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	int r;

	vmprog_vm_create(&vm);
	vm_require_cap(&vm, KVM_CAP_ARM_NISV_TO_USER, NULL);
	vm_vcpu_add(&vm, &vcpu, 0);
	vmprog_start(&vcpu, &vmprog_arm64_store_nisv, &(struct vmprog_args){ .gpa = gpa, .value = 1 });
	r = ioctl(vcpu.fd, KVM_RUN, 0UL);
	ATF_CHECK_MSG(r < 0 && errno == ENOSYS, "KVM_RUN of a store without syndrome: %d (%s), "
		      "expected ENOSYS", r, strerror(errno));

	memset(&cap, 0, sizeof(cap));
	cap.cap = KVM_CAP_ARM_NISV_TO_USER;
	kvm_ioctl(vm.fd, KVM_ENABLE_CAP, &cap);
	vmprog_start(&vcpu, &vmprog_arm64_store_nisv, &(struct vmprog_args){ .gpa = gpa, .value = 1 });
	run_exit(&vcpu, KVM_EXIT_ARM_NISV, "a store without syndrome");
	ATF_CHECK_EQ_MSG(vcpu.run->arm_nisv.fault_ipa, gpa, "arm_nisv.fault_ipa 0x%llx, expected "
			 "0x%llx", (unsigned long long)vcpu.run->arm_nisv.fault_ipa,
			 (unsigned long long)gpa);
	ATF_CHECK_MSG(vcpu.run->arm_nisv.esr_iss & 1u << 6, "arm_nisv.esr_iss 0x%llx: WnR (bit 6, "
		      "a write) not set", (unsigned long long)vcpu.run->arm_nisv.esr_iss);
	cov_ioctl("KVM_ENABLE_CAP", COV_EXERCISED, "semantic: KVM_CAP_ARM_NISV_TO_USER turns ENOSYS "
		  "into KVM_EXIT_ARM_NISV");
	cov_ioctl("KVM_RUN", COV_EXERCISED, "semantic: ARM_NISV exit decoded");
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TC(mmio_read_write);
ATF_TC_HEAD(mmio_read_write, tc)
{
	atf_tc_set_md_var(tc, "descr", "A store and a load outside memory exit KVM_EXIT_MMIO "
			  "(phys_addr, len, is_write, data); the host's data reaches the guest's "
			  "register; then the arch's stop exit");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(mmio_read_write, tc)
{
	const uint64_t gpa = vmprog_layout.mmio_gpa + 0x100;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct kvm_run *run;
	uint32_t v;

	setup(&vm, &vcpu);
	run = vcpu.run;
	vmprog_start(&vcpu, &vmprog_store_load, &(struct vmprog_args){ .gpa = gpa,
		     .value = 0xc0ffee11 });
	run_exit(&vcpu, KVM_EXIT_MMIO, "store");
	memcpy(&v, run->mmio.data, sizeof(v));
	ATF_CHECK_MSG(run->mmio.phys_addr == gpa && run->mmio.len == 4 && run->mmio.is_write &&
		      v == 0xc0ffee11, "store: mmio phys_addr 0x%llx len %u is_write %u data 0x%x",
		      (unsigned long long)run->mmio.phys_addr, run->mmio.len, run->mmio.is_write, v);
	run_exit(&vcpu, KVM_EXIT_MMIO, "load");
	ATF_CHECK_MSG(run->mmio.phys_addr == gpa + 8 && run->mmio.len == 4 && !run->mmio.is_write,
		      "load: mmio phys_addr 0x%llx len %u is_write %u",
		      (unsigned long long)run->mmio.phys_addr, run->mmio.len, run->mmio.is_write);
	memcpy(run->mmio.data, &(uint32_t){ 0x7e57da7a }, 4);
	run_stop(&vcpu, "after the load");
	ATF_CHECK_EQ_MSG(vmprog_result(&vcpu, &vmprog_store_load), 0x7e57da7a, "the guest loaded "
			 "0x%llx", (unsigned long long)vmprog_result(&vcpu, &vmprog_store_load));
	cov_ioctl("KVM_RUN", COV_EXERCISED, "semantic: exit MMIO read/write decoded, data both ways");
	cov_struct("struct kvm_run", false, "shared mapping, not a GET/SET pair; exit fields checked");
	teardown(&vm, &vcpu);
}

static void on_alarm(int sig)
{
	(void)sig;
}

ATF_TC(immediate_exit_intr);
ATF_TC_HEAD(immediate_exit_intr, tc)
{
	atf_tc_set_md_var(tc, "descr", "kvm_run.immediate_exit makes KVM_RUN fail EINTR without "
			  "running the guest; a signal stops a spinning guest with EINTR and "
			  "KVM_EXIT_INTR");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(immediate_exit_intr, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct sigaction sa, old;
	struct itimerval it = { .it_value = { .tv_usec = 20000 }, .it_interval = { .tv_usec = 20000 } };
	int r;

	setup(&vm, &vcpu);
	vmprog_start(&vcpu, &vmprog_store_load, &(struct vmprog_args){ .gpa = vmprog_layout.mmio_gpa });
	vcpu.run->immediate_exit = 1;
	r = ioctl(vcpu.fd, KVM_RUN, 0UL);
	ATF_CHECK_MSG(r < 0 && errno == EINTR, "KVM_RUN with immediate_exit: %d (%s)", r,
		      strerror(errno));
	vcpu.run->immediate_exit = 0;
	run_exit(&vcpu, KVM_EXIT_MMIO, "the first store, after immediate_exit");
	run_exit(&vcpu, KVM_EXIT_MMIO, "the load");
	run_stop(&vcpu, "after the load");

	vmprog_start(&vcpu, &vmprog_spin, &(struct vmprog_args){ 0 });
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	ATF_REQUIRE_EQ(sigaction(SIGALRM, &sa, &old), 0);
	ATF_REQUIRE_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
	r = ioctl(vcpu.fd, KVM_RUN, 0UL);
	ATF_CHECK_MSG(r < 0 && errno == EINTR, "KVM_RUN of a spinning guest under SIGALRM: %d (%s)",
		      r, strerror(errno));
	ATF_CHECK_EQ_MSG(vcpu.run->exit_reason, KVM_EXIT_INTR, "exit_reason %u (%s), expected INTR",
			 vcpu.run->exit_reason, kvm_exit_name(vcpu.run->exit_reason));
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	ATF_REQUIRE_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
	ATF_REQUIRE_EQ(sigaction(SIGALRM, &old, NULL), 0);
	cov_ioctl("KVM_RUN", COV_EXERCISED, "semantic: immediate_exit EINTR, signal KVM_EXIT_INTR");
	teardown(&vm, &vcpu);
}

ATF_TC(coalesced_mmio);
ATF_TC_HEAD(coalesced_mmio, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_REGISTER_COALESCED_MMIO (KVM_CAP_COALESCED_MMIO): the "
			  "guest's stores to the zone do not exit, they appear in the ring at the "
			  "capability's page of the kvm_run mapping (phys_addr, len, data); after "
			  "KVM_UNREGISTER_COALESCED_MMIO a store exits as MMIO");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(coalesced_mmio, tc)
{
	const uint64_t zone_gpa = vmprog_layout.mmio_gpa + 0x1000;
	const unsigned int n = 4, stride = 16;
	const long page = host_page_size();
	struct kvm_coalesced_mmio_zone zone;
	struct kvm_coalesced_mmio_ring *ring;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	uint32_t max, first, got = 0;
	int off;

	setup(&vm, &vcpu);
	off = vm_require_cap(&vm, KVM_CAP_COALESCED_MMIO,
			     "KVM_REGISTER_COALESCED_MMIO KVM_UNREGISTER_COALESCED_MMIO");
	ATF_REQUIRE_MSG((off + 1) * page <= vm.run_size, "KVM_CAP_COALESCED_MMIO page %d outside the "
			"%d-byte kvm_run mapping", off, vm.run_size);
	ring = (struct kvm_coalesced_mmio_ring *)((uint8_t *)vcpu.run + off * page);
	ATF_REQUIRE_MSG(mem_readable(ring, page), "the kvm_run mapping serves no coalesced MMIO "
			"ring at page %d", off);
	max = (page - sizeof(*ring)) / sizeof(struct kvm_coalesced_mmio);

	memset(&zone, 0, sizeof(zone));
	zone.addr = zone_gpa;
	zone.size = 0x100;
	kvm_ioctl(vm.fd, KVM_REGISTER_COALESCED_MMIO, &zone);
	first = ring->first;
	ATF_CHECK_EQ_MSG(ring->last, first, "ring first %u last %u before any store", first,
			 ring->last);
	vmprog_start(&vcpu, &vmprog_pages, &(struct vmprog_args){ .gpa = zone_gpa, .stride = stride,
		     .count = n, .value = 0x5eed0000 });
	run_stop(&vcpu, "stores to a coalesced zone (no MMIO exit)");
	for (uint32_t i = first; i != ring->last; i = (i + 1) % max, got++) {
		const struct kvm_coalesced_mmio *e = &ring->coalesced_mmio[i];
		uint32_t v;

		ATF_REQUIRE_MSG(i < max && got < n, "ring first %u last %u: more than %u entries",
				first, ring->last, n);
		memcpy(&v, e->data, sizeof(v));
		ATF_CHECK_MSG(e->phys_addr == zone_gpa + got * stride && e->len == 4 &&
			      v == 0x5eed0000 && e->pio == 0, "ring entry %u: phys_addr 0x%llx len %u "
			      "data 0x%x pio %u", got, (unsigned long long)e->phys_addr, e->len, v,
			      e->pio);
	}
	ATF_CHECK_EQ_MSG(got, n, "%u ring entries for %u stores", got, n);
	ring->first = ring->last;

	kvm_ioctl(vm.fd, KVM_UNREGISTER_COALESCED_MMIO, &zone);
	vmprog_start(&vcpu, &vmprog_pages, &(struct vmprog_args){ .gpa = zone_gpa, .stride = stride,
		     .count = 1, .value = 1 });
	run_exit(&vcpu, KVM_EXIT_MMIO, "store after KVM_UNREGISTER_COALESCED_MMIO");
	ATF_CHECK_EQ(vcpu.run->mmio.phys_addr, zone_gpa);
	run_stop(&vcpu, "after the MMIO exit");
#if defined(__x86_64__)
	/* Port output coalesced too (KVM_CAP_COALESCED_PIO): out %al and out %ax leave entries with
	 * pio set; in %eax still exits. */
	if (vm_check_cap(&vm, KVM_CAP_COALESCED_PIO) > 0) {
		const uint16_t port = 0x530;

		memset(&zone, 0, sizeof(zone));
		zone.addr = port;
		zone.size = 2;
		zone.pio = 1;
		kvm_ioctl(vm.fd, KVM_REGISTER_COALESCED_MMIO, &zone);
		first = ring->first;
		vmprog_start(&vcpu, &vmprog_x86_io, &(struct vmprog_args){ .gpa = port,
			     .value = 0xbeef });
		run_exit(&vcpu, KVM_EXIT_IO, "in %eax, past two coalesced outs");
		ATF_CHECK_EQ_MSG(vcpu.run->io.direction, KVM_EXIT_IO_IN, "the first I/O exit is an "
				 "out: the outs were not coalesced");
		got = 0;
		for (uint32_t i = first; i != ring->last && got < 2; i = (i + 1) % max, got++) {
			const struct kvm_coalesced_mmio *e = &ring->coalesced_mmio[i];
			uint16_t v = 0;

			memcpy(&v, e->data, e->len <= 2 ? e->len : 2);
			ATF_CHECK_MSG(e->phys_addr == port && e->len == got + 1 && e->pio == 1 &&
				      v == (got == 0 ? 0xef : 0xbeef), "PIO ring entry %u: phys_addr "
				      "0x%llx len %u pio %u data 0x%x", got,
				      (unsigned long long)e->phys_addr, e->len, e->pio, v);
		}
		ATF_CHECK_EQ_MSG(got, 2, "%u PIO ring entries for out %%al, out %%ax", got);
		ring->first = ring->last;
		cov_ioctl("KVM_REGISTER_COALESCED_MMIO", COV_EXERCISED, "semantic: pio zone "
			  "(KVM_CAP_COALESCED_PIO) fills the ring with pio entries");
	}
#endif
	cov_ioctl("KVM_REGISTER_COALESCED_MMIO", COV_EXERCISED, "number,semantic: stores land in the "
		  "kvm_run ring with address, length and data");
	cov_ioctl("KVM_UNREGISTER_COALESCED_MMIO", COV_EXERCISED, "number,semantic: stores exit again");
	cov_struct("struct kvm_coalesced_mmio_zone", false, "no GET twin; checked by the ring");
	teardown(&vm, &vcpu);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, x86_io_hlt_shutdown);
	ATF_TP_ADD_TC(tp, arm64_psci_system_event);
	ATF_TP_ADD_TC(tp, x86_msr_exits);
	ATF_TP_ADD_TC(tp, x86_hypercall_exit);
	ATF_TP_ADD_TC(tp, arm64_nisv);
	ATF_TP_ADD_TC(tp, mmio_read_write);
	ATF_TP_ADD_TC(tp, immediate_exit_intr);
	ATF_TP_ADD_TC(tp, coalesced_mmio);
	return atf_no_error();
}
