/* conformance/x86_cpuid_test.c - x86_64: CPUID through guest code. The leaves of
 * KVM_GET_SUPPORTED_CPUID set as they are, and distinctive entries (an indexed leaf, the brand
 * string, the hypervisor leaf, the signature) set through KVM_SET_CPUID2 (kvm_cpuid_entry2:
 * function, index, flags, eax..edx) and KVM_SET_CPUID (kvm_cpuid_entry), are what the guest's
 * cpuid returns; KVM_GET_CPUID2 gives the entries back. */
#include <atf-c.h>
#include <errno.h>
#include <string.h>

#include "coverage.h"
#include "x86_vm.h"

#define CPUID_PROBE_MAX 32

struct gcpuid { uint32_t eax, ebx, ecx, edx; };

/* run_probe: the guest's cpuid for each (fn, idx) of want[0..n), checked against want. */
static void run_probe(struct kvm_vm *vm, struct kvm_vcpu *vcpu,
		      const struct kvm_cpuid_entry2 *want, unsigned int n, const char *how)
{
	uint32_t (*in)[2] = x86_gpa(vm, X86G_SYM_cpuid_in, CPUID_PROBE_MAX * 8);
	const struct gcpuid *out = x86_gpa(vm, X86G_SYM_cpuid_out, CPUID_PROBE_MAX * 16);

	ATF_REQUIRE(n <= CPUID_PROBE_MAX);
	for (unsigned int i = 0; i < n; i++) {
		in[i][0] = want[i].function;
		in[i][1] = want[i].index;
	}
	x86_vcpu_call(vcpu, X86G_SYM_cpuid_probe, n);
	x86_run_done(vcpu);
	for (unsigned int i = 0; i < n; i++)
		ATF_CHECK_MSG(out[i].eax == want[i].eax && out[i].ebx == want[i].ebx &&
			      out[i].ecx == want[i].ecx && out[i].edx == want[i].edx,
			      "guest cpuid 0x%x.%u after %s: %08x %08x %08x %08x, expected "
			      "%08x %08x %08x %08x", want[i].function, want[i].index, how,
			      out[i].eax, out[i].ebx, out[i].ecx, out[i].edx, want[i].eax,
			      want[i].ebx, want[i].ecx, want[i].edx);
}

static struct kvm_cpuid_entry2 entry(uint32_t fn, uint32_t idx, uint32_t flags, uint32_t a,
				     uint32_t b, uint32_t c, uint32_t d)
{
	struct kvm_cpuid_entry2 e;

	memset(&e, 0, sizeof(e));
	e.function = fn;
	e.index = idx;
	e.flags = flags;
	e.eax = a;
	e.ebx = b;
	e.ecx = c;
	e.edx = d;
	return e;
}

ATF_TC(cpuid_guest_view);
ATF_TC_HEAD(cpuid_guest_view, tc)
{
	atf_tc_set_md_var(tc, "descr", "CPUID: KVM_GET_SUPPORTED_CPUID's vendor and max leaves, and "
			  "distinctive kvm_cpuid_entry2 entries (indexed with SIGNIFCANT_INDEX, brand "
			  "string, hypervisor leaf) set by KVM_SET_CPUID2 are what the guest's cpuid "
			  "returns; KVM_GET_CPUID2 returns them; KVM_SET_CPUID (kvm_cpuid_entry) too");
	atf_tc_set_md_var(tc, "require.files", KVM_DEV_PATH);
}
ATF_TC_BODY(cpuid_guest_view, tc)
{
	struct kvm_vm vm;
	struct kvm_vcpu vcpu;
	static struct x86_cpuid c, got;
	const struct x86_cpuid *sup;
	struct kvm_cpuid_entry2 want[CPUID_PROBE_MAX];
	unsigned int n = 0, nsup;

	x86_vm_create(&vm);
	sup = x86_supported_cpuid(&vm);
	/* Leaves 0 and 0x80000000 as KVM_GET_SUPPORTED_CPUID gives them (KVM adjusts no bit). */
	ATF_REQUIRE(x86_cpuid_find(sup, 0, 0) != NULL && x86_cpuid_find(sup, 0x80000000, 0) != NULL);
	want[n++] = *x86_cpuid_find(sup, 0, 0);
	want[n++] = *x86_cpuid_find(sup, 0x80000000, 0);
	nsup = n;
	cov_ioctl("KVM_GET_SUPPORTED_CPUID", COV_EXERCISED, "semantic: guest cpuid of leaves 0, "
		  "0x80000000 as listed");

	/* Distinctive entries on top of the supported ones (replacing any with the same leaf). */
	c = *sup;
	{
		struct kvm_cpuid_entry2 add[] = {
			entry(0x40000000, 0, 0, 0x40000001, 0x6d76676b, 0x65746167, 0x74736574),
			entry(0x80000002, 0, 0, 0x67766d6b, 0x20657461, 0x66696564, 0x20646c65),
			entry(0x80000003, 0, 0, 0x33323130, 0x37363534, 0x62613938, 0x66656463),
			entry(0x80000004, 0, 0, 0x6b6a6968, 0x6f6e6d6c, 0x73727170, 0x00777574),
			entry(0x8000001d, 0, KVM_CPUID_FLAG_SIGNIFCANT_INDEX, 0x121, 0x1c0003f, 0x3f, 0x1),
			entry(0x8000001d, 1, KVM_CPUID_FLAG_SIGNIFCANT_INDEX, 0x122, 0x1c0003f, 0x7f, 0x2),
			entry(0x8000001d, 2, KVM_CPUID_FLAG_SIGNIFCANT_INDEX, 0x143, 0x1c0003f, 0x3ff, 0x3),
			entry(0x8000001d, 3, KVM_CPUID_FLAG_SIGNIFCANT_INDEX, 0x163, 0x3c0003f, 0x7fff, 0x4),
		};

		for (unsigned int k = 0; k < sizeof(add) / sizeof(add[0]); k++) {
			unsigned int j;

			for (j = 0; j < c.h.nent; j++)
				if (c.e[j].function == add[k].function &&
				    c.e[j].index == add[k].index)
					break;
			if (j == c.h.nent) {
				ATF_REQUIRE(c.h.nent < X86_CPUID_MAX);
				c.h.nent++;
			}
			c.e[j] = add[k];
			want[n++] = add[k];
		}
	}
	/* The extended leaves reach 0x8000001d. */
	for (unsigned int j = 0; j < c.h.nent; j++)
		if (c.e[j].function == 0x80000000 && c.e[j].eax < 0x8000001d)
			c.e[j].eax = 0x8000001d;
	for (unsigned int j = 0; j < nsup; j++)
		if (want[j].function == 0x80000000 && want[j].eax < 0x8000001d)
			want[j].eax = 0x8000001d;

	vm_vcpu_add(&vm, &vcpu, 0);
	kvm_ioctl(vcpu.fd, KVM_SET_CPUID2, &c.h);
	x86_vcpu_long_mode(&vcpu);
	run_probe(&vm, &vcpu, want, n, "KVM_SET_CPUID2");
	cov_ioctl("KVM_SET_CPUID2", COV_EXERCISED, "semantic: guest cpuid of indexed, brand, "
		  "hypervisor leaves");

	/* nent: too small a buffer is E2BIG (6.1 writes the count back then, later kernels on
	 * success only); the exact count succeeds. */
	memset(&got, 0, sizeof(got));
	got.h.nent = c.h.nent - 1;
	ATF_CHECK_MSG(ioctl(vcpu.fd, KVM_GET_CPUID2, &got.h) < 0 && errno == E2BIG,
		      "KVM_GET_CPUID2 with nent %u of %u entries did not fail with E2BIG",
		      c.h.nent - 1, c.h.nent);
	got.h.nent = c.h.nent;
	kvm_ioctl(vcpu.fd, KVM_GET_CPUID2, &got.h);
	ATF_CHECK_EQ_MSG(got.h.nent, c.h.nent, "KVM_GET_CPUID2 nent %u, KVM_SET_CPUID2 set %u",
			 got.h.nent, c.h.nent);
	for (unsigned int i = nsup; i < n; i++) {
		const struct kvm_cpuid_entry2 *e = x86_cpuid_find(&got, want[i].function, want[i].index);

		ATF_CHECK_MSG(e != NULL && e->function == want[i].function &&
			      e->index == want[i].index && e->flags == want[i].flags &&
			      e->eax == want[i].eax && e->ebx == want[i].ebx &&
			      e->ecx == want[i].ecx && e->edx == want[i].edx,
			      "KVM_GET_CPUID2 entry 0x%x.%u differs from the one set", want[i].function,
			      want[i].index);
	}
	cov_ioctl("KVM_GET_CPUID2", COV_EXERCISED, "semantic: the entries the guest saw");
	vcpu_free(&vcpu);

	/* KVM_SET_CPUID: the legacy kvm_cpuid_entry (no index) on a second vCPU. */
	{
		struct { struct kvm_cpuid h; struct kvm_cpuid_entry e[X86_CPUID_MAX]; } old;
		struct kvm_cpuid_entry2 w[3];
		unsigned int m = 0, k = 0;

		memset(&old, 0, sizeof(old));
		for (unsigned int j = 0; j < sup->h.nent && m < X86_CPUID_MAX; j++) {
			const struct kvm_cpuid_entry2 *e = &sup->e[j];

			if (e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX)
				continue;	/* the old struct cannot say which subleaf */
			old.e[m].function = e->function;
			old.e[m].eax = e->eax;
			old.e[m].ebx = e->ebx;
			old.e[m].ecx = e->ecx;
			old.e[m].edx = e->edx;
			if (e->function >= 0x80000002 && e->function <= 0x80000004) {
				old.e[m].eax ^= 0x01010101 * (e->function & 7);
				old.e[m].edx ^= 0x20202020;
			}
			m++;
		}
		old.h.nent = m;
		vm_vcpu_add(&vm, &vcpu, 1);
		kvm_ioctl(vcpu.fd, KVM_SET_CPUID, &old.h);
		x86_vcpu_long_mode(&vcpu);
		for (unsigned int j = 0; j < m && k < 3; j++)
			if (old.e[j].function >= 0x80000002 && old.e[j].function <= 0x80000004)
				w[k++] = entry(old.e[j].function, 0, 0, old.e[j].eax, old.e[j].ebx,
					       old.e[j].ecx, old.e[j].edx);
		ATF_REQUIRE_EQ_MSG(k, 3, "KVM_GET_SUPPORTED_CPUID has %u of the brand leaves", k);
		run_probe(&vm, &vcpu, w, 3, "KVM_SET_CPUID");
		cov_ioctl("KVM_SET_CPUID", COV_EXERCISED, "semantic: guest cpuid of the brand leaves");
		vcpu_free(&vcpu);
	}
	vm_free(&vm);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, cpuid_guest_view);
	return atf_no_error();
}
