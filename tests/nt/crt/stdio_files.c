/* Streams and descriptors: text and binary mode, seeking, buffering, errors. Same output on Linux. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#define TEXT_MODE "t"
#define TEXT_CRLF 1
#else
#include <unistd.h>
#define TEXT_MODE ""
#define TEXT_CRLF 0
#define O_BINARY 0
#endif

static long file_size(const char *name)
{
	FILE *f = fopen(name, "rb");
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

int main(void)
{
	char line[128], buf[256];
	FILE *f;
	int fd, n, lines = 0;
	size_t got;

	/* text mode writes "\r\n" on Windows: the size says so; reading it back in text mode gives "\n" */
	f = fopen("crt_text.txt", "w" TEXT_MODE);
	if (!f) {
		printf("fopen failed: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i < 3; i++)
		fprintf(f, "line %d\n", i);
	fputs("last\n", f);
	fclose(f);
	/* 4 lines: 4 more bytes on Windows, where text mode writes "\r\n" */
	printf("text size as the platform writes it: %d\n",
	       file_size("crt_text.txt") == (long)strlen("line 0\nline 1\nline 2\nlast\n") + (TEXT_CRLF ? 4 : 0));
	f = fopen("crt_text.txt", "r");
	while (fgets(line, sizeof(line), f)) {
		lines++;
		printf("read: %s", line);
	}
	printf("lines %d eof %d error %d\n", lines, feof(f) != 0, ferror(f) != 0);
	fclose(f);

	/* binary: bytes unchanged, seek and tell */
	f = fopen("crt_bin.dat", "wb+");
	for (int i = 0; i < 256; i++)
		fputc(i, f);
	printf("tell after write %ld\n", ftell(f));
	fseek(f, 10, SEEK_SET);
	printf("byte at 10: %d\n", fgetc(f));
	fseek(f, -6, SEEK_END);
	got = fread(buf, 1, sizeof(buf), f);
	printf("read %u at end, first %d, eof %d\n", (unsigned)got, (unsigned char)buf[0], feof(f) != 0);
	rewind(f);
	got = fread(buf, 1, 256, f);
	n = 0;
	for (int i = 0; i < 256; i++)
		n += (unsigned char)buf[i] == i;
	printf("binary round trip %d of %u\n", n, (unsigned)got);
	fseek(f, 0, SEEK_SET);
	fwrite("XY", 1, 2, f);
	fseek(f, 0, SEEK_SET);
	printf("overwritten: %c%c %d\n", fgetc(f), fgetc(f), fgetc(f));
	fclose(f);
	printf("binary size %ld\n", file_size("crt_bin.dat"));

	/* ungetc, append */
	f = fopen("crt_text.txt", "a");
	fputs("appended\n", f);
	fclose(f);
	f = fopen("crt_text.txt", "r");
	n = fgetc(f);
	ungetc('Z', f);
	fgets(line, sizeof(line), f);
	printf("first %c, after ungetc: %s", n, line);
	while (fgets(line, sizeof(line), f))
		;
	printf("last line: %s", line);
	fclose(f);

	/* descriptors */
	fd = open("crt_fd.dat", O_CREAT | O_TRUNC | O_WRONLY | O_BINARY, 0644);
	printf("write %d\n", (int)write(fd, "0123456789", 10));
	close(fd);
	fd = open("crt_fd.dat", O_RDONLY | O_BINARY);
	printf("lseek %ld\n", (long)lseek(fd, 4, SEEK_SET));
	n = (int)read(fd, buf, 100);
	buf[n > 0 ? n : 0] = 0;
	printf("read %d: %s\n", n, buf);
	close(fd);
	n = close(fd);
	printf("close twice: %d errno EBADF %d\n", n, errno == EBADF);

	/* errors */
	errno = 0;
	f = fopen("no/such/dir/file", "r");
	printf("missing: %s errno ENOENT %d\n", f ? "opened" : "NULL", errno == ENOENT);
	printf("remove: %d %d %d\n", remove("crt_text.txt"), remove("crt_bin.dat"), remove("crt_fd.dat"));
	errno = 0;
	n = remove("crt_text.txt");
	printf("remove missing: %d ENOENT %d\n", n, errno == ENOENT);

	/* setvbuf and a large write */
	f = fopen("crt_big.dat", "wb");
	setvbuf(f, NULL, _IOFBF, 1000);
	for (int i = 0; i < 10000; i++)
		fprintf(f, "%05d\n", i);
	fclose(f);
	printf("big size %ld\n", file_size("crt_big.dat"));
	f = fopen("crt_big.dat", "rb");
	fseek(f, 6 * 5000, SEEK_SET);
	fgets(line, sizeof(line), f);
	printf("record 5000: %s", line);
	fclose(f);
	printf("rename: %d\n", rename("crt_big.dat", "crt_big2.dat"));
	printf("remove: %d\n", remove("crt_big2.dat"));
	return 0;
}
