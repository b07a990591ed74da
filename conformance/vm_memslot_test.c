/* conformance/vm_memslot_test.c - memory slots through the binding's kvm_userspace_memory_region:
 * a slot added, moved and deleted is where the guest's stores land (or, once gone, the MMIO exit
 * they give); a read-only slot is read from memory and its stores exit as MMIO writes; the
 * kernel's refusals of bad regions; KVM_SET_USER_MEMORY_REGION2 where the kernel has it. */
#include <atf-c.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
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

static uint32_t host_u32(const struct memslot *ms, uint64_t off)
{
	uint32_t v;

	memcpy(&v, ms->host + off, sizeof(v));
	return v;
}

/* expect_mmio: the exit in kvm_run is an MMIO access of 4 bytes at gpa; a write carries value,
 * a read gets value put into kvm_run.mmio.data for the guest. */
static void expect_mmio(struct kvm_vcpu *vcpu, uint64_t gpa, bool is_write, uint32_t value,
			const char *what)
{
	struct kvm_run *run = vcpu->run;

	run_exit(vcpu, KVM_EXIT_MMIO, what);
	ATF_CHECK_EQ_MSG(run->mmio.phys_addr, gpa, "%s: mmio.phys_addr 0x%llx, expected 0x%llx", what,
			 (unsigned long long)run->mmio.phys_addr, (unsigned long long)gpa);
	ATF_CHECK_EQ_MSG(run->mmio.is_write, is_write, "%s: mmio.is_write %u", what,
			 run->mmio.is_write);
	ATF_REQUIRE_EQ_MSG(run->mmio.len, 4, "%s: mmio.len %u, expected 4", what, run->mmio.len);
	if (is_write) {
		uint32_t data;

		memcpy(&data, run->mmio.data, sizeof(data));
		ATF_CHECK_EQ_MSG(data, value, "%s: mmio.data 0x%x, expected 0x%x", what, data, value);
	} else {
		memcpy(run->mmio.data, &value, sizeof(value));
	}
}

/* store_load: vmprog_store_load at gpa with value, to its stop; the loaded word. */
static uint32_t store_load(struct kvm_vcpu *vcpu, uint64_t gpa, uint32_t value)
{
	struct vmprog_args a = { .gpa = gpa, .value = value };

	vmprog_start(vcpu, &vmprog_store_load, &a);
	run_stop(vcpu, "store_load");
	return (uint32_t)vmprog_result(vcpu, &vmprog_store_load);
}

ATF_TC(add_move_delete);
ATF_TC_HEAD(add_move_delete, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_SET_USER_MEMORY_REGION adds a slot the guest stores to and "
			  "loads from, moves it (the old address then exits as MMIO), deletes it (its "
			  "address exits as MMIO) and reuses its id; KVM_CAP_NR_MEMSLOTS on the VM fd");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(add_move_delete, tc)
{
	const uint64_t gpa = vmprog_layout.free_gpa, moved = gpa + 0x10000;
	const size_t size = 4 * host_page_size();
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct memslot ms;
	uint32_t r;

	setup(&vm, &vcpu);
	ATF_CHECK_MSG(vm_check_cap(&vm, KVM_CAP_NR_MEMSLOTS) > 1, "KVM_CAP_NR_MEMSLOTS %d",
		      vm_check_cap(&vm, KVM_CAP_NR_MEMSLOTS));
	memslot_add(&vm, &ms, 1, gpa, size, 0, 0x5a);
	memcpy(ms.host + 8, &(uint32_t){ 0x600dcafe }, 4);

	r = store_load(&vcpu, gpa, 0x11223344);
	ATF_CHECK_EQ_MSG(host_u32(&ms, 0), 0x11223344, "the guest's store reads 0x%x in the host",
			 host_u32(&ms, 0));
	ATF_CHECK_EQ_MSG(r, 0x600dcafe, "the guest loaded 0x%x, the host wrote 0x600dcafe", r);

	/* Moved: the same host page appears at the new address; the old one is no memory. */
	memslot_move(&ms, moved);
	r = store_load(&vcpu, moved + 0x40, 0x55667788);
	ATF_CHECK_EQ_MSG(host_u32(&ms, 0x40), 0x55667788, "store after the move reads 0x%x",
			 host_u32(&ms, 0x40));
	ATF_CHECK_EQ_MSG(r, 0x5a5a5a5a, "load after the move: 0x%x", r);
	vmprog_start(&vcpu, &vmprog_store_load, &(struct vmprog_args){ .gpa = gpa, .value = 0xab });
	expect_mmio(&vcpu, gpa, true, 0xab, "store to the slot's old address");
	expect_mmio(&vcpu, gpa + 8, false, 0x0badf00d, "load from the slot's old address");
	run_stop(&vcpu, "after the MMIO exits");
	ATF_CHECK_EQ_MSG(vmprog_result(&vcpu, &vmprog_store_load), 0x0badf00d,
			 "the guest loaded 0x%llx from the MMIO read, not the exit's data",
			 (unsigned long long)vmprog_result(&vcpu, &vmprog_store_load));
	ATF_CHECK_EQ_MSG(host_u32(&ms, 0), 0x11223344, "the old address's store reached the slot");

	/* Deleted: its address is no memory; deleting it twice is refused. */
	memslot_delete(&ms);
	vmprog_start(&vcpu, &vmprog_store_load, &(struct vmprog_args){ .gpa = moved, .value = 0xcd });
	expect_mmio(&vcpu, moved, true, 0xcd, "store to a deleted slot");
	expect_mmio(&vcpu, moved + 8, false, 0, "load from a deleted slot");
	run_stop(&vcpu, "after the MMIO exits");
	ms.size = 0;
	ATF_CHECK_EQ_MSG(__memslot_set(&ms), -EINVAL, "deleting an empty slot did not fail EINVAL");
	ms.size = size;

	/* The id is free again: a new slot at the first address. */
	memslot_move(&ms, gpa);
	r = store_load(&vcpu, gpa, 0x99aabbcc);
	ATF_CHECK_EQ(host_u32(&ms, 0), 0x99aabbcc);
	ATF_CHECK_EQ(r, 0x600dcafe);
	cov_ioctl("KVM_SET_USER_MEMORY_REGION", COV_EXERCISED,
		  "number,semantic: add/move/delete seen by guest stores and MMIO exits");
	cov_struct("struct kvm_userspace_memory_region", false,
		   "no GET twin; fields checked through guest accesses");
	memslot_free(&ms);
	teardown(&vm, &vcpu);
}

ATF_TC(readonly);
ATF_TC_HEAD(readonly, tc)
{
	atf_tc_set_md_var(tc, "descr", "A KVM_MEM_READONLY slot (KVM_CAP_READONLY_MEM): the guest "
			  "loads the host's data from it, and its store exits as KVM_EXIT_MMIO "
			  "(write, address, length, data) leaving memory unchanged");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(readonly, tc)
{
	const uint64_t gpa = vmprog_layout.free_gpa + 0x20000;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct memslot ms;

	setup(&vm, &vcpu);
	vm_require_cap(&vm, KVM_CAP_READONLY_MEM, NULL);
	memslot_add(&vm, &ms, 2, gpa, host_page_size(), KVM_MEM_READONLY, 0xa5);
	memcpy(ms.host + 8, &(uint32_t){ 0x12345678 }, 4);
	vmprog_start(&vcpu, &vmprog_store_load, &(struct vmprog_args){ .gpa = gpa,
		     .value = 0xfeedbeef });
	expect_mmio(&vcpu, gpa, true, 0xfeedbeef, "store to a read-only slot");
	run_stop(&vcpu, "load from a read-only slot (no exit)");
	ATF_CHECK_EQ_MSG(vmprog_result(&vcpu, &vmprog_store_load), 0x12345678,
			 "the guest loaded 0x%llx from the read-only slot",
			 (unsigned long long)vmprog_result(&vcpu, &vmprog_store_load));
	ATF_CHECK_EQ_MSG(host_u32(&ms, 0), 0xa5a5a5a5, "the read-only slot changed: 0x%x",
			 host_u32(&ms, 0));
	/* The read-only flag of an existing slot cannot be changed. */
	ms.flags = 0;
	ATF_CHECK_EQ_MSG(__memslot_set(&ms), -EINVAL, "clearing KVM_MEM_READONLY of a slot did "
			 "not fail EINVAL");
	cov_ioctl("KVM_SET_USER_MEMORY_REGION", COV_EXERCISED,
		  "semantic: KVM_MEM_READONLY store exits as MMIO write, load reads memory");
	memslot_free(&ms);
	teardown(&vm, &vcpu);
}

/* expect_refused: KVM_SET_USER_MEMORY_REGION of ms fails with err. */
static void expect_refused(const struct memslot *ms, int err, const char *what)
{
	int r = __memslot_set(ms);

	ATF_CHECK_EQ_MSG(r, -err, "%s: KVM_SET_USER_MEMORY_REGION gave %s, expected %s", what,
			 r == 0 ? "success" : strerror(-r), strerror(err));
}

ATF_TC(refused);
ATF_TC_HEAD(refused, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_SET_USER_MEMORY_REGION refuses unaligned address, size "
			  "and host address, a slot id from KVM_CAP_NR_MEMSLOTS on (the one before is "
			  "taken), an unknown flag, "
			  "a resize and an overlap (EINVAL, EEXIST)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(refused, tc)
{
	const long page = host_page_size();
	const uint64_t gpa = vmprog_layout.free_gpa;
	struct kvm_vm vm;
	struct memslot ms, bad;
	int nr;

	vmprog_vm_create(&vm);
	nr = vm_check_cap(&vm, KVM_CAP_NR_MEMSLOTS);
	memslot_add(&vm, &ms, 1, gpa, 2 * page, KVM_MEM_LOG_DIRTY_PAGES, 0);

	bad = ms;
	bad.slot = 3;
	bad.gpa = gpa + page;
	expect_refused(&bad, EEXIST, "overlapping slot");
	bad.gpa = vmprog_layout.mem_gpa;
	expect_refused(&bad, EEXIST, "slot over slot 0");
	bad.gpa = gpa + 2 * page + 0x800;
	expect_refused(&bad, EINVAL, "unaligned guest address");
	bad.gpa = gpa + 2 * page;
	bad.size = page + 0x800;
	expect_refused(&bad, EINVAL, "unaligned size");
	bad.size = page;
	bad.host = ms.host + 0x800;
	expect_refused(&bad, EINVAL, "unaligned host address");
	bad.host = ms.host;
	bad.slot = nr;
	expect_refused(&bad, EINVAL, "slot id KVM_CAP_NR_MEMSLOTS");
	bad.slot = nr - 1;
	ATF_CHECK_EQ_MSG(__memslot_set(&bad), 0, "the last slot id, %d, was refused", nr - 1);
	bad.size = 0;
	ATF_CHECK_EQ(__memslot_set(&bad), 0);
	bad.size = page;
	bad.slot = 3;
	bad.flags = 1u << 30;
	expect_refused(&bad, EINVAL, "unknown flag");
	/* The two-page slot 1 again with one page: a resize. */
	bad = ms;
	bad.size = page;
	expect_refused(&bad, EINVAL, "resizing a slot");
	/* The same region again, and its dirty logging flag dropped, are accepted. */
	ATF_CHECK_EQ(__memslot_set(&ms), 0);
	ms.flags = 0;
	ATF_CHECK_EQ_MSG(__memslot_set(&ms), 0, "dropping KVM_MEM_LOG_DIRTY_PAGES refused");
	cov_ioctl("KVM_SET_USER_MEMORY_REGION", COV_REJECTED,
		  "EINVAL unaligned/slot id/flag/resize, EEXIST overlap, as documented");
	memslot_free(&ms);
	vm_free(&vm);
}

ATF_TC(address_spaces);
ATF_TC_HEAD(address_spaces, tc)
{
	atf_tc_set_md_var(tc, "descr", "Slot ids carry an address space in bits 16 and up "
			  "(KVM_CAP_MULTI_ADDRESS_SPACE, 1 without it): one past the last is EINVAL; "
			  "where there is a second (x86 SMM), a slot there is accepted and the guest's "
			  "ordinary stores to it exit as MMIO");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(address_spaces, tc)
{
	const uint64_t gpa = vmprog_layout.free_gpa + 0x40000;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	struct memslot ms;
	int spaces;

	setup(&vm, &vcpu);
	spaces = vm_check_cap(&vm, KVM_CAP_MULTI_ADDRESS_SPACE);
	if (spaces < 1)
		spaces = 1;
	memslot_add(&vm, &ms, 5, gpa, host_page_size(), 0, 0x77);
	memslot_delete(&ms);
	ms.slot = (uint32_t)spaces << 16 | 5;
	expect_refused(&ms, EINVAL, "a slot in the address space past the last");
	if (spaces > 1) {
		ms.slot = 1u << 16 | 5;
		ATF_CHECK_EQ_MSG(__memslot_set(&ms), 0, "a slot in address space 1 of %d refused",
				 spaces);
		vmprog_start(&vcpu, &vmprog_store_load, &(struct vmprog_args){ .gpa = gpa, .value = 9 });
		run_exit(&vcpu, KVM_EXIT_MMIO, "store to a slot of address space 1 only");
		ATF_CHECK_EQ(vcpu.run->mmio.phys_addr, gpa);
		ATF_CHECK_MSG(ms.host[0] == 0x77, "the store reached address space 1's memory");
	}
	cov_ioctl("KVM_SET_USER_MEMORY_REGION", COV_EXERCISED, "semantic: address spaces in the slot "
		  "id (KVM_CAP_MULTI_ADDRESS_SPACE)");
	memslot_free(&ms);
	teardown(&vm, &vcpu);
}

ATF_TC(region2);
ATF_TC_HEAD(region2, tc)
{
	atf_tc_set_md_var(tc, "descr", "KVM_SET_USER_MEMORY_REGION2 (KVM_CAP_USER_MEMORY2) adds a slot "
			  "through kvm_userspace_memory_region2 that the guest stores to and loads from, and "
			  "deletes it (its address then exits as MMIO)");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(region2, tc)
{
#if defined(KVM_SET_USER_MEMORY_REGION2) && defined(KVM_CAP_USER_MEMORY2)
	const uint64_t gpa = vmprog_layout.free_gpa + 0x30000;
	const size_t size = host_page_size();
	struct kvm_userspace_memory_region2 region;
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	uint8_t *host;
	uint32_t v;

	setup(&vm, &vcpu);
	vm_require_cap(&vm, KVM_CAP_USER_MEMORY2, "KVM_SET_USER_MEMORY_REGION2");
	host = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ATF_REQUIRE(host != MAP_FAILED);
	memset(host, 0x3c, size);
	memset(&region, 0, sizeof(region));
	region.slot = 4;
	region.guest_phys_addr = gpa;
	region.memory_size = size;
	region.userspace_addr = (uintptr_t)host;
	kvm_ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION2, &region);
	ATF_CHECK_EQ(store_load(&vcpu, gpa, 0x2468ace0), 0x3c3c3c3c);
	memcpy(&v, host, sizeof(v));
	ATF_CHECK_EQ_MSG(v, 0x2468ace0, "the guest's store reads 0x%x in the host", v);
	region.memory_size = 0;
	kvm_ioctl(vm.fd, KVM_SET_USER_MEMORY_REGION2, &region);
	vmprog_start(&vcpu, &vmprog_store_load, &(struct vmprog_args){ .gpa = gpa, .value = 1 });
	run_exit(&vcpu, KVM_EXIT_MMIO, "store to the deleted REGION2 slot");
	cov_ioctl("KVM_SET_USER_MEMORY_REGION2", COV_EXERCISED,
		  "number,semantic: guest store lands in the slot; delete");
	ATF_CHECK_EQ(munmap(host, size), 0);
	teardown(&vm, &vcpu);
#else
	(void)setup;
	cov_ioctl("KVM_SET_USER_MEMORY_REGION2", COV_SKIPPED, "not in the bindings");
	atf_tc_skip("KVM_SET_USER_MEMORY_REGION2 / KVM_CAP_USER_MEMORY2 not in the bindings");
#endif
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, add_move_delete);
	ATF_TP_ADD_TC(tp, readonly);
	ATF_TP_ADD_TC(tp, refused);
	ATF_TP_ADD_TC(tp, address_spaces);
	ATF_TP_ADD_TC(tp, region2);
	return atf_no_error();
}
