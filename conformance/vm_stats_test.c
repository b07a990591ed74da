/* conformance/vm_stats_test.c - binary statistics through the bindings' kvm_stats_header and
 * kvm_stats_desc: KVM_GET_STATS_FD (KVM_CAP_BINARY_STATS_FD) of a VM and of a vCPU gives a header
 * whose id, descriptor and data blocks lie where its offsets say, descriptors with known type, unit
 * and base, unique NUL-terminated names and data slots that tile the data block; a vCPU's exit
 * counters grow by the exits the guest made. */
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm_util.h"

/* The per-arch name of the counter of MMIO exits to userspace. */
#if defined(__x86_64__)
#define MMIO_EXITS_STAT "mmio_exits"
#elif defined(__aarch64__)
#define MMIO_EXITS_STAT "mmio_exit_user"
#endif

struct stats {
	int fd;
	struct kvm_stats_header h;
	char *id;
	uint8_t *descs;		/* num_desc descriptors of desc_size bytes */
	size_t desc_size;
	uint64_t *data;
	size_t data_words;
};

static void pread_all(int fd, void *buf, size_t size, off_t off, const char *what)
{
	ssize_t r = pread(fd, buf, size, off);

	ATF_REQUIRE_MSG(r == (ssize_t)size, "pread of the stats fd's %s (%zu bytes at %lld): %s",
			what, size, (long long)off, r < 0 ? strerror(errno) : "short");
}

static const struct kvm_stats_desc *stats_desc(const struct stats *s, unsigned int i)
{
	return (const struct kvm_stats_desc *)(s->descs + i * s->desc_size);
}

/* stats_open: KVM_GET_STATS_FD on fd, header, id and descriptors read; data block size from
 * the descriptors (the last slot's end). */
static void stats_open(struct stats *s, int fd)
{
	size_t end = 0;

	memset(s, 0, sizeof(*s));
	s->fd = ioctl(fd, KVM_GET_STATS_FD, NULL);
	ATF_REQUIRE_MSG(s->fd >= 0, "KVM_GET_STATS_FD: %s", strerror(errno));
	pread_all(s->fd, &s->h, sizeof(s->h), 0, "header");
	ATF_REQUIRE_MSG(s->h.name_size > 0 && s->h.name_size <= 4096, "header name_size %u",
			s->h.name_size);
	ATF_REQUIRE_MSG(s->h.num_desc > 0 && s->h.num_desc < 10000, "header num_desc %u",
			s->h.num_desc);
	s->id = calloc(1, s->h.name_size + 1);
	s->desc_size = sizeof(struct kvm_stats_desc) + s->h.name_size;
	s->descs = calloc(s->h.num_desc, s->desc_size);
	ATF_REQUIRE(s->id != NULL && s->descs != NULL);
	pread_all(s->fd, s->id, s->h.name_size, s->h.id_offset, "id");
	pread_all(s->fd, s->descs, s->h.num_desc * s->desc_size, s->h.desc_offset, "descriptors");
	for (unsigned int i = 0; i < s->h.num_desc; i++) {
		const struct kvm_stats_desc *d = stats_desc(s, i);

		if (d->offset + (size_t)d->size * 8 > end)
			end = d->offset + (size_t)d->size * 8;
	}
	s->data_words = end / 8;
	s->data = calloc(s->data_words + 1, 8);
	ATF_REQUIRE(s->data != NULL);
}

static void stats_read_data(struct stats *s)
{
	pread_all(s->fd, s->data, s->data_words * 8, s->h.data_offset, "data");
}

static void stats_close(struct stats *s)
{
	ATF_CHECK_EQ(close(s->fd), 0);
	free(s->id);
	free(s->descs);
	free(s->data);
	memset(s, 0, sizeof(*s));
}

/* stats_find: the first value of the stat named name; requires it. */
static uint64_t stats_value(struct stats *s, const char *name)
{
	for (unsigned int i = 0; i < s->h.num_desc; i++) {
		const struct kvm_stats_desc *d = stats_desc(s, i);

		if (strcmp(d->name, name) == 0)
			return s->data[d->offset / 8];
	}
	atf_tc_fail("no stat named %s among %u", name, s->h.num_desc);
}

static int by_offset(const void *a, const void *b)
{
	const struct kvm_stats_desc *x = *(const struct kvm_stats_desc *const *)a;
	const struct kvm_stats_desc *y = *(const struct kvm_stats_desc *const *)b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* check_layout: the header's blocks and every descriptor, as api.rst describes them. */
static void check_layout(struct stats *s, const char *want_id, const char *what)
{
	const struct kvm_stats_header *h = &s->h;
	const size_t descs_end = h->desc_offset + h->num_desc * s->desc_size;
	const struct kvm_stats_desc **sorted;
	struct kvm_stats_header again;
	size_t next = 0;

	ATF_CHECK_EQ_MSG(h->flags, 0, "%s: header flags 0x%x", what, h->flags);
	ATF_CHECK_MSG(h->id_offset >= sizeof(*h), "%s: id_offset %u inside the header", what,
		      h->id_offset);
	ATF_CHECK_MSG(h->desc_offset >= h->id_offset + h->name_size || descs_end <= h->id_offset,
		      "%s: descriptors at %u overlap the id at %u", what, h->desc_offset, h->id_offset);
	ATF_CHECK_MSG(h->data_offset >= descs_end || h->data_offset + s->data_words * 8 <= h->desc_offset,
		      "%s: data at %u overlaps the descriptors at %u..%zu", what, h->data_offset,
		      h->desc_offset, descs_end);
	ATF_CHECK_MSG(memchr(s->id, 0, h->name_size) != NULL, "%s: id not NUL-terminated", what);
	ATF_CHECK_MSG(strcmp(s->id, want_id) == 0, "%s: id \"%s\", expected \"%s\"", what, s->id,
		      want_id);
	/* read() from the start gives the same header as pread. */
	ATF_REQUIRE_EQ(read(s->fd, &again, sizeof(again)), (ssize_t)sizeof(again));
	ATF_CHECK_MSG(memcmp(&again, h, sizeof(again)) == 0, "%s: read() and pread() headers differ",
		      what);

	sorted = calloc(h->num_desc, sizeof(*sorted));
	ATF_REQUIRE(sorted != NULL);
	for (unsigned int i = 0; i < h->num_desc; i++) {
		const struct kvm_stats_desc *d = stats_desc(s, i);
		uint32_t type = d->flags & KVM_STATS_TYPE_MASK, unit = d->flags & KVM_STATS_UNIT_MASK;
		uint32_t base = d->flags & KVM_STATS_BASE_MASK;

		sorted[i] = d;
		ATF_CHECK_MSG(memchr(d->name, 0, h->name_size) != NULL && d->name[0] != 0,
			      "%s: descriptor %u: name empty or not NUL-terminated", what, i);
		ATF_CHECK_MSG(type <= KVM_STATS_TYPE_MAX && unit <= KVM_STATS_UNIT_MAX &&
			      base <= KVM_STATS_BASE_MAX && !(d->flags & ~(KVM_STATS_TYPE_MASK |
			      KVM_STATS_UNIT_MASK | KVM_STATS_BASE_MASK)),
			      "%s: %s: flags 0x%x outside the binding's types, units and bases", what,
			      d->name, d->flags);
		ATF_CHECK_MSG(d->size > 0, "%s: %s: size 0", what, d->name);
		ATF_CHECK_MSG(d->offset % 8 == 0, "%s: %s: offset %u not 8-byte aligned", what,
			      d->name, d->offset);
		ATF_CHECK_MSG(type == KVM_STATS_TYPE_LINEAR_HIST ? d->bucket_size > 0 :
			      d->bucket_size == 0, "%s: %s: bucket_size %u for type 0x%x", what,
			      d->name, d->bucket_size, type);
		ATF_CHECK_MSG(type == KVM_STATS_TYPE_LINEAR_HIST || type == KVM_STATS_TYPE_LOG_HIST ||
			      d->size == 1, "%s: %s: size %u for a scalar", what, d->name, d->size);
		/* Exponents: seconds scale down, booleans not at all, the others up. */
		ATF_CHECK_MSG(unit == KVM_STATS_UNIT_SECONDS ? d->exponent <= 0 :
			      unit == KVM_STATS_UNIT_BOOLEAN ? d->exponent == 0 : d->exponent >= 0,
			      "%s: %s: exponent %d for unit 0x%x", what, d->name, d->exponent, unit);
		for (unsigned int j = 0; j < i; j++)
			ATF_CHECK_MSG(strcmp(stats_desc(s, j)->name, d->name) != 0,
				      "%s: two stats named %s", what, d->name);
	}
	/* The data slots tile the data block: sorted by offset, each starts where the last ended. */
	qsort(sorted, h->num_desc, sizeof(*sorted), by_offset);
	for (unsigned int i = 0; i < h->num_desc; i++) {
		ATF_CHECK_EQ_MSG(sorted[i]->offset, next, "%s: %s at data offset %u, expected %zu",
				 what, sorted[i]->name, sorted[i]->offset, next);
		next = sorted[i]->offset + (size_t)sorted[i]->size * 8;
	}
	free(sorted);
	stats_read_data(s);
	for (unsigned int i = 0; i < h->num_desc; i++) {
		const struct kvm_stats_desc *d = stats_desc(s, i);

		if ((d->flags & KVM_STATS_UNIT_MASK) == KVM_STATS_UNIT_BOOLEAN)
			for (unsigned int k = 0; k < d->size; k++)
				ATF_CHECK_MSG(s->data[d->offset / 8 + k] <= 1, "%s: boolean %s is %llu",
					      what, d->name,
					      (unsigned long long)s->data[d->offset / 8 + k]);
	}
}

ATF_TC(vm_stats);
ATF_TC_HEAD(vm_stats, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_GET_STATS_FD of a VM: header (flags, name_size, num_desc, "
			  "offsets), id \"kvm-<pid>\", descriptors and data block consistent; a second "
			  "fd gives the same header");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(vm_stats, tc)
{
	struct kvm_vm vm;
	struct stats s, t;
	char id[64];

	vmprog_vm_create(&vm);
	vm_require_cap(&vm, KVM_CAP_BINARY_STATS_FD, "KVM_GET_STATS_FD");
	stats_open(&s, vm.fd);
	snprintf(id, sizeof(id), "kvm-%d", (int)getpid());
	check_layout(&s, id, "VM stats");
	stats_open(&t, vm.fd);
	ATF_CHECK_MSG(memcmp(&s.h, &t.h, sizeof(s.h)) == 0, "two VM stats fds, different headers");
	stats_close(&t);
	cov_ioctl("KVM_GET_STATS_FD", COV_EXERCISED, "number,semantic: VM header, id, descriptors, "
		  "data block");
	cov_struct("struct kvm_stats_header", false, "read-only (pread); offsets checked");
	cov_struct("struct kvm_stats_desc", false, "read-only (pread); flags, sizes, offsets checked");
	stats_close(&s);
	vm_free(&vm);
}

ATF_TC(vcpu_stats_exits);
ATF_TC_HEAD(vcpu_stats_exits, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_GET_STATS_FD of a vCPU: layout as for the VM, id "
			  "\"kvm-<pid>/vcpu-<id>\"; after a guest's two MMIO exits the MMIO exit "
			  "counter grew by 2 and \"exits\" by at least 2");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(vcpu_stats_exits, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct stats s;
	uint64_t exits, mmio;
	char id[64];

	vmprog_vm_create(&vm);
	vm_require_cap(&vm, KVM_CAP_BINARY_STATS_FD, "KVM_GET_STATS_FD");
	vm_vcpu_add(&vm, &vcpu, 0);
	stats_open(&s, vcpu.fd);
	snprintf(id, sizeof(id), "kvm-%d/vcpu-%d", (int)getpid(), vcpu.id);
	check_layout(&s, id, "vCPU stats");
	exits = stats_value(&s, "exits");
	mmio = stats_value(&s, MMIO_EXITS_STAT);

	vmprog_start(&vcpu, &vmprog_store_load, &(struct vmprog_args){ .gpa = vmprog_layout.mmio_gpa });
	run_exit(&vcpu, KVM_EXIT_MMIO, "store");
	run_exit(&vcpu, KVM_EXIT_MMIO, "load");
	run_stop(&vcpu, "stop");
	stats_read_data(&s);
	ATF_CHECK_EQ_MSG(stats_value(&s, MMIO_EXITS_STAT) - mmio, 2, "%s grew by %llu over two MMIO "
			 "exits", MMIO_EXITS_STAT,
			 (unsigned long long)(stats_value(&s, MMIO_EXITS_STAT) - mmio));
	ATF_CHECK_MSG(stats_value(&s, "exits") - exits >= 2, "exits grew by %llu over two MMIO exits",
		      (unsigned long long)(stats_value(&s, "exits") - exits));
	cov_ioctl("KVM_GET_STATS_FD", COV_EXERCISED, "semantic: vCPU exit counters follow the guest");
	stats_close(&s);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, vm_stats);
	ATF_TP_ADD_TC(tp, vcpu_stats_exits);
	return atf_no_error();
}
