/* layout_write.h - the manifest as the C header OUTDIR/layout.h: ioctl numbers for conformance/
 * and a static assertion of every layout fact for the target compiler (layout_write.c). */
#ifndef KVMGATE_LAYOUT_WRITE_H
#define KVMGATE_LAYOUT_WRITE_H

#include <stdio.h>

#include "manifest.h"

/* Write layout.h of m (sorted first) to out. 0 or -EIO. */
int c__write_layout(struct manifest *m, FILE *out);

#endif
