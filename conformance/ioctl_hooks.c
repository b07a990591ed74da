/* conformance/ioctl_hooks.c - the set-up hooks every arch shares (ioctl_check.h): memory slots,
 * dirty logs, coalesced MMIO, eventfds, the dirty ring, a guest run, a ONE_REG register. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest.h"
#include "ioctl_check.h"

/* A second memory slot's guest address: 2 MiB-aligned, above slot 0 (guest.h), whatever its size. */
#define SLOT1_GPA ((guest_mem_gpa + guest_mem_size + 0x1fffffULL) & ~0x1fffffULL)

void *hook_payload(struct ictx *c, size_t len)
{
	free(c->payload);
	c->payload = calloc(1, len + ICTX_GUARD);
	ATF_REQUIRE(c->payload != NULL);
	memset((unsigned char *)c->payload + len, ICTX_POISON, ICTX_GUARD);
	c->payload_len = len;
	return c->payload;
}

/* guest_ram: len bytes of anonymous memory for a memory slot, unmapped at the end. */
void *hook_guest_ram(struct ictx *c, size_t len)
{
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ATF_REQUIRE_MSG(m != MAP_FAILED, "mmap: %s", strerror(errno));
	c->aux_mem = m;
	c->aux_len = len;
	return m;
}

/* memslot_at: KVM_SET_USER_MEMORY_REGION of slot with len bytes at gpa and flags. */
void hook_memslot_at(struct ictx *c, unsigned int slot, unsigned long long gpa, size_t len,
		       unsigned int flags)
{
	const char *t = "struct kvm_userspace_memory_region";
	unsigned char *r = abi_new(t, 0);

	abi_store(r, t, "slot", slot);
	abi_store(r, t, "flags", flags);
	abi_store(r, t, "guest_phys_addr", gpa);
	abi_store(r, t, "memory_size", len);
	abi_store(r, t, "userspace_addr", (unsigned long)hook_guest_ram(c, len));
	abi_do(c->vm.fd, "KVM_SET_USER_MEMORY_REGION", (unsigned long)r, true);
	free(r);
}

int hook_eventfd(struct ictx *c)
{
	int fd = eventfd(0, EFD_CLOEXEC);

	ATF_REQUIRE_MSG(fd >= 0, "eventfd: %s", strerror(errno));
	ictx_aux(c, fd);
	return fd;
}

void hook_memslot(struct ictx *c)
{
	size_t len = 0x10000;

	ictx_set(c, "slot", 1);
	ictx_set(c, "guest_phys_addr", SLOT1_GPA);
	ictx_set(c, "memory_size", len);
	ictx_set(c, "userspace_addr", (unsigned long)hook_guest_ram(c, len));
}

/* pre_fault: the first page of slot 0 (needs=mem), which KVM_PRE_FAULT_MEMORY maps. */
void hook_pre_fault(struct ictx *c)
{
	ictx_set(c, "gpa", guest_mem_gpa);
	ictx_set(c, "size", 0x1000);
}

void hook_dirty_log(struct ictx *c)
{
	hook_memslot_at(c, 1, SLOT1_GPA, 0x10000, (unsigned int)abi_value("KVM_MEM_LOG_DIRTY_PAGES"));
	ictx_set(c, "slot", 1);
	ictx_set(c, "dirty_bitmap", (unsigned long)hook_payload(c, 8));
}

void hook_clear_dirty_log(struct ictx *c)
{
	ictx_enable_cap(c->vm.fd, "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2",
			(unsigned long long)abi_value("KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE"));
	hook_memslot_at(c, 1, SLOT1_GPA, 0x10000, (unsigned int)abi_value("KVM_MEM_LOG_DIRTY_PAGES"));
	ictx_set(c, "slot", 1);
	ictx_set(c, "first_page", 0);
	ictx_set(c, "num_pages", 16);
	ictx_set(c, "dirty_bitmap", (unsigned long)hook_payload(c, 8));
}

void hook_coalesced_unregister(struct ictx *c)
{
	ictx_set(c, "addr", 0xfee00000);
	ictx_set(c, "size", 0x1000);
	abi_do(c->vm.fd, "KVM_REGISTER_COALESCED_MMIO", (unsigned long)c->buf, true);
}

void hook_ioeventfd(struct ictx *c)
{
	ictx_set(c, "addr", 0x10000000);
	ictx_set(c, "len", 4);
	ictx_set(c, "fd", (unsigned long long)hook_eventfd(c));
}

void hook_irqfd(struct ictx *c)
{
	ictx_set(c, "fd", (unsigned long long)hook_eventfd(c));
	ictx_set(c, "gsi", 4);
}

void hook_dirty_ring(struct ictx *c)
{
	ictx_enable_cap(c->vm.fd, c->e->cap, 0x10000);	/* the ring flavour the catalog names */
}

void hook_run(struct ictx *c)
{
	vm_load(&c->vm, guest_code_gpa, guest_prog_exit.code, guest_prog_exit.size);
	vcpu_arch_init(&c->vcpu, guest_code_gpa);
}

/* h_one_reg: the first register of KVM_GET_REG_LIST, through a payload of its size. */
void hook_one_reg(struct ictx *c)
{
	const char *t = "struct kvm_reg_list";
	const struct kvmgate_abi_field *flex = abi_flex_field(t);
	unsigned char *l = abi_new(t, 8 * 4096);
	unsigned long long id, shift = (unsigned long long)abi_value("KVM_REG_SIZE_SHIFT");
	unsigned long long mask = (unsigned long long)abi_value("KVM_REG_SIZE_MASK");

	ATF_REQUIRE(flex != NULL);
	abi_store(l, t, "n", 4096);
	abi_do(c->vcpu.fd, "KVM_GET_REG_LIST", (unsigned long)l, true);
	if (abi_load(l, t, "n") == 0) {
		snprintf(c->skip, sizeof(c->skip), "KVM_GET_REG_LIST lists no register");
		free(l);
		return;
	}
	memcpy(&id, l + flex->offset, 8);
	free(l);
	ictx_set(c, "id", id);
	ictx_set(c, "addr", (unsigned long)hook_payload(c, 1u << ((id & mask) >> shift)));
}

