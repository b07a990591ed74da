/* A small stand-in for linux/kvm.h that exercises every shape the Rust writer and reader handle:
 * bitfields, anonymous structs and unions (named and transparent), arrays of anonymous unions,
 * flexible and zero-length arrays, a union bindgen cannot make a Rust union, keyword member names,
 * pointers, 2-D arrays, arrays longer than 32, named and anonymous enums, packed and 16-aligned
 * structs, typedef'd anonymous structs, integer macros and ioctls (bindings/rust/rust_test.sh). */
#ifndef DEMO_KVM_H
#define DEMO_KVM_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed int __s32;

#define _IOC_NRBITS	8
#define _IOC_TYPEBITS	8
#define _IOC_SIZEBITS	14
#define _IOC_NRSHIFT	0
#define _IOC_TYPESHIFT	(_IOC_NRSHIFT + _IOC_NRBITS)
#define _IOC_SIZESHIFT	(_IOC_TYPESHIFT + _IOC_TYPEBITS)
#define _IOC_DIRSHIFT	(_IOC_SIZESHIFT + _IOC_SIZEBITS)
#define _IOC_NONE	0U
#define _IOC_WRITE	1U
#define _IOC_READ	2U
#define _IOC(dir, type, nr, size) \
	(((dir) << _IOC_DIRSHIFT) | ((type) << _IOC_TYPESHIFT) | \
	 ((nr) << _IOC_NRSHIFT) | ((size) << _IOC_SIZESHIFT))
#define _IOC_TYPECHECK(t) (sizeof(t))
#define _IO(type, nr)		_IOC(_IOC_NONE, (type), (nr), 0)
#define _IOR(type, nr, size)	_IOC(_IOC_READ, (type), (nr), (_IOC_TYPECHECK(size)))
#define _IOW(type, nr, size)	_IOC(_IOC_WRITE, (type), (nr), (_IOC_TYPECHECK(size)))
#define _IOWR(type, nr, size)	_IOC(_IOC_READ | _IOC_WRITE, (type), (nr), (_IOC_TYPECHECK(size)))

#define DEMO_API_VERSION 12
#define DEMO_NEGATIVE (-2)
#define DEMO_BIG 0x8000000000000000ULL
#define DEMO_MASK 0xff00000000000000ULL
#define DEMO_BIT(n) (1U << (n))
#define DEMO_FLAG_THREE DEMO_BIT(3)

typedef struct {
	int val[2];
} demo_fsid_t;

struct demo_regs {
	__u64 rax, rbx;
	__u32 type;
	__u32 match;
};

struct demo_bits {
	__u8 vector;
	__u8 delivery_mode:3;
	__u8 dest_mode:1;
	__u8 :2;
	__u8 trig_mode:2;
	__u8 after;
};

struct demo_flags {
	__u32 a:1;
	__u32 b:17;
	__s32 neg:5;
	__u32 tail;
};

struct demo_flags2 {
	__u32 a:3;
	__u32 b:2;
	__u8 c;
};

struct demo_run {
	__u8 request;
	__u8 padding1[7];
	__u32 exit_reason;
	union {
		struct {
			__u16 port;
			__u8 direction;
			__u8 size;
		} io;
		struct {
			__u64 phys_addr;
			__u8 data[8];
		} mmio;
		char padding[64];
	};
	__u64 kvm_valid_regs;
	union {
		struct demo_regs regs;
		char pad[128];
	} s;
};

struct demo_ioapic {
	__u64 base;
	union {
		__u64 bits;
		struct {
			__u8 vector;
			__u8 mode:3;
			__u8 rest:5;
			__u8 reserved[5];
			__u8 dest;
		} fields;
	} redirtbl[4];
};

struct demo_msrs {
	__u32 nmsrs;
	__u32 pad;
	struct demo_regs entries[];
};

struct demo_nested {
	__u16 flags;
	__u16 format;
	__u32 size;
	union {
		struct demo_regs vmx[0];
		struct demo_bits svm[0];
	} data;
};

struct demo_arrays {
	__u8 fpr[8][16];
	__u8 big[40];
	__u64 *ptr;
	void *opaque;
	demo_fsid_t fsid;
};

enum demo_device_type {
	DEMO_DEV_A = 1,
	DEMO_DEV_B,
};

enum {
	demo_anon_first,
	demo_anon_second,
};

struct demo_packed {
	__u8 a;
	__u32 b;
	__u16 c;
} __attribute__((packed));

struct demo_wide {
	__u64 lo;
	unsigned __int128 v;
	__u32 tail;
};

#define DEMO_GET_API_VERSION	_IO(0xAE, 0x00)
#define DEMO_GET_REGS		_IOR(0xAE, 0x81, struct demo_regs)
#define DEMO_SET_MSRS		_IOW(0xAE, 0x89, struct demo_msrs)
#define DEMO_RUN_WR		_IOWR(0xAE, 0x90, struct demo_run)
#define DEMO_GET_U64		_IOR(0xAE, 0x91, __u64)

#endif
