/* errno, _doserrno, the Win32-error to errno mapping and the messages of strerror/perror. */
#include "crt.h"

static const char *const messages[] = {
	"No error", "Operation not permitted", "No such file or directory", "No such process",
	"Interrupted function call", "Input/output error", "No such device or address", "Arg list too long",
	"Exec format error", "Bad file descriptor", "No child processes", "Resource temporarily unavailable",
	"Not enough space", "Permission denied", "Bad address", "Unknown error", "Resource device", "File exists",
	"Improper link", "No such device", "Not a directory", "Is a directory", "Invalid argument",
	"Too many open files in system", "Too many open files", "Inappropriate I/O control operation",
	"Unknown error", "File too large", "No space left on device", "Invalid seek", "Read-only file system",
	"Too many links", "Broken pipe", "Domain error", "Result too large", "Unknown error",
	"Resource deadlock avoided", "Unknown error", "Filename too long", "No locks available",
	"Function not implemented", "Directory not empty", "Illegal byte sequence", "Unknown error",
};
#define NMESSAGES ((int)(sizeof(messages) / sizeof(messages[0])))

EXPORT const char *const *_sys_errlist = messages;
EXPORT int _sys_nerr = NMESSAGES - 1;

EXPORT int *_errno(void)
{
	return &crt_self()->err;
}

EXPORT unsigned long *__doserrno(void)
{
	return &crt_self()->doserr;
}

EXPORT int _set_errno(int v)
{
	crt_self()->err = v;
	return 0;
}

EXPORT int _get_errno(int *v)
{
	if (!v)
		return EINVAL;
	*v = crt_self()->err;
	return 0;
}

static const struct {
	unsigned short win32;
	unsigned char err;
} win32_to_errno[] = {
	{1, EINVAL},   {2, ENOENT},   {3, ENOENT},     {4, EMFILE},   {5, EACCES},   {6, EBADF},
	{7, ENOMEM},   {8, ENOMEM},   {9, ENOMEM},     {10, E2BIG},   {11, ENOEXEC}, {12, EINVAL},
	{13, EINVAL},  {15, ENOENT},  {16, EACCES},    {17, EXDEV},   {18, ENOENT},  {19, EACCES},
	{32, EACCES},  {33, EACCES},  {53, ENOENT},    {65, EACCES},  {67, ENOENT},  {80, EEXIST},
	{82, EACCES},  {83, EACCES},  {87, EINVAL},    {89, EAGAIN},  {108, EACCES}, {109, EPIPE},
	{112, ENOSPC}, {114, EBADF},  {123, ENOENT},   {128, ECHILD}, {129, ECHILD}, {130, EBADF},
	{131, EINVAL}, {132, EACCES}, {145, ENOTEMPTY}, {158, EACCES}, {161, ENOENT}, {164, EAGAIN},
	{167, EACCES}, {183, EEXIST}, {206, ENOENT},   {215, EAGAIN}, {1816, ENOMEM},
};

int crt_errno_from_win32(DWORD err)
{
	for (size_t i = 0; i < sizeof(win32_to_errno) / sizeof(win32_to_errno[0]); i++)
		if (win32_to_errno[i].win32 == err)
			return win32_to_errno[i].err;
	if (err >= 19 && err <= 36) /* the write-protect .. sharing-buffer-exceeded range */
		return EACCES;
	if (err >= 188 && err <= 202) /* invalid executable formats */
		return ENOEXEC;
	return EINVAL;
}

void crt_set_errno_from_win32(DWORD err)
{
	struct crt_thread *t = crt_self();

	t->doserr = err;
	t->err = crt_errno_from_win32(err);
}

EXPORT void _dosmaperr(unsigned long err)
{
	crt_set_errno_from_win32((DWORD)err);
}

static const char *message(int e)
{
	return messages[e >= 0 && e < NMESSAGES ? e : NMESSAGES - 1];
}

EXPORT char *strerror(int e)
{
	struct crt_thread *t = crt_self();
	const char *m = message(e);
	size_t n = strlen(m);

	memcpy(t->errbuf, m, n + 1);
	return t->errbuf;
}

EXPORT int strerror_s(char *buf, size_t size, int e)
{
	const char *m = message(e);
	size_t n = strlen(m);

	if (!buf || !size)
		return EINVAL;
	if (n >= size)
		n = size - 1;
	memcpy(buf, m, n);
	buf[n] = 0;
	return 0;
}

/* _strerror(s): "s: message of errno\n", or the message and "\n" alone. */
EXPORT char *_strerror(const char *s)
{
	struct crt_thread *t = crt_self();
	const char *m = message(t->err);
	size_t n = 0, room = sizeof(t->errbuf) - 2;

	if (s && *s) {
		for (; *s && n < room - 2; s++)
			t->errbuf[n++] = *s;
		t->errbuf[n++] = ':';
		t->errbuf[n++] = ' ';
	}
	for (; *m && n < room; m++)
		t->errbuf[n++] = *m;
	t->errbuf[n++] = '\n';
	t->errbuf[n] = 0;
	return t->errbuf;
}

EXPORT void perror(const char *s)
{
	const char *m = message(*_errno());
	FILE *err = &_iob[2];

	_lock_file(err);
	if (s && *s) {
		crt_stream_write(err, s, strlen(s));
		crt_stream_write(err, ": ", 2);
	}
	crt_stream_write(err, m, strlen(m));
	crt_stream_write(err, "\n", 1);
	_unlock_file(err);
}
