/* conformance/kvm_util.c - the arch-independent part of the conformance programs' KVM layer. */
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "kvm_util.h"

void kvm__check_ioctl(int ret, const char *name, const char *file, int line)
{
	if (ret < 0)
		atf_tc_fail("%s failed: %s (%s:%d)", name, strerror(errno), file, line);
}

void kvm__check_arg_size(size_t arg_size, unsigned int encoded, const char *name, const char *file,
			 int line)
{
	if (arg_size < encoded)
		atf_tc_fail("%s: the binding's argument is %zu bytes, its ioctl number encodes %u: "
			    "not issued, the kernel would write past it (%s:%d)", name, arg_size,
			    encoded, file, line);
}

int __kvm_open(void)
{
	return open(KVM_DEV_PATH, O_RDWR | O_CLOEXEC);
}

int kvm_open(void)
{
	int fd = __kvm_open();

	ATF_REQUIRE_MSG(fd >= 0, "open %s: %s", KVM_DEV_PATH, strerror(errno));
	return fd;
}

int kvm_check_cap(int kvm_fd, long cap)
{
	int r = ioctl(kvm_fd, KVM_CHECK_EXTENSION, cap);

	ATF_REQUIRE_MSG(r >= 0, "KVM_CHECK_EXTENSION %ld: %s", cap, strerror(errno));
	return r;
}

/* __vm_create: open /dev/kvm and issue KVM_CREATE_VM (default type); -errno on failure. */
int __vm_create(struct kvm_vm *vm)
{
	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->kvm_fd = __kvm_open();
	if (vm->kvm_fd < 0)
		return -errno;
	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0UL);
	if (vm->fd < 0)
		return -errno;
	return 0;
}

void vm_create(struct kvm_vm *vm)
{
	int r = __vm_create(vm);

	ATF_REQUIRE_MSG(r == 0, "%s: %s", vm->kvm_fd < 0 ? "open " KVM_DEV_PATH : "KVM_CREATE_VM",
			strerror(-r));
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0UL);
	ATF_REQUIRE_MSG(vm->run_size >= (int)sizeof(struct kvm_run),
			"KVM_GET_VCPU_MMAP_SIZE: %d (%s)", vm->run_size, strerror(errno));
}

/* vm_add_memory: anonymous host memory as slot 0 at guest physical address gpa. */
void vm_add_memory(struct kvm_vm *vm, uint64_t gpa, size_t size)
{
	struct kvm_userspace_memory_region region;

	ATF_REQUIRE_MSG(vm->mem == NULL, "vm_add_memory: one slot only");
	vm->mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ATF_REQUIRE_MSG(vm->mem != MAP_FAILED, "mmap %zu bytes: %s", size, strerror(errno));
	vm->mem_gpa = gpa;
	vm->mem_size = size;
	memset(&region, 0, sizeof(region));
	region.slot = 0;
	region.guest_phys_addr = gpa;
	region.memory_size = size;
	region.userspace_addr = (uintptr_t)vm->mem;
	kvm_ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region);
}

/* vm_load: copy guest code (or data) into guest memory at gpa. */
void vm_load(struct kvm_vm *vm, uint64_t gpa, const void *code, size_t size)
{
	ATF_REQUIRE_MSG(gpa >= vm->mem_gpa && gpa + size <= vm->mem_gpa + vm->mem_size,
			"vm_load: 0x%llx+%zu outside guest memory", (unsigned long long)gpa, size);
	memcpy((char *)vm->mem + (gpa - vm->mem_gpa), code, size);
}

void vm_free(struct kvm_vm *vm)
{
	if (vm->mem != NULL && vm->mem != MAP_FAILED)
		munmap(vm->mem, vm->mem_size);
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	memset(vm, 0, sizeof(*vm));
	vm->fd = vm->kvm_fd = -1;
}

void vm_vcpu_add(struct kvm_vm *vm, struct kvm_vcpu *vcpu, int id)
{
	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)id);
	ATF_REQUIRE_MSG(vcpu->fd >= 0, "KVM_CREATE_VCPU %d: %s", id, strerror(errno));
	vcpu->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
	ATF_REQUIRE_MSG(vcpu->run != MAP_FAILED, "mmap kvm_run: %s", strerror(errno));
}

/* A guest that runs away (a binding that sets the wrong register, e.g. not the PC) would keep
 * KVM_RUN from returning: a watchdog signal interrupts it, and the case fails. */
#define VCPU_RUN_TIMEOUT_S 10
static volatile sig_atomic_t vcpu_run_expired;

static void vcpu_run_alarm(int sig)
{
	(void)sig;
	vcpu_run_expired = 1;
}

void vcpu_run(struct kvm_vcpu *vcpu)
{
	vcpu_run_timeout(vcpu, VCPU_RUN_TIMEOUT_S);
}

void vcpu_run_timeout(struct kvm_vcpu *vcpu, int seconds)
{
	struct sigaction sa = { .sa_handler = vcpu_run_alarm }, old;
	struct itimerval it = { .it_value = { .tv_sec = seconds } }, off = { 0 };
	int r, e;

	sigemptyset(&sa.sa_mask);	/* no SA_RESTART: KVM_RUN returns EINTR */
	ATF_REQUIRE_MSG(sigaction(SIGALRM, &sa, &old) == 0, "sigaction: %s", strerror(errno));
	vcpu_run_expired = 0;
	ATF_REQUIRE_MSG(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer: %s", strerror(errno));
	do
		r = ioctl(vcpu->fd, KVM_RUN, 0UL);
	while (r < 0 && errno == EINTR && !vcpu_run_expired);
	e = errno;
	ATF_REQUIRE_MSG(setitimer(ITIMER_REAL, &off, NULL) == 0, "setitimer: %s", strerror(errno));
	ATF_REQUIRE_MSG(sigaction(SIGALRM, &old, NULL) == 0, "sigaction: %s", strerror(errno));
	ATF_REQUIRE_MSG(!vcpu_run_expired, "KVM_RUN did not return within %d s: the guest ran away",
			seconds);
	ATF_REQUIRE_MSG(r == 0, "KVM_RUN: %s", strerror(e));
}

void vcpu_free(struct kvm_vcpu *vcpu)
{
	if (vcpu->run != NULL && vcpu->run != MAP_FAILED)
		munmap(vcpu->run, vcpu->vm->run_size);
	if (vcpu->fd > 0)
		close(vcpu->fd);
	memset(vcpu, 0, sizeof(*vcpu));
}

const char *kvm_exit_name(uint32_t reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN", [KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_IO] = "IO", [KVM_EXIT_HYPERCALL] = "HYPERCALL", [KVM_EXIT_DEBUG] = "DEBUG",
		[KVM_EXIT_HLT] = "HLT", [KVM_EXIT_MMIO] = "MMIO",
		[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN", [KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY", [KVM_EXIT_INTR] = "INTR",
		[KVM_EXIT_SET_TPR] = "SET_TPR", [KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR", [KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason] != NULL)
		return names[reason];
	return "?";
}

/* Under SANITIZE=1: libatf-c leaks its test-case list when a program is asked for it (-l), which
 * is atf's, not ours; LeakSanitizer reads this hook. Unused otherwise. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libatf-c.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

bool kvm_is_pvm(void)
{
	return access("/sys/module/kvm_pvm", F_OK) == 0;
}
