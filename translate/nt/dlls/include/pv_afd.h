/*
 * picovisor's private protocol between its ws2_32.dll and the NT personality
 * (translate/nt/nt_afd.c; docs/nt.md, "Sockets"). A socket is a file handle
 * opened with NtCreateFile on \Device\Afd, its extended attribute
 * PV_AFD_EA_NAME carrying struct pv_afd_open; each operation is
 * NtDeviceIoControlFile with one of the control codes below, which the thread
 * serves with the one Linux call of the same name. Numbers inside (families,
 * levels, options, flags, errnos, ioctl commands) are Linux's: the DLL
 * translates Windows' ones. On failure the IO_STATUS_BLOCK's Information is
 * the Linux errno when there is one (0 otherwise), its Status the NTSTATUS
 * the call returns.
 *
 * Shared by the supervisor (C11 on Linux) and the DLL (mingw, freestanding).
 */
#ifndef PICOVISOR_PV_AFD_H
#define PICOVISOR_PV_AFD_H

#include <stdint.h>

#define PV_AFD_EA_NAME "PicovisorSocket"

enum pv_afd_op {
	PV_AFD_BIND = 1,    /* in: the address */
	PV_AFD_CONNECT,     /* in: the address */
	PV_AFD_LISTEN,      /* in: int32 backlog */
	PV_AFD_ACCEPT,      /* out: struct pv_afd_accepted */
	PV_AFD_SEND,        /* in: struct pv_afd_io, then io.addrlen bytes of address (sendto) */
	PV_AFD_RECV,        /* in: struct pv_afd_io (addrlen nonzero: the sender is wanted); out: struct pv_afd_addr */
	PV_AFD_SHUTDOWN,    /* in: int32 how */
	PV_AFD_SOCKNAME,    /* out: struct pv_afd_addr */
	PV_AFD_PEERNAME,    /* out: struct pv_afd_addr */
	PV_AFD_SETOPT,      /* in: struct pv_afd_opt */
	PV_AFD_GETOPT,      /* in: struct pv_afd_opt (level, name, len); out: struct pv_afd_opt */
	PV_AFD_IOCTL,       /* in: struct pv_afd_ioctl (FIONBIO, FIONREAD); out: int32 (FIONREAD's count) */
	PV_AFD_POLL,        /* in: struct pv_afd_poll, then its entries; out: the entries with revents */
	PV_AFD_OP_COUNT
};

/* CTL_CODE(FILE_DEVICE_NETWORK, 0x900 + op, METHOD_NEITHER, FILE_ANY_ACCESS): functions from 0x800 are for others than Microsoft. */
#define PV_AFD_CODE(op) (0x00120000u | ((0x900u + (uint32_t)(op)) << 2) | 3u)

#define PV_AFD_ADDR_MAX 128
#define PV_AFD_OPT_MAX 64
#define PV_AFD_POLL_MAX 1024

struct pv_afd_open {
	int32_t family, type, protocol;
};

struct pv_afd_io {
	uint64_t buf;
	uint32_t len;
	int32_t flags;
	uint32_t addrlen;
	uint32_t pad;
};

struct pv_afd_addr {
	uint32_t len;
	uint32_t pad;
	unsigned char addr[PV_AFD_ADDR_MAX];
};

struct pv_afd_accepted {
	uint64_t handle;
	struct pv_afd_addr peer;
};

struct pv_afd_opt {
	int32_t level, name;
	uint32_t len;
	uint32_t pad;
	unsigned char val[PV_AFD_OPT_MAX];
};

struct pv_afd_ioctl {
	uint32_t cmd;
	int32_t arg;
};

struct pv_afd_poll {
	int32_t timeout_ms; /* negative: no limit */
	uint32_t count;
};

struct pv_afd_poll_entry {
	uint64_t handle;
	int16_t events, revents; /* Linux's POLL* bits; POLLNVAL for a handle that is no socket */
	uint32_t pad;
};

#endif
