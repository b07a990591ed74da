/* version.h - the version of kvmgate, as its outputs name it (meta tool, banners). */
#ifndef KVMGATE_VERSION_H
#define KVMGATE_VERSION_H

#define KVMGATE_VERSION "0.1"

#endif
