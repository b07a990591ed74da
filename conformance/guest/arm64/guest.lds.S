/* conformance/guest/arm64/guest.lds.S - link map of the guest blobs (run through cpp): code from
 * GA_CODE_GPA with _start first, the vector table 2 KiB aligned, data, bss, then the vCPU stacks.
 * objcopy -O binary keeps what has contents; the host's fresh guest memory is the zeroed rest. */
#include "ucall_abi.h"

ENTRY(_start)
SECTIONS
{
	. = GA_CODE_GPA;
	.text : { *(.text.start) *(.text .text.*) }
	. = ALIGN(0x800);
	.vectors : { *(.vectors) }
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }
	__blob_end = .;
	. = ALIGN(4096);
	.bss : { *(.bss .bss.* COMMON) }
	. = ALIGN(16);
	__stacks_start = .;
	. += GA_STACK_SIZE * GA_MAX_CPUS;
	__stacks_end = .;
	__image_end = .;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
