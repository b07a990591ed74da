/* vmimages/kvmcheck.c - run by the guests' init before the suite: does /dev/kvm work (open,
 * KVM_GET_API_VERSION, KVM_CREATE_VM, KVM_CREATE_VCPU)? Prints one line, "kvm ok: ..." or
 * "kvmcheck: what failed: why"; exit 0 when it works, 1 when it does not. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

int main(void)
{
	int kvm, vm = -1, vcpu = -1, version, ret = 1;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		printf("kvmcheck: open /dev/kvm: %s\n", strerror(errno));
		return 1;
	}
	version = ioctl(kvm, KVM_GET_API_VERSION, 0UL);
	if (version != KVM_API_VERSION) {
		printf("kvmcheck: KVM_GET_API_VERSION: %d (%s)\n", version,
		       version < 0 ? strerror(errno) : "unexpected");
		goto out;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0UL);
	if (vm < 0) {
		printf("kvmcheck: KVM_CREATE_VM: %s\n", strerror(errno));
		goto out;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0UL);
	if (vcpu < 0) {
		printf("kvmcheck: KVM_CREATE_VCPU: %s\n", strerror(errno));
		goto out;
	}
	printf("kvm ok: API version %d, a VM and a vCPU created\n", version);
	ret = 0;
out:
	if (vcpu >= 0)
		close(vcpu);
	if (vm >= 0)
		close(vm);
	close(kvm);
	return ret;
}
