/* \Device\KsecDD, the kernel's random bytes for NT programs (nt_ksecdd.c). */
#ifndef PICOVISOR_NT_KSECDD_H
#define PICOVISOR_NT_KSECDD_H

#include <stdbool.h>
#include <stdint.h>

struct tracee;
struct nt_object;

/* Does the OBJECT_ATTRIBUTES at oa name \Device\KsecDD, with no RootDirectory? */
bool nt_ksecdd_named(struct tracee *t, uint64_t oa);
/* Serve NtCreateFile / NtOpenFile of it (to open, as nt_file_open.c checked), with that access (mapped). */
void nt_ksecdd_open(struct tracee *t, uint64_t handle_out, uint32_t access, uint64_t iosb);
/* Serve NtDeviceIoControlFile on a handle of it (o). */
void nt_ksecdd_control(struct tracee *t, struct nt_object *o);

#endif
