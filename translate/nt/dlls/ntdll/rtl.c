/* Rtl functions of ntdll: status codes as Win32 errors, the version, the thread's last error. */
#include "ntdll_internal.h"

/* NTSTATUS -> Win32 error, for the statuses picovisor's services return (the documented pairs). */
static const struct {
	uint32_t status;
	uint16_t error;
} errors[] = {
	{ 0x00000000, 0 },        { 0x00000102, 1460 /* TIMEOUT */ }, { 0x00000103, 997 /* IO_PENDING */ },
	{ 0x80000005, 234 /* MORE_DATA */ }, { 0x80000006, 18 /* NO_MORE_FILES */ }, { 0x8000001A, 259 /* NO_MORE_ITEMS */ },
	{ 0xC0000001, 31 },       { 0xC0000002, 1 },     { 0xC0000003, 87 },    { 0xC0000004, 24 },
	{ 0xC0000005, 998 },      { 0xC0000008, 6 },     { 0xC000000D, 87 },    { 0xC000000E, 2 },
	{ 0xC000000F, 2 },        { 0xC0000010, 1 },     { 0xC0000011, 38 },    { 0xC0000017, 8 },
	{ 0xC0000018, 487 },      { 0xC000001C, 1 },     { 0xC0000021, 487 },   { 0xC0000022, 5 },
	{ 0xC0000023, 122 },      { 0xC0000024, 6 },     { 0xC000002D, 487 },   { 0xC0000033, 123 },
	{ 0xC0000034, 2 },        { 0xC0000035, 183 },   { 0xC0000039, 161 },   { 0xC000003A, 3 },
	{ 0xC000003B, 161 },      { 0xC0000043, 32 },    { 0xC0000045, 87 },    { 0xC0000056, 5 },
	{ 0xC000007A, 127 },      { 0xC000007B, 193 },   { 0xC000007F, 112 },   { 0xC00000A0, 487 },
	{ 0xC00000AF, 1 },        { 0xC00000B0, 233 },   { 0xC00000BA, 5 },     { 0xC00000BB, 50 },
	{ 0xC00000D4, 17 },       { 0xC0000101, 145 },   { 0xC0000103, 267 },   { 0xC0000106, 206 },
	{ 0xC000011F, 4 },        { 0xC0000120, 995 },   { 0xC0000121, 5 },     { 0xC0000135, 126 },
	{ 0xC0000138, 182 },      { 0xC0000139, 127 },   { 0xC0000142, 1114 },  { 0xC000014B, 109 },
	{ 0xC0000280, 1921 },     { 0xC0000235, 6 },     { 0xC0000061, 1314 /* PRIVILEGE_NOT_HELD */ },
};

EXPORT ULONG RtlNtStatusToDosError(NTSTATUS st)
{
	uint32_t s = (uint32_t)st;

	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].status == s)
			return errors[i].error;
	if ((s & 0xffff0000) == 0x80070000 || (s & 0xffff0000) == 0xC0070000)
		return s & 0xffff; /* a Win32 error carried in an NTSTATUS (FACILITY_WIN32) */
	return 317; /* ERROR_MR_MID_NOT_FOUND: Windows' answer for a status without a Win32 code */
}

EXPORT ULONG RtlGetLastWin32Error(void)
{
	return TEB_FIELD(ULONG, 0x68);
}

EXPORT void RtlSetLastWin32Error(ULONG e)
{
	TEB_FIELD(ULONG, 0x68) = e;
}

typedef struct {
	ULONG dwOSVersionInfoSize, dwMajorVersion, dwMinorVersion, dwBuildNumber, dwPlatformId;
	WCHAR szCSDVersion[128];
} RTL_OSVERSIONINFOW;

/* The version the PEB says (10.0, the build picovisor runs the program as). */
EXPORT NTSTATUS RtlGetVersion(RTL_OSVERSIONINFOW *v)
{
	if (v->dwOSVersionInfoSize != sizeof(RTL_OSVERSIONINFOW) && v->dwOSVersionInfoSize != sizeof(RTL_OSVERSIONINFOW) + 8)
		return STATUS_INVALID_PARAMETER;
	v->dwMajorVersion = PEB_FIELD(ULONG, 0x118);
	v->dwMinorVersion = PEB_FIELD(ULONG, 0x11c);
	v->dwBuildNumber = PEB_FIELD(uint16_t, 0x120);
	v->dwPlatformId = PEB_FIELD(ULONG, 0x124);
	memset(v->szCSDVersion, 0, sizeof(v->szCSDVersion));
	if (v->dwOSVersionInfoSize > sizeof(RTL_OSVERSIONINFOW))
		memset((unsigned char *)v + sizeof(RTL_OSVERSIONINFOW), 0, 8);
	return STATUS_SUCCESS;
}

EXPORT void RtlGetNtVersionNumbers(ULONG *major, ULONG *minor, ULONG *build)
{
	if (major)
		*major = PEB_FIELD(ULONG, 0x118);
	if (minor)
		*minor = PEB_FIELD(ULONG, 0x11c);
	if (build)
		*build = 0xF0000000u | PEB_FIELD(uint16_t, 0x120);
}

EXPORT void *RtlGetCurrentPeb(void)
{
	return PEB();
}
