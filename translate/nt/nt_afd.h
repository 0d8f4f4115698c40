/* Sockets of NT programs (nt_afd.c): NtCreateFile on \Device\Afd makes one. */
#ifndef PICOVISOR_NT_AFD_H
#define PICOVISOR_NT_AFD_H

#include <stdbool.h>
#include <stdint.h>

struct tracee;

/* Does the OBJECT_ATTRIBUTES at oa name \Device\Afd (or a name below it), with no RootDirectory? */
bool nt_afd_named(struct tracee *t, uint64_t oa);
/* Serve NtCreateFile of a socket: the EA list (ea, ea_len) says which (dlls/include/pv_afd.h). */
void nt_afd_create(struct tracee *t, uint64_t handle_out, uint32_t access, uint64_t iosb, uint64_t ea, uint32_t ea_len);

#endif
