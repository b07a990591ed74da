/* conformance/ioctl_hooks_arm64.c - arm64 set-up the catalog cannot say as data: the vCPU's
 * KVM_ARM_VCPU_INIT, the needs= word vgic (a GICv3 device, its addresses and init once the vCPUs
 * exist), and the per-ioctl hooks (ioctl_check.h). Every number, size and offset through the
 * bindings' tables. */
#if defined(__aarch64__)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "ioctl_check.h"

#define VGIC_CREATED 1

/* The guest physical layout of the vGIC: below the guest programs' memory (0x40000000). */
#define VGIC_DIST_GPA 0x08000000ULL
#define VGIC_REDIST_GPA 0x080a0000ULL

static void device_attr(int fd, const char *group, const char *attr, unsigned long long *val)
{
	const char *t = "struct kvm_device_attr";
	unsigned char *a = abi_new(t, 0);

	abi_store(a, t, "group", (unsigned long long)abi_value(group));
	abi_store(a, t, "attr", (unsigned long long)abi_value(attr));
	abi_store(a, t, "addr", (unsigned long)val);
	abi_do(fd, "KVM_SET_DEVICE_ATTR", (unsigned long)a, true);
	free(a);
}

bool ioctl_arch_need(struct ictx *c, const char *need)
{
	if (strcmp(need, "vgic") == 0) {
		const char *t = "struct kvm_create_device";
		unsigned char *d = abi_new(t, 0);
		long r;

		abi_store(d, t, "type", (unsigned long long)abi_value("KVM_DEV_TYPE_ARM_VGIC_V3"));
		r = abi_do(c->vm.fd, "KVM_CREATE_DEVICE", (unsigned long)d, false);
		if (r < 0)
			snprintf(c->skip, sizeof(c->skip), "no GICv3 to emulate (KVM_CREATE_DEVICE of "
				 "KVM_DEV_TYPE_ARM_VGIC_V3: %s)", strerror((int)-r));
		else {
			c->dev_fd = (int)abi_load(d, t, "fd");
			c->arch_state |= VGIC_CREATED;
		}
		free(d);
		return true;
	}
	return false;
}

bool ioctl_arch_need_probes(const char *need)
{
	return strcmp(need, "vgic") == 0;	/* a GIC that cannot emulate a GICv3 */
}

bool ioctl_arch_need_holds(struct ictx *c, const char *need)
{
	(void)c;
	(void)need;	/* vgic: it stays once created */
	return true;
}

/* vcpu_init_arg: the preferred target, with PSCI 0.2 and the features in extra, into buf. */
static void vcpu_init_arg(struct ictx *c, unsigned char *buf, unsigned long long extra)
{
	const char *t = "struct kvm_vcpu_init";

	abi_do(c->vm.fd, "KVM_ARM_PREFERRED_TARGET", (unsigned long)buf, true);
	abi_store(buf, t, "features[0]",
		  (1ULL << abi_value("KVM_ARM_VCPU_PSCI_0_2")) | extra);
}

void ioctl_arch_vcpu(struct ictx *c)
{
	unsigned char *init = abi_new("struct kvm_vcpu_init", 0);
	unsigned long long dist = VGIC_DIST_GPA, redist = VGIC_REDIST_GPA;

	vcpu_init_arg(c, init, 0);
	abi_do(c->vcpu.fd, "KVM_ARM_VCPU_INIT", (unsigned long)init, true);
	free(init);
	if (!(c->arch_state & VGIC_CREATED))
		return;
	/* The vGIC, once the vCPUs exist: its addresses, then init. */
	device_attr(c->dev_fd, "KVM_DEV_ARM_VGIC_GRP_ADDR", "KVM_VGIC_V3_ADDR_TYPE_DIST", &dist);
	device_attr(c->dev_fd, "KVM_DEV_ARM_VGIC_GRP_ADDR", "KVM_VGIC_V3_ADDR_TYPE_REDIST", &redist);
	device_attr(c->dev_fd, "KVM_DEV_ARM_VGIC_GRP_CTRL", "KVM_DEV_ARM_VGIC_CTRL_INIT", NULL);
}

/* gicv2_absent: whether the GIC cannot emulate a GICv2 (then c->skip says so, for what). */
static bool gicv2_absent(struct ictx *c, const char *what)
{
	const char *t = "struct kvm_create_device";
	unsigned char *d = abi_new(t, 0);
	long r;

	abi_store(d, t, "type", (unsigned long long)abi_value("KVM_DEV_TYPE_ARM_VGIC_V2"));
	abi_store(d, t, "flags", (unsigned long long)abi_value("KVM_CREATE_DEVICE_TEST"));
	r = abi_do(c->vm.fd, "KVM_CREATE_DEVICE", (unsigned long)d, false);
	free(d);
	if (r < 0)
		snprintf(c->skip, sizeof(c->skip), "the GIC cannot emulate a GICv2, %s "
			 "(KVM_DEV_TYPE_ARM_VGIC_V2: %s)", what, strerror((int)-r));
	return r < 0;
}

/* reg_masks: room for the writable masks of the whole feature ID space (op0 3, op1 0-7, CRn 0,
 * CRm 0-7, op2 0-7: 3 x 8 x 8 registers of 8 bytes); range 0 is the feature ID range. */
static void h_reg_masks(struct ictx *c)
{
	ictx_set(c, "addr", (unsigned long)hook_payload(c, 3 * 8 * 8 * 8));
	ictx_set(c, "range", 0);
}

static void h_gicv2(struct ictx *c)
{
	gicv2_absent(c, "the only irqchip KVM_CREATE_IRQCHIP makes");
}

/* h_vgic2_dist_addr: the GICv2 distributor's address, the only device of this old interface. */
static void h_vgic2_dist_addr(struct ictx *c)
{
	if (gicv2_absent(c, "the only device KVM_ARM_SET_DEVICE_ADDR places"))
		return;
	abi_do(c->vm.fd, "KVM_CREATE_IRQCHIP", 0, true);
	ictx_set(c, "id", (unsigned long long)(abi_value("KVM_ARM_DEVICE_VGIC_V2") <<
						 abi_value("KVM_ARM_DEVICE_ID_SHIFT")) |
		 (unsigned long long)abi_value("KVM_VGIC_V2_ADDR_TYPE_DIST"));
	ictx_set(c, "addr", VGIC_DIST_GPA);
}

/* h_spi_line: SPI 40 raised. */
static void h_spi_line(struct ictx *c)
{
	ictx_set(c, "irq", (unsigned long long)(abi_value("KVM_ARM_IRQ_TYPE_SPI") <<
						  abi_value("KVM_ARM_IRQ_TYPE_SHIFT")) | 40);
	ictx_set(c, "level", 1);
}

static void h_its_msi(struct ictx *c)
{
	snprintf(c->skip, sizeof(c->skip), "KVM_SIGNAL_MSI needs a vGIC ITS with a mapped device and "
		 "event (not set up here)");
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
	ictx_set_at(c, base + off, size, 8);
	ATF_REQUIRE(abi_locate(t, "u.irqchip.pin", &off, &size));
	ictx_set_at(c, base + off, size, 8);
}

static void h_mte_tags(struct ictx *c)
{
	ictx_enable_cap(c->vm.fd, "KVM_CAP_ARM_MTE", 0);
	ictx_set(c, "guest_ipa", guest_mem_gpa);
	ictx_set(c, "length", 4096);
	ictx_set(c, "addr", (unsigned long)hook_payload(c, 4096 / 16));
	ictx_set(c, "flags", (unsigned long long)abi_value("KVM_ARM_TAGS_FROM_GUEST"));
}

static void h_vcpu_init(struct ictx *c)
{
	vcpu_init_arg(c, c->buf, 0);
	memcpy(c->input, c->buf, c->len);
}

static void h_sve_finalize(struct ictx *c)
{
	unsigned char *init = abi_new("struct kvm_vcpu_init", 0);
	long r;

	vcpu_init_arg(c, init, 1ULL << abi_value("KVM_ARM_VCPU_SVE"));
	r = abi_do(c->vcpu.fd, "KVM_ARM_VCPU_INIT", (unsigned long)init, false);
	free(init);
	if (r < 0) {
		snprintf(c->skip, sizeof(c->skip), "a vCPU with KVM_ARM_VCPU_SVE: %s",
			 strerror((int)-r));
		return;
	}
	ictx_set_at(c, 0, 4, (unsigned long long)abi_value("KVM_ARM_VCPU_SVE"));
}

static void h_timer_irq_attr(struct ictx *c)
{
	ictx_set(c, "group", (unsigned long long)abi_value("KVM_ARM_VCPU_TIMER_CTRL"));
	ictx_set(c, "attr", (unsigned long long)abi_value("KVM_ARM_VCPU_TIMER_IRQ_VTIMER"));
	ictx_set(c, "addr", (unsigned long)hook_payload(c, 4));
}

const struct ioctl_hook ioctl_hooks[] = {
	{ "clear_dirty_log", hook_clear_dirty_log },
	{ "coalesced_unregister", hook_coalesced_unregister },
	{ "dirty_log", hook_dirty_log },
	{ "dirty_ring", hook_dirty_ring },
	{ "gicv2", h_gicv2, true },
	{ "gsi_routing", h_gsi_routing },
	{ "ioeventfd", hook_ioeventfd },
	{ "irqfd", hook_irqfd },
	{ "its_msi", h_its_msi, true },
	{ "memslot", hook_memslot },
	{ "mte_tags", h_mte_tags },
	{ "one_reg", hook_one_reg, true },
	{ "pre_fault", hook_pre_fault },
	{ "reg_masks", h_reg_masks },
	{ "run", hook_run },
	{ "spi_line", h_spi_line },
	{ "sve_finalize", h_sve_finalize, true },
	{ "timer_irq_attr", h_timer_irq_attr },
	{ "vcpu_init", h_vcpu_init },
	{ "vgic2_dist_addr", h_vgic2_dist_addr, true },
};
const unsigned int ioctl_nr_hooks = sizeof(ioctl_hooks) / sizeof(ioctl_hooks[0]);
#endif
