/* Between the NT personality's file services (nt_file*.c): access bits, the file table. */
#ifndef PICOVISOR_NT_FILE_H
#define PICOVISOR_NT_FILE_H

#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "nt_internal.h"

enum {
	FILE_READ_DATA = 0x1,
	FILE_WRITE_DATA = 0x2,
	FILE_APPEND_DATA = 0x4,
	FILE_READ_EA = 0x8,
	FILE_WRITE_EA = 0x10,
	FILE_EXECUTE = 0x20,
	FILE_DELETE_CHILD = 0x40,
	FILE_READ_ATTRIBUTES = 0x80,
	FILE_WRITE_ATTRIBUTES = 0x100,
	NT_DELETE = 0x10000,
	NT_READ_CONTROL = 0x20000,
	NT_SYNCHRONIZE = 0x100000,
	NT_MAXIMUM_ALLOWED = 0x2000000,
	NT_GENERIC_ALL = 0x10000000,
	NT_GENERIC_EXECUTE = 0x20000000,
	NT_GENERIC_WRITE = 0x40000000,
	NT_GENERIC_READ = 0x80000000,
	FILE_ALL_ACCESS = 0xF0000 | NT_SYNCHRONIZE | 0x1FF,
};

/* The file object of handle h, the handle granting one of need's bits (0: any access). */
ntstatus nt_file_of(struct tracee *t, uint64_t h, uint32_t need, struct nt_object **obj);
/* The run's record of a host inode (share modes, delete pending): found, or made with one more open. */
struct nt_fcb *nt_fcb_get(dev_t dev, ino_t ino);
struct nt_fcb *nt_fcb_open(dev_t dev, ino_t ino, const char *host, bool is_dir);

/* Share modes between the handles of the run: access and share as bits read 1, write 2, delete 4. */
void nt_share_take(struct nt_fcb *f, uint32_t access, uint32_t share, int delta);
bool nt_share_conflict(const struct nt_fcb *f, uint32_t access, uint32_t share);
/* The three share-relevant access bits (read 1, write 2, delete 4) of an NT access mask. */
uint32_t nt_share_bits(uint32_t access);
/* GENERIC_* and MAXIMUM_ALLOWED as the file rights they stand for. */
uint32_t nt_file_access_map(uint32_t access);
/* Is the file object a drive's root or a parent of one (nt_drive_protected)? */
bool nt_file_protected(struct tracee *t, const struct nt_object *o);
/* stat of the file behind a tracee fd (through /proc): 0 or -errno. */
int nt_fd_stat(struct tracee *t, int fd, struct stat *st);
/*
 * Where the file behind a tracee fd is now, by the kernel's name for it, and
 * only if that name leads to it (malloc'd), else NULL: what a rename or a
 * removal on a handle acts on, rather than the name it was opened by.
 */
char *nt_fd_path(struct tracee *t, int fd);
/* The file attributes (FILE_ATTRIBUTE_*) NT shows for a host file. */
uint32_t nt_file_attributes(const struct stat *st, const char *name);

#endif
