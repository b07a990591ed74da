/* gate_xml.c - text made safe for XML and HTML: attribute and element text escaped (& < > " '),
 * characters XML 1.0 forbids (control characters but TAB, LF, CR) replaced by '?', and CDATA
 * sections split where the text holds "]]>". */
#include <stdio.h>
#include <string.h>

#include "gate_xml.h"

void xml__text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			fputc(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c, f);
		}
	}
}

void xml__cdata(FILE *f, const char *s)
{
	fputs("<![CDATA[", f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (!strncmp(s, "]]>", 3)) {
			/* end the section after "]]", start a new one for ">" */
			fputs("]]]]><![CDATA[>", f);
			s += 2;
			continue;
		}
		fputc(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c, f);
	}
	fputs("]]>", f);
}
