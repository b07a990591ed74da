/* conformance/vm_dirtylog_test.c - the dirty log through the binding's kvm_dirty_log and
 * kvm_clear_dirty_log: the bits KVM_GET_DIRTY_LOG sets are exactly the pages the guest stored to,
 * the kernel writes no further than the slot's bitmap, and with KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2
 * enabled (KVM_ENABLE_CAP on the VM) KVM_GET_DIRTY_LOG keeps the bits that KVM_CLEAR_DIRTY_LOG
 * then clears, range by range; the dirty ring's kvm_dirty_gfn entries instead, where it exists. */
#include <atf-c.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "vm_util.h"

#define MAX_PAGES 128
#define WORDS (MAX_PAGES / 64)
#define GUARD 0x5aa5c33cf00f9669ull

struct bitmap {
	uint64_t w[WORDS];
};

static void bm_set_progression(struct bitmap *bm, unsigned int first, unsigned int stride,
			       unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		unsigned int p = first + i * stride;

		bm->w[p / 64] |= 1ull << (p % 64);
	}
}

/* get_log: KVM_GET_DIRTY_LOG of the slot's npages into bm, checking that the kernel writes no
 * word past the slot's bitmap (npages rounded up to 64 bits). */
static void get_log(struct memslot *ms, unsigned int npages, struct bitmap *bm)
{
	uint64_t buf[WORDS + 2];
	struct kvm_dirty_log log;
	unsigned int n = (npages + 63) / 64;

	for (unsigned int i = 0; i < WORDS + 2; i++)
		buf[i] = GUARD;
	memset(&log, 0, sizeof(log));
	log.slot = ms->slot;
	log.dirty_bitmap = buf;
	kvm_ioctl(ms->vm->fd, KVM_GET_DIRTY_LOG, &log);
	for (unsigned int i = n; i < WORDS + 2; i++)
		ATF_CHECK_EQ_MSG(buf[i], GUARD, "KVM_GET_DIRTY_LOG wrote word %u, past the %u-page "
				 "slot's bitmap", i, npages);
	memset(bm, 0, sizeof(*bm));
	memcpy(bm->w, buf, n * sizeof(uint64_t));
}

/* check_log: the dirty log equals want, page by page (each mismatching page named). */
static void check_log(struct memslot *ms, unsigned int npages, const struct bitmap *want,
		      const char *what)
{
	struct bitmap got;
	unsigned int bad = 0;

	get_log(ms, npages, &got);
	for (unsigned int p = 0; p < npages; p++) {
		bool g = got.w[p / 64] >> (p % 64) & 1, w = want->w[p / 64] >> (p % 64) & 1;

		if (g != w && bad++ < 8)
			ATF_CHECK_MSG(false, "%s: page %u is %s in the dirty log", what, p,
				      g ? "dirty, the guest did not write it," : "clean, the guest wrote it,");
	}
	ATF_CHECK_EQ_MSG(bad, 0, "%s: %u pages wrong in the dirty log", what, bad);
}

/* guest_write: the guest stores value to count pages from page first, every stride pages. */
static void guest_write(struct kvm_vcpu *vcpu, struct memslot *ms, unsigned int first,
			unsigned int stride, unsigned int count, uint32_t value)
{
	const long page = host_page_size();
	struct vmprog_args a = { .gpa = ms->gpa + first * page, .stride = stride * page,
				 .count = count, .value = value };
	uint32_t v;

	vmprog_start(vcpu, &vmprog_pages, &a);
	run_stop(vcpu, "the page writer");
	for (unsigned int i = 0; i < count; i++) {
		memcpy(&v, ms->host + (first + i * stride) * page, sizeof(v));
		ATF_REQUIRE_EQ_MSG(v, value, "page %u holds 0x%x, the guest stored 0x%x",
				   first + i * stride, v, value);
	}
}

ATF_TC(get_dirty_log);
ATF_TC_HEAD(get_dirty_log, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_GET_DIRTY_LOG of a KVM_MEM_LOG_DIRTY_PAGES slot: the set "
			  "bits are the pages the guest wrote, a second call finds them clean, new writes "
			  "set only their bits; a slot without the flag gives ENOENT");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(get_dirty_log, tc)
{
	const unsigned int npages = 64;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct memslot ms, plain;
	struct bitmap want;
	struct kvm_dirty_log log;

	vmprog_vm_create(&vm);
	vm_vcpu_add(&vm, &vcpu, 0);
	memslot_add(&vm, &ms, 1, vmprog_layout.free_gpa, npages * host_page_size(),
		    KVM_MEM_LOG_DIRTY_PAGES, 0);

	memset(&want, 0, sizeof(want));
	check_log(&ms, npages, &want, "before the guest ran");
	guest_write(&vcpu, &ms, 0, 3, 21, 0x1111);
	bm_set_progression(&want, 0, 3, 21);
	check_log(&ms, npages, &want, "pages 0, 3, ... 60 written");
	memset(&want, 0, sizeof(want));
	check_log(&ms, npages, &want, "read again");
	guest_write(&vcpu, &ms, 5, 7, 9, 0x2222);
	bm_set_progression(&want, 5, 7, 9);
	check_log(&ms, npages, &want, "pages 5, 12, ... 61 written");

	memslot_add(&vm, &plain, 2, vmprog_layout.free_gpa + npages * host_page_size(),
		    host_page_size(), 0, 0);
	memset(&log, 0, sizeof(log));
	log.slot = plain.slot;
	log.dirty_bitmap = want.w;
	ATF_CHECK_MSG(__kvm_ioctl(vm.fd, KVM_GET_DIRTY_LOG, &log) < 0 && errno == ENOENT,
		      "KVM_GET_DIRTY_LOG of a slot without KVM_MEM_LOG_DIRTY_PAGES did not fail ENOENT");
	cov_ioctl("KVM_GET_DIRTY_LOG", COV_EXERCISED,
		  "number,bounds,semantic: bits are the pages the guest wrote; ENOENT unlogged slot");
	cov_struct("struct kvm_dirty_log", false, "no SET twin; slot and bitmap checked by semantics");
	memslot_free(&plain);
	memslot_free(&ms);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

/* clear_log: KVM_CLEAR_DIRTY_LOG of num_pages from first_page with the bits of bm; -errno. */
static int clear_log(struct memslot *ms, uint64_t first_page, uint32_t num_pages,
		     const struct bitmap *bm)
{
	struct kvm_clear_dirty_log c;
	uint64_t buf[WORDS];

	ATF_REQUIRE(num_pages <= MAX_PAGES);
	memset(buf, 0, sizeof(buf));
	for (uint32_t p = 0; p < num_pages && first_page + p < MAX_PAGES; p++)
		if (bm->w[(first_page + p) / 64] >> ((first_page + p) % 64) & 1)
			buf[p / 64] |= 1ull << (p % 64);
	memset(&c, 0, sizeof(c));
	c.slot = ms->slot;
	c.first_page = first_page;
	c.num_pages = num_pages;
	c.dirty_bitmap = buf;
	return __kvm_ioctl(ms->vm->fd, KVM_CLEAR_DIRTY_LOG, &c) < 0 ? -errno : 0;
}

ATF_TC(clear_dirty_log);
ATF_TC_HEAD(clear_dirty_log, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_ENABLE_CAP KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 (invalid "
			  "options refused): KVM_GET_DIRTY_LOG no longer clears, KVM_CLEAR_DIRTY_LOG "
			  "clears the given bits of a first_page/num_pages range and re-protects them; "
			  "with KVM_DIRTY_LOG_INITIALLY_SET a new slot starts all dirty");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(clear_dirty_log, tc)
{
	const unsigned int npages = MAX_PAGES;
	struct kvm_enable_cap cap;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct memslot ms;
	struct bitmap want, all, upper;
	int caps;

	vmprog_vm_create(&vm);
	caps = vm_require_cap(&vm, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2,
			      "KVM_CLEAR_DIRTY_LOG KVM_ENABLE_CAP");
	ATF_REQUIRE_MSG(caps & KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE, "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 "
			"is 0x%x, without KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE", caps);
	vm_vcpu_add(&vm, &vcpu, 0);

	memset(&cap, 0, sizeof(cap));
	cap.cap = KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2;
	cap.args[0] = 1ull << 40;
	ATF_CHECK_MSG(__kvm_ioctl(vm.fd, KVM_ENABLE_CAP, &cap) < 0 && errno == EINVAL,
		      "KVM_ENABLE_CAP with an unknown option did not fail EINVAL");
	cap.args[0] = caps & (KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | KVM_DIRTY_LOG_INITIALLY_SET);
	kvm_ioctl(vm.fd, KVM_ENABLE_CAP, &cap);
	memslot_add(&vm, &ms, 1, vmprog_layout.free_gpa, npages * host_page_size(),
		    KVM_MEM_LOG_DIRTY_PAGES, 0);

	memset(&all, 0xff, sizeof(all));
	memset(&want, 0, sizeof(want));
	if (caps & KVM_DIRTY_LOG_INITIALLY_SET)
		want = all;
	check_log(&ms, npages, &want, "a new slot");
	ATF_CHECK_EQ(clear_log(&ms, 0, npages, &all), 0);
	memset(&want, 0, sizeof(want));
	check_log(&ms, npages, &want, "cleared");

	guest_write(&vcpu, &ms, 1, 5, 25, 0x3333);
	bm_set_progression(&want, 1, 5, 25);
	check_log(&ms, npages, &want, "pages 1, 6, ... 121 written");
	check_log(&ms, npages, &want, "read again (manual protect keeps the bits)");

	/* Only the upper half's bits are cleared. */
	memset(&upper, 0, sizeof(upper));
	upper.w[1] = ~0ull;
	ATF_CHECK_EQ(clear_log(&ms, 64, 64, &upper), 0);
	want.w[1] = 0;
	check_log(&ms, npages, &want, "upper 64 pages cleared");
	/* Pages 0..63 of the given bits: one dirty page (6) and one clean (7). */
	memset(&upper, 0, sizeof(upper));
	upper.w[0] = 1ull << 6 | 1ull << 7;
	ATF_CHECK_EQ(clear_log(&ms, 0, 64, &upper), 0);
	want.w[0] &= ~(1ull << 6);
	check_log(&ms, npages, &want, "page 6 cleared");
	/* A cleared page is write-protected again: a new store sets its bit. */
	guest_write(&vcpu, &ms, 6, 60, 2, 0x4444);
	bm_set_progression(&want, 6, 60, 2);
	check_log(&ms, npages, &want, "pages 6 and 66 written again");

	ATF_CHECK_EQ_MSG(clear_log(&ms, 32, 64, &all), -EINVAL, "first_page 32 (not a multiple of "
			 "64) not refused");
	ATF_CHECK_EQ_MSG(clear_log(&ms, 0, 100, &all), -EINVAL, "num_pages 100 (not a multiple of 64, "
			 "not to the end) not refused");
	ATF_CHECK_EQ_MSG(clear_log(&ms, 64, 65, &all), -EINVAL, "a range past the slot not refused");
	cov_ioctl("KVM_ENABLE_CAP", COV_EXERCISED, "number,semantic: KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 "
		  "changes KVM_GET_DIRTY_LOG; unknown option EINVAL");
	cov_ioctl("KVM_CLEAR_DIRTY_LOG", COV_EXERCISED, "number,semantic: ranges cleared and "
		  "re-protected; EINVAL unaligned first_page, num_pages, past the slot");
	cov_struct("struct kvm_clear_dirty_log", false, "no GET twin; fields checked by semantics");
	cov_struct("struct kvm_enable_cap", false, "no GET twin");
	memslot_free(&ms);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

/* ring_collect: the dirty entries from *next on (advancing it), as a page bitmap of slot ms;
 * each entry collected is marked for reset. */
static unsigned int ring_collect(struct kvm_dirty_gfn *ring, uint32_t entries, uint32_t *next,
				 const struct memslot *ms, struct bitmap *bm)
{
	unsigned int n = 0;

	memset(bm, 0, sizeof(*bm));
	for (;; (*next)++, n++) {
		struct kvm_dirty_gfn *e = &ring[*next % entries];
		uint32_t flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);

		if (!(flags & KVM_DIRTY_GFN_F_DIRTY))
			break;
		ATF_CHECK_MSG(e->slot == ms->slot && e->offset < MAX_PAGES, "ring entry %u: slot 0x%x "
			      "offset %llu, expected slot %u and a page below %u", *next, e->slot,
			      (unsigned long long)e->offset, ms->slot, MAX_PAGES);
		if (e->offset < MAX_PAGES)
			bm->w[e->offset / 64] |= 1ull << (e->offset % 64);
		__atomic_store_n(&e->flags, KVM_DIRTY_GFN_F_RESET, __ATOMIC_RELEASE);
	}
	return n;
}

ATF_TC(dirty_ring);
ATF_TC_HEAD(dirty_ring, tc)
{
	atf_tc_set_md_var(tc, "descr", "The dirty ring (KVM_CAP_DIRTY_LOG_RING_ACQ_REL or "
			  "KVM_CAP_DIRTY_LOG_RING, enabled on the VM before its vCPUs, sizes checked): "
			  "the vCPU's kvm_dirty_gfn entries at KVM_DIRTY_LOG_PAGE_OFFSET name the slot "
			  "and pages the guest wrote; KVM_RESET_DIRTY_RINGS resets the harvested ones "
			  "and re-protects their pages; KVM_GET_DIRTY_LOG is refused meanwhile");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(dirty_ring, tc)
{
	const long page = host_page_size();
	const size_t bytes = page;
	const uint32_t entries = bytes / sizeof(struct kvm_dirty_gfn);
	struct kvm_enable_cap cap;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct memslot ms;
	struct bitmap want, got;
	struct kvm_dirty_gfn *ring;
	struct kvm_dirty_log log;
	uint32_t next = 0;
	long which;
	int max, r;

	vmprog_vm_create(&vm);
	which = KVM_CAP_DIRTY_LOG_RING_ACQ_REL;
	max = vm_check_cap(&vm, which);
	if (max <= 0) {
		which = KVM_CAP_DIRTY_LOG_RING;
		max = __vm_require_cap(&vm, KVM_CAP_DIRTY_LOG_RING, "KVM_CAP_DIRTY_LOG_RING_ACQ_REL and "
				       "KVM_CAP_DIRTY_LOG_RING", "KVM_RESET_DIRTY_RINGS");
	}
	/* include/uapi/linux/kvm.h: an arch defines KVM_DIRTY_LOG_PAGE_OFFSET once it implements
	 * the dirty ring, else it is 0. Bindings of headers older than the kernel (arm64's 6.1
	 * headers; 6.12 maps arm64's ring at page 64) cannot find the ring: page 0 is kvm_run. */
	if (KVM_DIRTY_LOG_PAGE_OFFSET == 0) {
		vm_free(&vm);
		cov_ioctl("KVM_RESET_DIRTY_RINGS", COV_SKIPPED, "the bindings have no dirty ring "
			  "(KVM_DIRTY_LOG_PAGE_OFFSET 0)");
		atf_tc_skip("the kernel offers %s, but the bindings under test have no dirty ring for "
			    "this arch (KVM_DIRTY_LOG_PAGE_OFFSET 0: their headers predate it)",
			    which == KVM_CAP_DIRTY_LOG_RING ? "KVM_CAP_DIRTY_LOG_RING" :
			    "KVM_CAP_DIRTY_LOG_RING_ACQ_REL");
	}
	ATF_REQUIRE_MSG((size_t)max >= bytes, "the dirty ring's maximum %d bytes < a page", max);
	memset(&cap, 0, sizeof(cap));
	cap.cap = which;
	cap.args[0] = bytes + sizeof(struct kvm_dirty_gfn);	/* not a power of two */
	ATF_CHECK_MSG(__kvm_ioctl(vm.fd, KVM_ENABLE_CAP, &cap) < 0 && errno == EINVAL,
		      "a dirty ring of %zu bytes was not refused EINVAL", (size_t)cap.args[0]);
	cap.args[0] = bytes;
	kvm_ioctl(vm.fd, KVM_ENABLE_CAP, &cap);
	vm_vcpu_add(&vm, &vcpu, 0);
	ring = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu.fd,
		    (off_t)KVM_DIRTY_LOG_PAGE_OFFSET * page);
	ATF_REQUIRE_MSG(ring != MAP_FAILED, "mmap of the dirty ring at page %d of the vCPU fd: %s",
			KVM_DIRTY_LOG_PAGE_OFFSET, strerror(errno));
	ATF_REQUIRE_MSG(mem_readable(ring, bytes), "the vCPU fd serves no dirty ring at page %d "
			"(KVM_DIRTY_LOG_PAGE_OFFSET)", KVM_DIRTY_LOG_PAGE_OFFSET);
	memslot_add(&vm, &ms, 1, vmprog_layout.free_gpa, 64 * page, KVM_MEM_LOG_DIRTY_PAGES, 0);

	memset(&log, 0, sizeof(log));
	log.slot = ms.slot;
	log.dirty_bitmap = got.w;
	ATF_CHECK_MSG(__kvm_ioctl(vm.fd, KVM_GET_DIRTY_LOG, &log) < 0 && errno == ENXIO,
		      "KVM_GET_DIRTY_LOG with the dirty ring enabled did not fail ENXIO");

	guest_write(&vcpu, &ms, 2, 7, 5, 0x5555);	/* pages 2, 9, 16, 23, 30 */
	memset(&want, 0, sizeof(want));
	bm_set_progression(&want, 2, 7, 5);
	ATF_CHECK_EQ_MSG(ring_collect(ring, entries, &next, &ms, &got), 5, "%u ring entries for five "
			 "pages written", next);
	ATF_CHECK_MSG(memcmp(&got, &want, sizeof(got)) == 0, "the ring's pages 0x%016llx, the guest "
		      "wrote 0x%016llx", (unsigned long long)got.w[0], (unsigned long long)want.w[0]);
	r = ioctl(vm.fd, KVM_RESET_DIRTY_RINGS, 0UL);
	ATF_CHECK_EQ_MSG(r, 5, "KVM_RESET_DIRTY_RINGS reset %d entries, 5 were harvested", r);
	for (uint32_t i = 0; i < next; i++)
		ATF_CHECK_EQ_MSG(ring[i % entries].flags, 0, "entry %u's flags 0x%x after the reset", i,
				 ring[i % entries].flags);

	/* Reset pages are write-protected again: page 9 anew, and page 40 for the first time. */
	guest_write(&vcpu, &ms, 9, 31, 2, 0x6666);
	memset(&want, 0, sizeof(want));
	bm_set_progression(&want, 9, 31, 2);
	ATF_CHECK_EQ(ring_collect(ring, entries, &next, &ms, &got), 2);
	ATF_CHECK_MSG(memcmp(&got, &want, sizeof(got)) == 0, "the ring's pages 0x%016llx, the guest "
		      "wrote 0x%016llx", (unsigned long long)got.w[0], (unsigned long long)want.w[0]);
	ATF_CHECK_EQ(ioctl(vm.fd, KVM_RESET_DIRTY_RINGS, 0UL), 2);
	cov_ioctl("KVM_ENABLE_CAP", COV_EXERCISED, "semantic: the dirty ring's size checked, enabled");
	cov_ioctl("KVM_RESET_DIRTY_RINGS", COV_EXERCISED, "number,semantic: harvested entries reset "
		  "and their pages re-protected");
	cov_struct("struct kvm_dirty_gfn", false, "a shared ring: slot, offset and flags checked");
	ATF_CHECK_EQ(munmap(ring, bytes), 0);
	memslot_free(&ms);
	vcpu_free(&vcpu);
	vm_free(&vm);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, get_dirty_log);
	ATF_TP_ADD_TC(tp, clear_dirty_log);
	ATF_TP_ADD_TC(tp, dirty_ring);
	return atf_no_error();
}
