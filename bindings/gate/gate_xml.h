/* gate_xml.h - escaping for the gate's XML (JUnit) and HTML reports. */
#ifndef KVMGATE_GATE_XML_H
#define KVMGATE_GATE_XML_H

#include <stdio.h>

/* s as element text or attribute value (NULL: nothing). */
void xml__text(FILE *f, const char *s);
/* s as one or more CDATA sections, "]]>" split across two. */
void xml__cdata(FILE *f, const char *s);

#endif
