/* conformance/vm_eventfd_test.c - eventfds and interrupts through the bindings' kvm_ioeventfd,
 * kvm_irqfd, kvm_irq_routing, kvm_irq_level and kvm_msi: a guest store to an ioeventfd's address (MMIO; port I/O
 * on x86) signals the eventfd instead of exiting, by address, length and datamatch; a signalled
 * irqfd raises the pin its GSI is routed to (default routing, then KVM_SET_GSI_ROUTING), on x86
 * also an MSI vector; KVM_IRQ_LINE raises the pin it names; KVM_SIGNAL_MSI raises its vector. The controller's state is read back
 * through irqchip.h. */
#include <atf-c.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "irqchip.h"
#include "vm_util.h"

static int ioeventfd(struct kvm_vm *vm, uint64_t addr, uint32_t len, int fd, uint32_t flags,
		     uint64_t datamatch)
{
	struct kvm_ioeventfd io;

	memset(&io, 0, sizeof(io));
	io.addr = addr;
	io.len = len;
	io.fd = fd;
	io.flags = flags;
	io.datamatch = datamatch;
	return __kvm_ioctl(vm->fd, KVM_IOEVENTFD, &io) < 0 ? -errno : 0;
}

/* store: the guest stores value to count words from gpa (16 bytes apart), then runs on until its
 * stop, expecting mmio_exits MMIO exits (at the addresses in mmio[]) on the way. */
static void store(struct kvm_vcpu *vcpu, uint64_t gpa, unsigned int count, uint32_t value,
		  unsigned int mmio_exits, const uint64_t *mmio)
{
	vmprog_start(vcpu, &vmprog_pages, &(struct vmprog_args){ .gpa = gpa, .stride = 16,
		     .count = count, .value = value });
	for (unsigned int i = 0; i < mmio_exits; i++) {
		run_exit(vcpu, KVM_EXIT_MMIO, "a store no ioeventfd takes");
		ATF_CHECK_EQ_MSG(vcpu->run->mmio.phys_addr, mmio[i], "MMIO exit at 0x%llx, expected "
				 "0x%llx", (unsigned long long)vcpu->run->mmio.phys_addr,
				 (unsigned long long)mmio[i]);
	}
	run_stop(vcpu, "stores an ioeventfd takes do not exit");
}

ATF_TC(ioeventfd);
ATF_TC_HEAD(ioeventfd, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_IOEVENTFD (KVM_CAP_IOEVENTFD): the guest's MMIO store "
			  "signals the eventfd without an exit when address, length and datamatch fit, "
			  "exits as MMIO when the data does not match or after KVM_IOEVENTFD_FLAG_DEASSIGN; "
			  "a duplicate is EEXIST; length 0 takes any store (KVM_CAP_IOEVENTFD_ANY_LENGTH); "
			  "on x86 a KVM_IOEVENTFD_FLAG_PIO port of length 1 takes "
			  "out %%al and not out %%ax");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(ioeventfd, tc)
{
	const uint64_t a = vmprog_layout.mmio_gpa + 0x2000, b = a + 16;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	int match, any;

	vmprog_vm_create(&vm);
	vm_require_cap(&vm, KVM_CAP_IOEVENTFD, "KVM_IOEVENTFD");
	vm_vcpu_add(&vm, &vcpu, 0);
	match = efd_new();
	any = efd_new();
	ATF_REQUIRE_EQ(ioeventfd(&vm, a, 4, match, KVM_IOEVENTFD_FLAG_DATAMATCH, 0x1234), 0);
	ATF_REQUIRE_EQ(ioeventfd(&vm, b, 4, any, 0, 0), 0);
	ATF_CHECK_EQ_MSG(ioeventfd(&vm, b, 4, any, 0, 0), -EEXIST, "a duplicate ioeventfd was not "
			 "refused EEXIST");

	store(&vcpu, a, 2, 0x1234, 0, NULL);
	ATF_CHECK_EQ_MSG(efd_take(match), 1, "the datamatch eventfd after a matching store");
	ATF_CHECK_EQ_MSG(efd_take(any), 1, "the any-data eventfd after a store");
	store(&vcpu, a, 2, 0x4321, 1, &a);
	ATF_CHECK_EQ_MSG(efd_take(match), 0, "the datamatch eventfd after a store of other data");
	ATF_CHECK_EQ_MSG(efd_take(any), 1, "the any-data eventfd after a second store");

	ATF_REQUIRE_EQ(ioeventfd(&vm, b, 4, any, KVM_IOEVENTFD_FLAG_DEASSIGN, 0), 0);
	store(&vcpu, b, 1, 0x1234, 1, &b);
	ATF_CHECK_EQ_MSG(efd_take(any), 0, "a deassigned eventfd was signalled");
	ATF_CHECK_EQ_MSG(ioeventfd(&vm, b, 4, any, KVM_IOEVENTFD_FLAG_DEASSIGN, 0), -ENOENT,
			 "deassigning twice was not refused ENOENT");
	/* Length 0 (KVM_CAP_IOEVENTFD_ANY_LENGTH) takes a store of any size. */
	if (vm_check_cap(&vm, KVM_CAP_IOEVENTFD_ANY_LENGTH) > 0) {
		ATF_REQUIRE_EQ(ioeventfd(&vm, b, 0, any, 0, 0), 0);
		store(&vcpu, b, 1, 0x77, 0, NULL);
		ATF_CHECK_EQ_MSG(efd_take(any), 1, "a length-0 ioeventfd after a 4-byte store");
		ATF_REQUIRE_EQ(ioeventfd(&vm, b, 0, any, KVM_IOEVENTFD_FLAG_DEASSIGN, 0), 0);
	}
#if defined(__x86_64__)
	{
		const uint16_t port = 0x520;
		int pio = efd_new();

		ATF_REQUIRE_EQ(ioeventfd(&vm, port, 1, pio, KVM_IOEVENTFD_FLAG_PIO, 0), 0);
		vmprog_start(&vcpu, &vmprog_x86_io, &(struct vmprog_args){ .gpa = port, .value = 7 });
		run_exit(&vcpu, KVM_EXIT_IO, "out %ax (2 bytes) past a 1-byte PIO ioeventfd");
		ATF_CHECK_EQ_MSG(vcpu.run->io.size, 2, "the first I/O exit is of %u bytes, not out %%ax's "
				 "2: out %%al was not taken by the ioeventfd", vcpu.run->io.size);
		ATF_CHECK_EQ_MSG(efd_take(pio), 1, "the PIO eventfd after out %%al");
		run_exit(&vcpu, KVM_EXIT_IO, "in %eax");
		run_exit(&vcpu, KVM_EXIT_IO, "rep insw");
		run_exit(&vcpu, KVM_EXIT_HLT, "hlt");
		ATF_CHECK_EQ(close(pio), 0);
	}
#endif
	cov_ioctl("KVM_IOEVENTFD", COV_EXERCISED, "number,semantic: guest stores signal by address, "
		  "length, datamatch; PIO on x86; EEXIST, ENOENT");
	cov_struct("struct kvm_ioeventfd", false, "no GET twin; fields checked by guest stores");
	ATF_CHECK_EQ(close(match), 0);
	ATF_CHECK_EQ(close(any), 0);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

static int irqfd(struct kvm_vm *vm, int fd, uint32_t gsi, uint32_t flags)
{
	struct kvm_irqfd f;

	memset(&f, 0, sizeof(f));
	f.fd = fd;
	f.gsi = gsi;
	f.flags = flags;
	return __kvm_ioctl(vm->fd, KVM_IRQFD, &f) < 0 ? -errno : 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

/* pending_within: whether the pin (or, pin < 0, MSI vector) becomes pending within ms; irqfd
 * injection into a pin goes through a work queue. */
static bool pending_within(struct irqchip *ic, int pin, uint8_t vector, long ms)
{
	for (long t = 0; t <= ms; t++) {
		if (pin >= 0 ? irqchip_pin_pending(ic, pin) : irqchip_msi_pending(ic, vector))
			return true;
		sleep_ms(1);
	}
	return false;
}

/* check_pins: exactly the pins of mask are pending (waiting up to a second for each). */
static void check_pins(struct irqchip *ic, unsigned int mask, const char *what)
{
	for (unsigned int p = 0; p < irqchip_nr_pins; p++)
		if (mask >> p & 1)
			ATF_CHECK_MSG(pending_within(ic, p, 0, 1000), "%s: pin %u not pending", what, p);
	sleep_ms(20);
	for (unsigned int p = 0; p < irqchip_nr_pins; p++)
		if (!(mask >> p & 1))
			ATF_CHECK_MSG(!irqchip_pin_pending(ic, p), "%s: pin %u pending", what, p);
}

/* refused_routes: KVM_SET_GSI_ROUTING refuses table flags, a GSI from KVM_CAP_IRQ_ROUTING on,
 * more entries than that, an unknown entry type and entry flags on an irqchip entry (EINVAL). rt
 * is left as it came. */
static void refused_routes(struct kvm_vm *vm, struct kvm_irq_routing *rt, int max_routes)
{
	struct kvm_irq_routing_entry e0 = rt->entries[0];
	uint32_t nr = rt->nr;
	static const char *const what[] = { "table flags", "a GSI of KVM_CAP_IRQ_ROUTING",
					    "an unknown entry type", "flags on an irqchip entry",
					    "more entries than KVM_CAP_IRQ_ROUTING" };

	for (unsigned int i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
		rt->entries[0] = e0;
		rt->nr = nr;
		switch (i) {
		case 0: rt->flags = 1; break;
		case 1: rt->entries[0].gsi = max_routes; break;
		case 2: rt->entries[0].type = 0x7fff; break;
		case 3: rt->entries[0].flags = 1; break;
		case 4: rt->nr = max_routes + 1; break;
		}
		ATF_CHECK_MSG(__kvm_ioctl(vm->fd, KVM_SET_GSI_ROUTING, rt) < 0 && errno == EINVAL,
			      "KVM_SET_GSI_ROUTING with %s was not refused EINVAL", what[i]);
		rt->flags = 0;
	}
	rt->entries[0] = e0;
	rt->nr = nr;
}

ATF_TC(irqfd_routing);
ATF_TC_HEAD(irqfd_routing, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_IRQFD (KVM_CAP_IRQFD) on the in-kernel irqchip (x86 "
			  "KVM_CREATE_IRQCHIP, arm64 vGIC v3): a signalled eventfd raises the pin of its "
			  "GSI in the default routing, then in a KVM_SET_GSI_ROUTING table (the old GSI "
			  "no longer does), and an MSI route's vector; EBUSY twice, "
			  "KVM_IRQFD_FLAG_DEASSIGN stops it, unknown flags EINVAL; bad tables EINVAL");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(irqfd_routing, tc)
{
	const uint8_t vector = 0x51;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct irqchip ic;
	struct kvm_irq_routing *rt;
	const char *no_msi;
	int fd[5], max_routes;

	irqchip_setup(&ic, &vm, &vcpu);
	vm_require_cap(&vm, KVM_CAP_IRQFD, "KVM_IRQFD");
	max_routes = vm_require_cap(&vm, KVM_CAP_IRQ_ROUTING, "KVM_SET_GSI_ROUTING");
	for (int i = 0; i < 5; i++)
		fd[i] = efd_new();
	check_pins(&ic, 0, "before any irqfd");
	ATF_REQUIRE_EQ(irqfd(&vm, fd[0], irqchip_default_gsi(0), 0), 0);
	efd_signal(fd[0]);
	check_pins(&ic, 1u << 0, "irqfd on pin 0's default GSI");

	/* GSIs 40, 41, 43 to pins 1, 2, 3; on x86 GSI 42 to an MSI. */
	rt = calloc(1, sizeof(*rt) + 4 * sizeof(rt->entries[0]));
	ATF_REQUIRE(rt != NULL);
	rt->entries[rt->nr++] = irqchip_route_pin(40, 1);
	rt->entries[rt->nr++] = irqchip_route_pin(41, 2);
	rt->entries[rt->nr++] = irqchip_route_pin(43, 3);
	no_msi = irqchip_msi_setup(&ic);
	if (no_msi == NULL) {
		struct kvm_irq_routing_entry *e = &rt->entries[rt->nr++];
		struct irqchip_msg m;

		irqchip_msi(&ic, vector, &m);
		e->gsi = 42;
		e->type = KVM_IRQ_ROUTING_MSI;
		e->flags = m.flags;
		e->u.msi.address_lo = m.address_lo;
		e->u.msi.address_hi = m.address_hi;
		e->u.msi.data = m.data;
		e->u.msi.devid = m.devid;
	}
	refused_routes(&vm, rt, max_routes);
	kvm_ioctl(vm.fd, KVM_SET_GSI_ROUTING, rt);
	free(rt);

	ATF_REQUIRE_EQ(irqfd(&vm, fd[1], 40, 0), 0);
	ATF_REQUIRE_EQ(irqfd(&vm, fd[2], 41, 0), 0);
	ATF_CHECK_EQ_MSG(irqfd(&vm, fd[2], 41, 0), -EBUSY, "the same irqfd twice was not refused "
			 "EBUSY");
	efd_signal(fd[2]);
	check_pins(&ic, 1u << 0 | 1u << 2, "irqfd on GSI 41, routed to pin 2");
	efd_signal(fd[1]);
	check_pins(&ic, 1u << 0 | 1u << 1 | 1u << 2, "irqfd on GSI 40, routed to pin 1");

	/* Deassigned before its signal, an irqfd raises nothing; nor does pin 3's old default GSI,
	 * routed nowhere now. */
	ATF_REQUIRE_EQ(irqfd(&vm, fd[3], 43, 0), 0);
	ATF_REQUIRE_EQ(irqfd(&vm, fd[3], 43, KVM_IRQFD_FLAG_DEASSIGN), 0);
	ATF_CHECK_EQ_MSG(irqfd(&vm, fd[3], 43, 1u << 31), -EINVAL, "an unknown irqfd flag was not "
			 "refused EINVAL");
	efd_signal(fd[3]);
	ATF_REQUIRE_EQ(irqfd(&vm, fd[4], irqchip_default_gsi(3), 0), 0);
	efd_signal(fd[4]);
	sleep_ms(50);
	check_pins(&ic, 1u << 0 | 1u << 1 | 1u << 2, "a deassigned irqfd and an unrouted GSI");

	if (no_msi == NULL) {
		int msi = efd_new();

		ATF_CHECK_MSG(!irqchip_msi_pending(&ic, vector), "vector 0x%x pending early", vector);
		ATF_REQUIRE_EQ(irqfd(&vm, msi, 42, 0), 0);
		efd_signal(msi);
		ATF_CHECK_MSG(pending_within(&ic, -1, vector, 1000), "irqfd on GSI 42, routed to an "
			      "MSI: vector 0x%x not pending", vector);
		ATF_CHECK_EQ(close(msi), 0);
	}
	cov_ioctl("KVM_IRQFD", COV_EXERCISED, "number,semantic: default and table routes raise their "
		  "pin; EBUSY, deassign, EINVAL flags");
	cov_ioctl("KVM_SET_GSI_ROUTING", COV_EXERCISED, no_msi == NULL ?
		  "number,semantic: irqchip and MSI entries reach their pin and vector" :
		  "number,semantic: irqchip entries reach their pin");
	cov_struct("struct kvm_irqfd", false, "no GET twin; checked by the pins raised");
	cov_struct("struct kvm_irq_routing_entry", false, "no GET twin; checked by the pins raised");
	for (int i = 0; i < 5; i++)
		ATF_CHECK_EQ(close(fd[i]), 0);
	irqchip_free(&ic);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

static int irq_line(struct kvm_vm *vm, unsigned long cmd, uint32_t irq, uint32_t level,
		    int32_t *status)
{
	struct kvm_irq_level l;
	int r;

	memset(&l, 0, sizeof(l));
	l.irq = irq;
	l.level = level;
	r = cmd == KVM_IRQ_LINE ? __kvm_ioctl(vm->fd, KVM_IRQ_LINE, &l) :
				  __kvm_ioctl(vm->fd, KVM_IRQ_LINE_STATUS, &l);
	if (status != NULL)
		*status = l.status;
	return r < 0 ? -errno : 0;
}

ATF_TC(irq_line);
ATF_TC_HEAD(irq_line, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_IRQ_LINE raises exactly the pin its kvm_irq_level.irq "
			  "names (x86: a GSI; arm64: an SPI as KVM_ARM_IRQ_TYPE_SPI); with "
			  "KVM_CAP_IRQ_INJECT_STATUS, KVM_IRQ_LINE_STATUS returns status 1 for a new "
			  "edge and 0 for a second edge coalesced with the first, still latched");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(irq_line, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct irqchip ic;
	int32_t st;

	irqchip_setup(&ic, &vm, &vcpu);
	ATF_REQUIRE_EQ(irq_line(&vm, KVM_IRQ_LINE, irqchip_line_irq(2), 1, NULL), 0);
	check_pins(&ic, 1u << 2, "KVM_IRQ_LINE of pin 2 high");
	ATF_REQUIRE_EQ(irq_line(&vm, KVM_IRQ_LINE, irqchip_line_irq(2), 0, NULL), 0);
	check_pins(&ic, 1u << 2, "pin 2 low again (the edge stays latched)");
	cov_ioctl("KVM_IRQ_LINE", COV_EXERCISED, "number,semantic: the named pin is raised");
	cov_struct("struct kvm_irq_level", false, "no GET twin; checked by the pin raised");
	if (vm_check_cap(&vm, KVM_CAP_IRQ_INJECT_STATUS) <= 0) {
		cov_ioctl("KVM_IRQ_LINE_STATUS", COV_SKIPPED, "KVM_CAP_IRQ_INJECT_STATUS absent");
	} else {
		ATF_REQUIRE_EQ(irq_line(&vm, KVM_IRQ_LINE_STATUS, irqchip_line_irq(1), 1, &st), 0);
		ATF_CHECK_EQ_MSG(st, 1, "KVM_IRQ_LINE_STATUS of a new edge: status %d", st);
		ATF_REQUIRE_EQ(irq_line(&vm, KVM_IRQ_LINE_STATUS, irqchip_line_irq(1), 0, &st), 0);
		ATF_REQUIRE_EQ(irq_line(&vm, KVM_IRQ_LINE_STATUS, irqchip_line_irq(1), 1, &st), 0);
		ATF_CHECK_EQ_MSG(st, 0, "KVM_IRQ_LINE_STATUS of a second edge while the first is "
				 "latched: status %d, not 0 (coalesced)", st);
		check_pins(&ic, 1u << 1 | 1u << 2, "KVM_IRQ_LINE_STATUS of pin 1");
		cov_ioctl("KVM_IRQ_LINE_STATUS", COV_EXERCISED, "number,semantic: status delivered, "
			  "coalesced; the pin raised");
	}
	irqchip_free(&ic);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

static void msi_of(struct kvm_msi *msi, const struct irqchip_msg *m)
{
	memset(msi, 0, sizeof(*msi));
	msi->address_lo = m->address_lo;
	msi->address_hi = m->address_hi;
	msi->data = m->data;
	msi->flags = m->flags;
	msi->devid = m->devid;
}

ATF_TC(signal_msi);
ATF_TC_HEAD(signal_msi, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_SIGNAL_MSI (KVM_CAP_SIGNAL_MSI) delivers the message's "
			  "vector (x86: to the local APIC's IRR; arm64: through the ITS, by device and "
			  "event id, to an LPI in the saved pending table; an untranslated event is "
			  "blocked, 0; no KVM_MSI_VALID_DEVID is EINVAL); KVM_CAP_MSI_DEVID; unknown "
			  "flags are EINVAL");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(signal_msi, tc)
{
	const uint8_t vector = 0x62;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct irqchip ic;
	struct kvm_msi msi;
	struct irqchip_msg m;
	const char *no_msi;
	int r;

	irqchip_setup(&ic, &vm, &vcpu);
	vm_require_cap(&vm, KVM_CAP_SIGNAL_MSI, "KVM_SIGNAL_MSI");
	no_msi = irqchip_msi_setup(&ic);
	if (no_msi != NULL) {
		cov_ioctl("KVM_SIGNAL_MSI", COV_SKIPPED, no_msi);
		atf_tc_skip("%s", no_msi);
	}
	irqchip_msi(&ic, vector, &m);
	msi_of(&msi, &m);
	ATF_CHECK_MSG(!irqchip_msi_pending(&ic, vector), "vector 0x%x pending early", vector);
	r = kvm_ioctl(vm.fd, KVM_SIGNAL_MSI, &msi);
	ATF_CHECK_MSG(r > 0, "KVM_SIGNAL_MSI returned %d, not > 0 (delivered)", r);
	ATF_CHECK_MSG(irqchip_msi_pending(&ic, vector), "vector 0x%x not pending after "
		      "KVM_SIGNAL_MSI", vector);
	ATF_CHECK_MSG(!irqchip_msi_pending(&ic, vector + 1), "vector 0x%x pending", vector + 1);
	/* KVM_CAP_MSI_DEVID says whether messages carry a device id (arm64's ITS). */
	ATF_CHECK_EQ_MSG(vm_check_cap(&vm, KVM_CAP_MSI_DEVID) > 0, (m.flags & KVM_MSI_VALID_DEVID) != 0,
			 "KVM_CAP_MSI_DEVID %d, the messages' flags 0x%x",
			 vm_check_cap(&vm, KVM_CAP_MSI_DEVID), m.flags);
	if (irqchip_msi_untranslated(&ic, &m)) {
		msi_of(&msi, &m);
		r = __kvm_ioctl(vm.fd, KVM_SIGNAL_MSI, &msi);
		ATF_CHECK_EQ_MSG(r, 0, "KVM_SIGNAL_MSI of a message without a translation returned %d "
				 "(%s), not 0 (blocked)", r, r < 0 ? strerror(errno) : "delivered");
		/* (Not tried with a delivered message: the ITS's translation cache answers those
		 * before the flags are looked at.) */
		if (m.flags & KVM_MSI_VALID_DEVID) {
			msi.flags = 0;
			ATF_CHECK_MSG(__kvm_ioctl(vm.fd, KVM_SIGNAL_MSI, &msi) < 0 && errno == EINVAL,
				      "KVM_SIGNAL_MSI without KVM_MSI_VALID_DEVID did not fail EINVAL");
		}
	}
	irqchip_msi(&ic, vector, &m);
	msi_of(&msi, &m);
	msi.flags = 1u << 31;
	ATF_CHECK_MSG(__kvm_ioctl(vm.fd, KVM_SIGNAL_MSI, &msi) < 0 && errno == EINVAL,
		      "KVM_SIGNAL_MSI with an unknown flag did not fail EINVAL");
	cov_ioctl("KVM_SIGNAL_MSI", COV_EXERCISED, "number,semantic: the vector is pending; "
		  "devid and blocked where the ITS is; EINVAL flags");
	cov_struct("struct kvm_msi", false, "no GET twin; checked by the vector raised");
	irqchip_free(&ic);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ioeventfd);
	ATF_TP_ADD_TC(tp, irqfd_routing);
	ATF_TP_ADD_TC(tp, irq_line);
	ATF_TP_ADD_TC(tp, signal_msi);
	return atf_no_error();
}
