/* conformance/ioctl_hooks_x86_64.c - x86_64 set-up the catalog cannot say as data: the needs=
 * words (irqchip, pit) and the per-ioctl hooks that build real arguments (memory slots, eventfds,
 * MSR lists, CPUID tables, routing entries, ...). Every number, size and offset through the
 * bindings' tables (ioctl_check.h). */
#if defined(__x86_64__)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"
#include "ioctl_check.h"

bool ioctl_arch_need(struct ictx *c, const char *need)
{
	if (strcmp(need, "irqchip") == 0) {
		abi_do(c->vm.fd, "KVM_CREATE_IRQCHIP", 0, true);
		return true;
	}
	if (strcmp(need, "stable_tsc") == 0) {
		ioctl_arch_need_holds(c, need);	/* c->skip when it does not hold */
		return true;
	}
	if (strcmp(need, "pit") == 0) {
		unsigned char *cfg = abi_new("struct kvm_pit_config", 0);

		abi_do(c->vm.fd, "KVM_CREATE_PIT2", (unsigned long)cfg, true);
		free(cfg);
		return true;
	}
	return false;
}

/* tsc_stable: whether this kernel still counts the TSC as stable. When it does not (the
 * clocksource watchdog marked it unstable, as a nested guest's can be under load), KVM writes a
 * new TSC offset from the last guest TSC at every vcpu_load (kvm_arch_vcpu_load, 6.1 and 6.12),
 * so an offset set is not what the next ioctl reads. An unstable TSC loses its high-resolution
 * validity and leaves available_clocksource; no such file: taken as stable. The tests name
 * another file in KVMGATE_CLOCKSOURCES. */
static bool tsc_stable(void)
{
	const char *path = getenv("KVMGATE_CLOCKSOURCES");
	FILE *f = fopen(path != NULL ? path :
			"/sys/devices/system/clocksource/clocksource0/available_clocksource", "r");
	char line[512], *w, *save = NULL;
	bool listed = false;

	if (f == NULL)
		return true;
	if (fgets(line, sizeof(line), f) != NULL)
		for (w = strtok_r(line, " \n", &save); w != NULL && !listed;
		     w = strtok_r(NULL, " \n", &save))
			listed = strcmp(w, "tsc") == 0;
	fclose(f);
	return listed;
}

bool ioctl_arch_need_holds(struct ictx *c, const char *need)
{
	if (strcmp(need, "stable_tsc") != 0 || tsc_stable())
		return true;
	snprintf(c->skip, sizeof(c->skip), "the TSC is unstable on this kernel (\"tsc\" is not "
		 "among its clocksources): KVM rewrites a vCPU's TSC offset at every vcpu_load");
	return false;
}

bool ioctl_arch_need_probes(const char *need)
{
	/* an irqchip and a PIT are always there with their capabilities; the TSC may be unstable */
	return strcmp(need, "stable_tsc") == 0;
}

void ioctl_arch_vcpu(struct ictx *c)
{
	(void)c;
}

static void h_identity_map(struct ictx *c)
{
	ictx_set_at(c, 0, 8, 0xfeffc000ULL);
}

static void h_gsi_routing(struct ictx *c)
{
	const char *t = "struct kvm_irq_routing_entry";
	size_t base = ictx_flex(c);
	unsigned int off, size;

	ictx_set(c, "nr", 1);
	ATF_REQUIRE(abi_locate(t, "type", &off, &size));
	ictx_set_at(c, base + off, size, (unsigned long long)abi_value("KVM_IRQ_ROUTING_IRQCHIP"));
	ATF_REQUIRE(abi_locate(t, "gsi", &off, &size));
	ictx_set_at(c, base + off, size, 2);
	ATF_REQUIRE(abi_locate(t, "u.irqchip.irqchip", &off, &size));
	ictx_set_at(c, base + off, size, (unsigned long long)abi_value("KVM_IRQCHIP_IOAPIC"));
	ATF_REQUIRE(abi_locate(t, "u.irqchip.pin", &off, &size));
	ictx_set_at(c, base + off, size, 2);
}

static void h_reinject_control(struct ictx *c)
{
	unsigned char *p = hook_payload(c, abi_type("struct kvm_reinject_control")->size);

	abi_store(p, "struct kvm_reinject_control", "pit_reinject", 1);
	c->by_value = true;
	c->val = (unsigned long)p;
}

static void h_create_device(struct ictx *c)
{
	long r;

	ictx_set(c, "type", (unsigned long long)abi_value("KVM_DEV_TYPE_VFIO"));
	ictx_set(c, "flags", (unsigned long long)abi_value("KVM_CREATE_DEVICE_TEST"));
	r = abi_do(c->vm.fd, "KVM_CREATE_DEVICE", (unsigned long)c->buf, false);
	if (r < 0)
		snprintf(c->skip, sizeof(c->skip), "KVM_DEV_TYPE_VFIO not built into this kernel "
			 "(KVM_CREATE_DEVICE_TEST: %s)", strerror((int)-r));
	ictx_set(c, "flags", 0);
}

static void h_pmu_filter(struct ictx *c)
{
	ictx_set_at(c, ictx_flex(c), 8, 0x00c0);	/* instructions retired */
}

static void h_sev(struct ictx *c)
{
	unsigned char cmd[64] = { 0 };	/* a zeroed command, bigger than any SEV command */
	long r = abi_do(c->vm.fd, "KVM_MEMORY_ENCRYPT_OP", (unsigned long)cmd, false);

	if (r == -ENOTTY)
		snprintf(c->skip, sizeof(c->skip), "SEV not enabled on this host (KVM_MEMORY_ENCRYPT_OP "
			 "answers ENOTTY; 6.1 has no KVM_CAP for it)");
	else
		snprintf(c->skip, sizeof(c->skip), "SEV enabled: its commands are not exercised "
			 "(KVM_MEMORY_ENCRYPT_OP answers %s)", strerror((int)-r));
}

static void h_hyperv_eventfd(struct ictx *c)
{
	ictx_set(c, "conn_id", 1);
	ictx_set(c, "fd", (unsigned long long)hook_eventfd(c));
}

/* xen_config: KVM_XEN_HVM_CONFIG with the flags of want the kernel reports; false (skip) when it
 * lacks one of them. */
static bool xen_config(struct ictx *c, const char *want)
{
	long have = ictx_cap(c, "KVM_CAP_XEN_HVM");
	long long flag = abi_value(want);
	unsigned char *cfg;

	if (!(have & flag)) {
		snprintf(c->skip, sizeof(c->skip), "KVM_CAP_XEN_HVM lacks %s", want);
		return false;
	}
	cfg = abi_new("struct kvm_xen_hvm_config", 0);
	abi_store(cfg, "struct kvm_xen_hvm_config", "flags", (unsigned long long)flag);
	abi_do(c->vm.fd, "KVM_XEN_HVM_CONFIG", (unsigned long)cfg, true);
	free(cfg);
	return true;
}

static void h_xen_evtchn(struct ictx *c)
{
	if (!xen_config(c, "KVM_XEN_HVM_CONFIG_EVTCHN_SEND"))
		return;
	snprintf(c->skip, sizeof(c->skip), "KVM_XEN_HVM_EVTCHN_SEND needs a Xen shared-info page "
		 "and a bound port (not set up here)");
}

static void h_xen_vcpu_attr(struct ictx *c)
{
	if (!xen_config(c, "KVM_XEN_HVM_CONFIG_EVTCHN_SEND"))
		return;
	ictx_set(c, "type", (unsigned long long)abi_value("KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID"));
	ictx_set(c, "u.vcpu_id", 0);
}

/* The MSRs of the round trip: SYSENTER_CS, _ESP, _EIP (any value, no side effect). */
static void h_msrs(struct ictx *c)
{
	static const unsigned int idx[] = { 0x174, 0x175, 0x176 };
	const char *t = "struct kvm_msr_entry";
	unsigned int esz = abi_type(t)->size, off, size;

	ictx_grow(c, c->e->abi->size + 3 * esz);
	ictx_set(c, "nmsrs", 3);
	ATF_REQUIRE(abi_locate(t, "index", &off, &size));
	for (unsigned int i = 0; i < 3; i++)
		ictx_set_at(c, ictx_flex(c) + i * esz + off, size, idx[i]);
}

/* supported_cpuid: KVM_GET_SUPPORTED_CPUID into a struct kvm_cpuid2 of up to 256 entries. */
static unsigned char *supported_cpuid(struct ictx *c)
{
	const char *t = "struct kvm_cpuid2";
	unsigned int esz = abi_type("struct kvm_cpuid_entry2")->size;
	unsigned char *b = abi_new(t, 256 * esz);

	abi_store(b, t, "nent", 256);
	abi_do(c->sys_fd, "KVM_GET_SUPPORTED_CPUID", (unsigned long)b, true);
	return b;
}

static void h_cpuid2(struct ictx *c)
{
	unsigned char *b = supported_cpuid(c);

	abi_do(c->vcpu.fd, "KVM_SET_CPUID2", (unsigned long)b, true);
	free(b);
}

static void h_cpuid(struct ictx *c)
{
	const char *t = "struct kvm_cpuid_entry";
	unsigned int esz = abi_type(t)->size, off, size;
	const struct kvmgate_abi_field *flex = abi_flex_field("struct kvm_cpuid");

	ATF_REQUIRE(flex != NULL);
	ictx_grow(c, c->e->abi->size + esz);
	ictx_set(c, "nent", 1);
	ATF_REQUIRE(abi_locate(t, "eax", &off, &size));
	ictx_set_at(c, flex->offset + off, size, 1);	/* leaf 0: the highest leaf is 1 */
}

static void h_xsave2(struct ictx *c)
{
	long size = ictx_cap(c, "KVM_CAP_XSAVE2");

	if ((size_t)size > c->len)
		ictx_grow(c, (size_t)size);
}

static void h_nested_state(struct ictx *c)
{
	long size = ictx_cap(c, "KVM_CAP_NESTED_STATE");

	if ((size_t)size > c->len)
		ictx_grow(c, (size_t)size);
	ictx_set(c, "size", (unsigned long long)c->len);
}

static void h_signal_mask(struct ictx *c)
{
	(void)c;	/* len = 8 (flex=len:8), an empty mask */
}

static void h_setup_mce(struct ictx *c)
{
	ictx_set_at(c, 0, 8, 10);	/* mcg_cap: 10 banks, no extra capabilities */
}

static void h_set_mce(struct ictx *c)
{
	unsigned long long cap = 10;

	abi_do(c->vcpu.fd, "KVM_X86_SETUP_MCE", (unsigned long)&cap, true);
	ictx_set(c, "bank", 1);
	ictx_set(c, "status", 1ULL << 63);	/* MCI_STATUS_VAL, a corrected error */
}

/* h_kvmclock: KVMCLOCK_CTRL needs the guest's kvmclock on: MSR_KVM_SYSTEM_TIME_NEW. */
static void h_kvmclock(struct ictx *c)
{
	const char *t = "struct kvm_msrs", *te = "struct kvm_msr_entry";
	const struct kvmgate_abi_field *flex = abi_flex_field(t);
	unsigned char *m = abi_new(t, abi_type(te)->size);

	ATF_REQUIRE(flex != NULL);
	abi_store(m, t, "nmsrs", 1);
	abi_store(m + flex->offset, te, "index", 0x4b564d01);
	abi_store(m + flex->offset, te, "data", 0x8000 | 1);
	ATF_REQUIRE_MSG(abi_do(c->vcpu.fd, "KVM_SET_MSRS", (unsigned long)m, true) == 1,
			"KVM_SET_MSRS of MSR_KVM_SYSTEM_TIME_NEW");
	free(m);
}

static void h_tsc_khz(struct ictx *c)
{
	c->val = (unsigned long)abi_do(c->vcpu.fd, "KVM_GET_TSC_KHZ", 0, true);
}

static void h_tsc_offset_attr(struct ictx *c)
{
	ictx_set(c, "group", (unsigned long long)abi_value("KVM_VCPU_TSC_CTRL"));
	ictx_set(c, "attr", (unsigned long long)abi_value("KVM_VCPU_TSC_OFFSET"));
	ictx_set(c, "addr", (unsigned long)hook_payload(c, 8));
}

const struct ioctl_hook ioctl_hooks[] = {
	{ "clear_dirty_log", hook_clear_dirty_log },
	{ "coalesced_unregister", hook_coalesced_unregister },
	{ "cpuid", h_cpuid },
	{ "cpuid2", h_cpuid2 },
	{ "create_device", h_create_device, true },
	{ "dirty_log", hook_dirty_log },
	{ "dirty_ring", hook_dirty_ring },
	{ "gsi_routing", h_gsi_routing },
	{ "hyperv_eventfd", h_hyperv_eventfd },
	{ "identity_map", h_identity_map },
	{ "ioeventfd", hook_ioeventfd },
	{ "irqfd", hook_irqfd },
	{ "kvmclock", h_kvmclock },
	{ "memslot", hook_memslot },
	{ "msrs", h_msrs },
	{ "nested_state", h_nested_state },
	{ "one_reg", hook_one_reg, true },
	{ "pmu_filter", h_pmu_filter },
	{ "pre_fault", hook_pre_fault },
	{ "reinject_control", h_reinject_control },
	{ "run", hook_run },
	{ "set_mce", h_set_mce },
	{ "setup_mce", h_setup_mce },
	{ "sev", h_sev, true },
	{ "signal_mask", h_signal_mask },
	{ "tsc_khz", h_tsc_khz },
	{ "tsc_offset_attr", h_tsc_offset_attr },
	{ "xen_evtchn", h_xen_evtchn, true },
	{ "xen_vcpu_attr", h_xen_vcpu_attr, true },
	{ "xsave2", h_xsave2 },
};
const unsigned int ioctl_nr_hooks = sizeof(ioctl_hooks) / sizeof(ioctl_hooks[0]);
#endif
