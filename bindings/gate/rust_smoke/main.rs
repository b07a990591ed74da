// rust_smoke/main.rs - a VM run through the Rust bindings under test (`kvmgate gate`'s rust
// stage, x86_64 with /dev/kvm): no crates, the C library's open/mmap/ioctl through extern "C".
// Every struct is the bindings.rs's (copied next to this file as bindings.rs), every ioctl number
// is encoded here from the size of the Rust struct it carries, so a wrong layout gives a wrong
// number or wrong data. The host sets up long mode (this machine's KVM may have no real mode):
// identity-mapped 2 MiB page, flat 64-bit segments; the guest adds rbx to rax, writes al to port
// 0x10 (KVM_EXIT_IO, read back through the Rust kvm_run) and halts; rax is read back. A failed
// check panics with what it found.
#![allow(dead_code, non_camel_case_types, non_upper_case_globals, non_snake_case, deref_nullptr)]
mod bindings;
use bindings::*;
use std::mem::size_of;

extern "C" {
    fn open(path: *const u8, flags: i32, ...) -> i32;
    fn ioctl(fd: i32, req: u64, ...) -> i32;
    fn mmap(addr: *mut u8, len: usize, prot: i32, flags: i32, fd: i32, off: i64) -> *mut u8;
    fn __errno_location() -> *mut i32;
}

const O_RDWR: i32 = 2;
const O_CLOEXEC: i32 = 0o2000000;
const PROT_RW: i32 = 3;
const MAP_SHARED: i32 = 1;
const MAP_PRIVATE_ANON: i32 = 0x02 | 0x20;

// asm-generic _IOC: dir << 30 | size << 16 | type << 8 | nr
fn ioc(dir: u64, nr: u64, size: usize) -> u64 {
    dir << 30 | (size as u64) << 16 | 0xae << 8 | nr
}
fn io(nr: u64) -> u64 { ioc(0, nr, 0) }
fn iow<T>(nr: u64) -> u64 { ioc(1, nr, size_of::<T>()) }
fn ior<T>(nr: u64) -> u64 { ioc(2, nr, size_of::<T>()) }
fn iowr<T>(nr: u64) -> u64 { ioc(3, nr, size_of::<T>()) }

fn check(what: &str, r: i32) -> i32 {
    if r < 0 {
        let e = unsafe { *__errno_location() };
        panic!("rust_smoke: {} failed: errno {}", what, e);
    }
    r
}

fn fail(msg: String) -> ! {
    panic!("rust_smoke: {}", msg);
}

fn seg(selector: u16, type_: u8, code: bool) -> kvm_segment {
    let mut s: kvm_segment = Default::default();
    s.base = 0;
    s.limit = 0xffff_ffff;
    s.selector = selector;
    s.type_ = type_;
    s.present = 1;
    s.s = 1;
    s.l = if code { 1 } else { 0 };
    s.db = if code { 0 } else { 1 };
    s.g = 1;
    s
}

const MEM: usize = 0x20_0000;
const CODE: u64 = 0x1_0000;

// `rustc --test` of this file runs the bindings' layout tests and this one (the gate runs them
// apart: --skip rust_smoke, then rust_smoke alone); a plain build runs the VM from main.
#[cfg(not(test))]
fn main() {
    smoke();
}

#[test]
fn rust_smoke() {
    smoke();
}

fn smoke() {
    unsafe {
        let kvm = check("open /dev/kvm", open(b"/dev/kvm\0".as_ptr(), O_RDWR | O_CLOEXEC));
        let v = check("KVM_GET_API_VERSION", ioctl(kvm, io(0x00), 0u64));
        if v != 12 {
            fail(format!("KVM_GET_API_VERSION is {}, not 12", v));
        }
        let vm = check("KVM_CREATE_VM", ioctl(kvm, io(0x01), 0u64));

        // memory 0..2 MiB: page tables at 0x1000.., code at 0x10000
        let mem = mmap(std::ptr::null_mut(), MEM, PROT_RW, MAP_PRIVATE_ANON, -1, 0);
        if mem as isize == -1 {
            fail("mmap of guest memory failed".to_string());
        }
        let q = mem as *mut u64;
        *q.add(0x1000 / 8) = 0x2000 | 3; // PML4[0] -> PDPT
        *q.add(0x2000 / 8) = 0x3000 | 3; // PDPT[0] -> PD
        *q.add(0x3000 / 8) = 0x83; // PD[0]: 2 MiB page at 0, present, writable
        let code: [u8; 6] = [0x48, 0x01, 0xd8, 0xe6, 0x10, 0xf4]; // add rax,rbx; out 0x10,al; hlt
        std::ptr::copy_nonoverlapping(code.as_ptr(), mem.add(CODE as usize), code.len());
        let mut region: kvm_userspace_memory_region = Default::default();
        region.slot = 0;
        region.guest_phys_addr = 0;
        region.memory_size = MEM as u64;
        region.userspace_addr = mem as u64;
        check("KVM_SET_USER_MEMORY_REGION",
              ioctl(vm, iow::<kvm_userspace_memory_region>(0x46), &region as *const _));

        let vcpu = check("KVM_CREATE_VCPU", ioctl(vm, io(0x41), 0u64));
        let run_size = check("KVM_GET_VCPU_MMAP_SIZE", ioctl(kvm, io(0x04), 0u64)) as usize;
        if run_size < size_of::<kvm_run>() {
            fail(format!("vCPU mmap size {} < size_of::<kvm_run>() {}", run_size,
                         size_of::<kvm_run>()));
        }
        let run = mmap(std::ptr::null_mut(), run_size, PROT_RW, MAP_SHARED, vcpu, 0) as *mut kvm_run;
        if run as isize == -1 {
            fail("mmap of kvm_run failed".to_string());
        }

        // the CPUID KVM supports (long mode among it), as the vCPU's
        const NENT: usize = 256;
        let words = (size_of::<kvm_cpuid2>() + NENT * size_of::<kvm_cpuid_entry2>()) / 8 + 1;
        let mut buf = vec![0u64; words];
        let cpuid = buf.as_mut_ptr() as *mut kvm_cpuid2;
        (*cpuid).nent = NENT as u32;
        check("KVM_GET_SUPPORTED_CPUID", ioctl(kvm, iowr::<kvm_cpuid2>(0x05), cpuid));
        check("KVM_SET_CPUID2", ioctl(vcpu, iow::<kvm_cpuid2>(0x90), cpuid));

        let mut sregs: kvm_sregs = Default::default();
        check("KVM_GET_SREGS", ioctl(vcpu, ior::<kvm_sregs>(0x83), &mut sregs as *mut _));
        sregs.cs = seg(8, 0xb, true);
        let data = seg(0x10, 0x3, false);
        sregs.ds = data;
        sregs.es = data;
        sregs.fs = data;
        sregs.gs = data;
        sregs.ss = data;
        let mut tr = seg(0x18, 0xb, false);
        tr.s = 0;
        tr.limit = 0x67;
        tr.g = 0;
        tr.db = 0;
        sregs.tr = tr;
        sregs.cr0 = 0x8001_0033; // PG WP NE ET MP PE
        sregs.cr3 = 0x1000;
        sregs.cr4 = 0x620; // OSXMMEXCPT OSFXSR PAE
        sregs.efer = 0x500; // LMA LME
        check("KVM_SET_SREGS", ioctl(vcpu, iow::<kvm_sregs>(0x84), &sregs as *const _));

        let mut regs: kvm_regs = Default::default();
        regs.rip = CODE;
        regs.rflags = 2;
        regs.rsp = 0x1_f000;
        regs.rax = 0x1111_0000;
        regs.rbx = 0x2222;
        check("KVM_SET_REGS", ioctl(vcpu, iow::<kvm_regs>(0x82), &regs as *const _));

        check("KVM_RUN", ioctl(vcpu, io(0x80), 0u64));
        let reason = (*run).exit_reason;
        if reason != KVM_EXIT_IO as u32 {
            fail(format!("exit_reason {} after the out, expected KVM_EXIT_IO ({})", reason,
                         KVM_EXIT_IO));
        }
        let pio = (*run).__bindgen_anon_1.io;
        let byte = *(run as *const u8).add(pio.data_offset as usize);
        println!("rust_smoke: KVM_EXIT_IO port {:#x} direction {} size {} count {} data {:#x}",
                 pio.port, pio.direction, pio.size, pio.count, byte);
        if pio.port != 0x10 || pio.direction != KVM_EXIT_IO_OUT as u8 || pio.size != 1
            || pio.count != 1 || byte != 0x22 {
            fail("the exit's io fields are not the guest's out 0x10, al (0x22)".to_string());
        }
        check("KVM_RUN", ioctl(vcpu, io(0x80), 0u64));
        let reason = (*run).exit_reason;
        if reason != KVM_EXIT_HLT as u32 {
            fail(format!("exit_reason {} after the hlt, expected KVM_EXIT_HLT ({})", reason,
                         KVM_EXIT_HLT));
        }
        let mut out: kvm_regs = Default::default();
        check("KVM_GET_REGS", ioctl(vcpu, ior::<kvm_regs>(0x81), &mut out as *mut _));
        println!("rust_smoke: rax {:#x} rbx {:#x} rip {:#x}", out.rax, out.rbx, out.rip);
        if out.rax != 0x1111_2222 || out.rbx != 0x2222 || out.rip != CODE + code.len() as u64 {
            fail(format!("registers after the guest: rax {:#x} (expected 0x11112222), rbx {:#x}, \
                          rip {:#x} (expected {:#x})", out.rax, out.rbx, out.rip,
                         CODE + code.len() as u64));
        }
        println!("rust_smoke: ok");
    }
}
