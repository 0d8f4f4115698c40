/*
 * The NT service table (built from translate/nt/nt_services.def), the Windows
 * build picovisor serves, and NTSTATUS names and the errno mapping.
 */
#include <errno.h>
#include <string.h>

#include "nt.h"
#include "nt_services.h"
#include "syscall_table.h"

#define NA(kind, name) { NK_##kind, #name }
#define NT_SERVICE(name, n19045, n22631, classes, ...) [NT_ID_##name] = { #name, { n19045, n22631 }, classes, { __VA_ARGS__ } },
const struct nt_service nt_services[NT_SERVICE_COUNT] = {
#include "nt_services.def"
};
#undef NT_SERVICE
#undef NA

static enum nt_build selected = NT_BUILD_19045;
static const struct nt_service *by_nr[NT_BUILD_COUNT][0x200];
static bool indexed;

static void index_services(void)
{
	for (int b = 0; b < NT_BUILD_COUNT; b++)
		for (int i = 0; i < NT_SERVICE_COUNT; i++)
			if (nt_services[i].nr[b] < 0x200)
				by_nr[b][nt_services[i].nr[b]] = &nt_services[i];
	indexed = true;
}

int nt_build_parse(const char *s, enum nt_build *b)
{
	if (strcmp(s, "19045") == 0)
		*b = NT_BUILD_19045;
	else if (strcmp(s, "22631") == 0)
		*b = NT_BUILD_22631;
	else
		return -1;
	return 0;
}

void nt_build_select(enum nt_build b)
{
	selected = b;
}

enum nt_build nt_build_selected(void)
{
	return selected;
}

extern const unsigned char pv_ntdll_19045[], pv_ntdll_19045_end[];
extern const unsigned char pv_ntdll_22631[], pv_ntdll_22631_end[];

const unsigned char *nt_ntdll_image(enum nt_build b, size_t *len)
{
	if (b == NT_BUILD_22631) {
		*len = (size_t)(pv_ntdll_22631_end - pv_ntdll_22631);
		return pv_ntdll_22631;
	}
	*len = (size_t)(pv_ntdll_19045_end - pv_ntdll_19045);
	return pv_ntdll_19045;
}

unsigned nt_build_number(enum nt_build b)
{
	return b == NT_BUILD_22631 ? 22631 : 19045;
}

const struct nt_service *nt_service_of(uint32_t nr)
{
	if (!indexed)
		index_services();
	return nr < 0x200 ? by_nr[selected][nr] : NULL;
}

int nt_service_by_name(const char *name)
{
	for (int i = 0; i < NT_SERVICE_COUNT; i++)
		if (strcmp(nt_services[i].name, name) == 0)
			return i;
	return -1;
}

/* How many arguments a service has: its list ends at the first empty slot. */
int nt_service_nargs(const struct nt_service *s)
{
	int n = 0;

	while (n < NT_MAX_ARGS && s->args[n].kind != NK_NONE)
		n++;
	return n;
}

static const struct {
	ntstatus status;
	const char *name;
} status_names[] = {
#define S(x) { x, #x }
	S(STATUS_SUCCESS), S(STATUS_ABANDONED_WAIT_0), S(STATUS_USER_APC), S(STATUS_ALERTED), S(STATUS_TIMEOUT),
	S(STATUS_PENDING), S(STATUS_OBJECT_NAME_EXISTS), S(STATUS_BUFFER_OVERFLOW), S(STATUS_NO_MORE_FILES),
	S(STATUS_NO_MORE_ENTRIES), S(STATUS_UNSUCCESSFUL), S(STATUS_NOT_IMPLEMENTED), S(STATUS_INVALID_INFO_CLASS),
	S(STATUS_INFO_LENGTH_MISMATCH), S(STATUS_ACCESS_VIOLATION), S(STATUS_INVALID_HANDLE),
	S(STATUS_INVALID_PARAMETER), S(STATUS_NO_SUCH_DEVICE), S(STATUS_NO_SUCH_FILE),
	S(STATUS_INVALID_DEVICE_REQUEST), S(STATUS_END_OF_FILE), S(STATUS_NO_MEMORY),
	S(STATUS_CONFLICTING_ADDRESSES), S(STATUS_INVALID_SYSTEM_SERVICE), S(STATUS_ALREADY_COMMITTED),
	S(STATUS_ACCESS_DENIED), S(STATUS_BUFFER_TOO_SMALL), S(STATUS_OBJECT_TYPE_MISMATCH), S(STATUS_NOT_COMMITTED),
	S(STATUS_OBJECT_NAME_INVALID), S(STATUS_OBJECT_NAME_NOT_FOUND), S(STATUS_OBJECT_NAME_COLLISION),
	S(STATUS_OBJECT_PATH_INVALID), S(STATUS_OBJECT_PATH_NOT_FOUND), S(STATUS_OBJECT_PATH_SYNTAX_BAD),
	S(STATUS_SHARING_VIOLATION), S(STATUS_INVALID_PAGE_PROTECTION), S(STATUS_MUTANT_NOT_OWNED),
	S(STATUS_SEMAPHORE_LIMIT_EXCEEDED), S(STATUS_DELETE_PENDING), S(STATUS_DISK_FULL),
	S(STATUS_INVALID_IMAGE_FORMAT), S(STATUS_MEMORY_NOT_ALLOCATED), S(STATUS_DEVICE_NOT_READY),
	S(STATUS_ILLEGAL_FUNCTION), S(STATUS_PIPE_DISCONNECTED), S(STATUS_FILE_IS_A_DIRECTORY),
	S(STATUS_NOT_SUPPORTED), S(STATUS_NOT_SAME_DEVICE), S(STATUS_INTERNAL_ERROR), S(STATUS_DIRECTORY_NOT_EMPTY), S(STATUS_NOT_A_DIRECTORY),
	S(STATUS_NAME_TOO_LONG), S(STATUS_TOO_MANY_OPENED_FILES), S(STATUS_CANCELLED), S(STATUS_CANNOT_DELETE),
	S(STATUS_PIPE_BROKEN), S(STATUS_REPARSE_POINT_NOT_RESOLVED), S(STATUS_HANDLE_NOT_CLOSABLE),
#undef S
};

const char *nt_status_name(ntstatus s)
{
	for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (status_names[i].status == s)
			return status_names[i].name;
	return NULL;
}

/* The one errno -> NTSTATUS table (the mapping Wine's errno_to_status documents). */
ntstatus nt_status_of_errno(int neg_errno)
{
	switch (-neg_errno) {
	case 0:
		return STATUS_SUCCESS;
	case EAGAIN:
		return STATUS_SHARING_VIOLATION;
	case EBADF:
		return STATUS_INVALID_HANDLE;
	case ENOSPC:
	case EDQUOT:
		return STATUS_DISK_FULL;
	case EPERM:
	case EROFS:
	case EACCES:
		return STATUS_ACCESS_DENIED;
	case ENOTDIR:
		return STATUS_OBJECT_PATH_NOT_FOUND;
	case ENOENT:
		return STATUS_OBJECT_NAME_NOT_FOUND;
	case EISDIR:
		return STATUS_FILE_IS_A_DIRECTORY;
	case EMFILE:
	case ENFILE:
		return STATUS_TOO_MANY_OPENED_FILES;
	case EINVAL:
		return STATUS_INVALID_PARAMETER;
	case ENOTEMPTY:
		return STATUS_DIRECTORY_NOT_EMPTY;
	case EPIPE:
		return STATUS_PIPE_DISCONNECTED;
	case EFAULT:
		return STATUS_ACCESS_VIOLATION;
	case ESPIPE:
		return STATUS_ILLEGAL_FUNCTION;
	case ELOOP:
		return STATUS_REPARSE_POINT_NOT_RESOLVED;
	case EEXIST:
		return STATUS_OBJECT_NAME_COLLISION;
	case EXDEV:
		return STATUS_NOT_SAME_DEVICE;
	case ENOTTY:
	case EOPNOTSUPP:
		return STATUS_NOT_SUPPORTED;
	case ENOMEM:
		return STATUS_NO_MEMORY;
	case ENAMETOOLONG:
		return STATUS_NAME_TOO_LONG;
	default:
		return STATUS_UNSUCCESSFUL;
	}
}
