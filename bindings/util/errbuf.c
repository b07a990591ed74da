/* errbuf.c - one line into an error buffer (errbuf.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "errbuf.h"

int errbuf__fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}
