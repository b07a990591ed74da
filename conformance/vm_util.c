/* conformance/vm_util.c - helpers of the VM-level tests: memory slots, VM-fd capabilities, KVM_RUN
 * to an expected exit, eventfds (vm_util.h). */
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vm_util.h"

int __memslot_set(const struct memslot *ms)
{
	struct kvm_userspace_memory_region region;

	memset(&region, 0, sizeof(region));
	region.slot = ms->slot;
	region.flags = ms->flags;
	region.guest_phys_addr = ms->gpa;
	region.memory_size = ms->size;
	region.userspace_addr = (uintptr_t)ms->host;
	return __kvm_ioctl(ms->vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0 ? -errno : 0;
}

static void memslot_set(const struct memslot *ms, const char *what)
{
	int r = __memslot_set(ms);

	ATF_REQUIRE_MSG(r == 0, "KVM_SET_USER_MEMORY_REGION (%s slot %u at 0x%llx, 0x%zx bytes, "
			"flags 0x%x): %s", what, ms->slot, (unsigned long long)ms->gpa, ms->size,
			ms->flags, strerror(-r));
}

void memslot_add(struct kvm_vm *vm, struct memslot *ms, uint32_t slot, uint64_t gpa, size_t size,
		 uint32_t flags, uint8_t fill_byte)
{
	memset(ms, 0, sizeof(*ms));
	ms->vm = vm;
	ms->slot = slot;
	ms->flags = flags;
	ms->gpa = gpa;
	ms->size = size;
	ms->host = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ATF_REQUIRE_MSG(ms->host != MAP_FAILED, "mmap %zu bytes: %s", size, strerror(errno));
	memset(ms->host, fill_byte, size);
	memslot_set(ms, "add");
}

void memslot_move(struct memslot *ms, uint64_t gpa)
{
	ms->gpa = gpa;
	memslot_set(ms, "move");
}

void memslot_delete(struct memslot *ms)
{
	size_t size = ms->size;

	ms->size = 0;
	memslot_set(ms, "delete");
	ms->size = size;
}

void memslot_free(struct memslot *ms)
{
	if (ms->host != NULL && ms->host != MAP_FAILED)
		ATF_CHECK_EQ(munmap(ms->host, ms->size), 0);
	ms->host = NULL;
}

int vm_check_cap(struct kvm_vm *vm, long cap)
{
	int fd = vm->fd;
	int r;

	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, (long)KVM_CAP_CHECK_EXTENSION_VM) <= 0)
		fd = vm->kvm_fd;
	r = ioctl(fd, KVM_CHECK_EXTENSION, cap);
	ATF_REQUIRE_MSG(r >= 0, "KVM_CHECK_EXTENSION %ld: %s", cap, strerror(errno));
	return r;
}

int __vm_require_cap(struct kvm_vm *vm, long cap, const char *name, const char *ioctls)
{
	int r = vm_check_cap(vm, cap);
	char why[128], one[64];

	if (r > 0)
		return r;
	snprintf(why, sizeof(why), "%s absent", name);
	for (const char *p = ioctls; p != NULL && *p != 0; ) {
		size_t n = strcspn(p, " ");

		if (n > 0 && n < sizeof(one)) {
			memcpy(one, p, n);
			one[n] = 0;
			cov_ioctl(one, COV_SKIPPED, why);
		}
		p += n + (p[n] == ' ');
	}
	atf_tc_skip("%s", why);
}

void __run_exit(struct kvm_vcpu *vcpu, uint32_t reason, const char *what, int line)
{
	vcpu_run(vcpu);
	ATF_REQUIRE_MSG(vcpu->run->exit_reason == reason,
			"line %d: %s: expected exit_reason %u (%s), got %u (%s)", line, what, reason,
			kvm_exit_name(reason), vcpu->run->exit_reason,
			kvm_exit_name(vcpu->run->exit_reason));
}

void __run_stop(struct kvm_vcpu *vcpu, const char *what, int line)
{
	vcpu_run(vcpu);
	ATF_REQUIRE_MSG(vmprog_stopped(vcpu), "line %d: %s: expected the stop (%s), got exit_reason "
			"%u (%s)", line, what, vmprog_stop_name, vcpu->run->exit_reason,
			kvm_exit_name(vcpu->run->exit_reason));
}

int __device_attr(int fd, uint32_t group, uint64_t attr, void *val, bool set)
{
	struct kvm_device_attr a;

	memset(&a, 0, sizeof(a));
	a.group = group;
	a.attr = attr;
	a.addr = (uintptr_t)val;
	if (set)
		return __kvm_ioctl(fd, KVM_SET_DEVICE_ATTR, &a) < 0 ? -errno : 0;
	return __kvm_ioctl(fd, KVM_GET_DEVICE_ATTR, &a) < 0 ? -errno : 0;
}

void device_attr(int fd, uint32_t group, uint64_t attr, void *val, bool set, const char *what)
{
	int r = __device_attr(fd, group, attr, val, set);

	ATF_REQUIRE_MSG(r == 0, "%s %s: %s", set ? "KVM_SET_DEVICE_ATTR" : "KVM_GET_DEVICE_ATTR",
			what, strerror(-r));
}

int efd_new(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	ATF_REQUIRE_MSG(fd >= 0, "eventfd: %s", strerror(errno));
	return fd;
}

uint64_t efd_take(int fd)
{
	uint64_t n = 0;
	ssize_t r = read(fd, &n, sizeof(n));

	if (r < 0 && errno == EAGAIN)
		return 0;
	ATF_REQUIRE_MSG(r == sizeof(n), "read eventfd: %s", r < 0 ? strerror(errno) : "short");
	return n;
}

void efd_signal(int fd)
{
	uint64_t one = 1;

	ATF_REQUIRE_MSG(write(fd, &one, sizeof(one)) == sizeof(one), "write eventfd: %s",
			strerror(errno));
}

long host_page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	ATF_REQUIRE_MSG(p > 0, "sysconf(_SC_PAGESIZE): %s", strerror(errno));
	return p;
}

bool mem_readable(const void *p, size_t n)
{
	int fds[2];
	ssize_t r;

	ATF_REQUIRE_MSG(n <= 65536, "mem_readable: %zu bytes", n);
	ATF_REQUIRE_MSG(pipe(fds) == 0, "pipe: %s", strerror(errno));
	r = write(fds[1], p, n);	/* the kernel's copy faults softly: EFAULT */
	ATF_CHECK_EQ(close(fds[0]), 0);
	ATF_CHECK_EQ(close(fds[1]), 0);
	return r == (ssize_t)n;
}
